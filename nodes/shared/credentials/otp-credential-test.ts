import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { readOtpSettings } from './otp-settings';

/** `methods.credentialTest.smsOtpApiTest`: checks the signing key and default country offline. */
export async function smsOtpApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  try {
    const settings = readOtpSettings(credential.data ?? {});
    const country = settings.defaultCountry ? `, default country ${settings.defaultCountry}` : ', no default country';
    return { status: 'OK', message: `Signing key accepted (${settings.serverKey.length} characters)${country}` };
  } catch (err) {
    return { status: 'Error', message: (err as Error).message };
  }
}
