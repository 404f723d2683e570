/** Reads the SMS OTP Settings credential (smsOtpApi); every problem names the field. */
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { FieldError } from '../errors/field-error';
import { readCountryCode } from '../otp/otp-phone';
import { nodeCredential } from './node-credential';

/** A problem with a field of the smsOtpApi credential. */
function otpSettingsField(field: string, message: string): FieldError {
  return new FieldError(field, message, { credential: 'smsOtpApi' });
}

export const OTP_CREDENTIAL = 'smsOtpApi';
/** The core needs 16 bytes; a hex string from `openssl rand -hex 32` has 64 characters. */
export const MIN_SERVER_KEY_LENGTH = 16;

export interface OtpSettings {
  serverKey: string;
  defaultCountry?: string;
  appName?: string;
}

export function readOtpSettings(data: ICredentialDataDecryptedObject): OtpSettings {
  const serverKey = typeof data.serverKey === 'string' ? data.serverKey : '';
  if (serverKey.length < MIN_SERVER_KEY_LENGTH) {
    // The length only: the key itself is never repeated.
    throw otpSettingsField(
      'serverKey',
      `SMS OTP Settings credential: Server Signing Key must be at least ${MIN_SERVER_KEY_LENGTH} characters (it has ${serverKey.length}); generate one with "openssl rand -hex 32"`,
    );
  }
  const appName = String(data.appName ?? '').trim();
  return {
    serverKey,
    defaultCountry: readCountryCode(data.defaultCountry, 'defaultCountry', 'SMS OTP Settings credential: Default Country'),
    appName: appName || undefined,
  };
}

/** Whether the node has an SMS OTP Settings credential selected (it is optional in memory mode). */
export function hasOtpCredential(ctx: IExecuteFunctions): boolean {
  return ctx.getNode().credentials?.[OTP_CREDENTIAL] !== undefined;
}

/** The node's SMS OTP Settings, or undefined when none is selected. */
export async function optionalOtpSettings(ctx: IExecuteFunctions): Promise<OtpSettings | undefined> {
  if (!hasOtpCredential(ctx)) return undefined;
  return readOtpSettings(await nodeCredential(ctx, OTP_CREDENTIAL));
}
