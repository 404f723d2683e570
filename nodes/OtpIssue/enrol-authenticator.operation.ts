/**
 * OTP Issue, "Enrol Authenticator App": a new TOTP secret, its otpauth:// URI and the URI as a
 * QR code PNG. Nothing is stored here: the output is the only copy of the secret, and the
 * workflow must keep it (encrypted) with the user's account for OTP Verify.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { enrolTotp, OtpInputError } from '../../src/otp';
import { FieldError } from '../shared/field-error';
import { optionalOtpSettings } from '../shared/otp-settings';
import { runOtpItems } from '../shared/otp-items';

export async function enrolAuthenticators(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const settings = await optionalOtpSettings(ctx);
  return runOtpItems(ctx, { outputCount: 1, errorOutput: 0 }, async (itemIndex) => {
    const label = String(ctx.getNodeParameter('accountName', itemIndex, '') ?? '').trim();
    if (label === '') throw new FieldError('accountName', 'Account Name is empty: give the user\'s e-mail or login, shown in the app');
    const issuer = String(ctx.getNodeParameter('issuer', itemIndex, '') ?? '').trim() || settings?.appName;
    if (!issuer) throw new FieldError('issuer', 'Issuer is empty: fill it in, or set App Name in the SMS OTP Settings credential');
    const binaryPropertyName = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'qrCode') ?? '').trim();
    if (binaryPropertyName === '') throw new FieldError('binaryPropertyName', 'Put QR Code in Field is empty: name the binary field, e.g. qrCode');
    const enrolment = await enrolTotp({ issuer, label }).catch((err: unknown) => {
      // The core calls the account 'label'; the node calls it Account Name.
      throw err instanceof OtpInputError && err.field === 'label' ? new FieldError('accountName', `Account Name ${err.message.slice('label: '.length)}`) : err;
    });
    const qrCode = await ctx.helpers.prepareBinaryData(enrolment.qrPng, `${fileSafe(issuer)}-${fileSafe(label)}-totp.png`, 'image/png');
    return {
      output: 0,
      json: { secret: enrolment.secret, uri: enrolment.uri, issuer, accountName: label },
      binary: { [binaryPropertyName]: qrCode },
    };
  });
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 60);
}
