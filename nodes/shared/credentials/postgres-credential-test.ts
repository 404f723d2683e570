import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { tryPostgresLogin } from '../../../src/broadcast';
import { readPostgresCredential } from './postgres-credential';

/**
 * `methods.credentialTest.smsGatewayPostgresApiTest`: connects, asks the server who we are, and
 * closes. The answer names the server and the cause in words; it never contains the password.
 */
export async function smsGatewayPostgresApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  try {
    return { status: 'OK', message: await tryPostgresLogin(readPostgresCredential(credential.data ?? {})) };
  } catch (err) {
    return { status: 'Error', message: (err as Error).message };
  }
}
