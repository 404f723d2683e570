import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { readSmppServerCredential } from './server-credential';

/**
 * `methods.credentialTest.smppServerApiTest`: nothing to connect to (the trigger is the
 * server), so this checks the fields and that the TLS key and certificate belong together.
 */
export async function smppServerApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  try {
    const settings = readSmppServerCredential(credential.data ?? {});
    const tls = settings.tls ? ' with TLS' : '';
    return { status: 'OK', message: `Applications can bind as "${settings.account.systemId}"${tls}` };
  } catch (err) {
    return { status: 'Error', message: (err as Error).message };
  }
}
