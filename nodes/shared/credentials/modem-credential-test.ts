import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { modemKey, modemRegistryUsers } from '../../../src/registry';
import { modemOptionsFromCredential, testModemConnection } from '../../../src/transport/modem';
import type { GsmModemOptions } from '../../../src/transport/modem';

/**
 * `methods.credentialTest.gsmModemApiTest`: probes the modem (src/transport/modem/credential-test.ts
 * says what it reports), unless active workflows of this n8n hold it open: a serial port opens
 * once, so a second open would fail with "cannot lock port" and say nothing about the credential.
 */
export async function gsmModemApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  let options: GsmModemOptions;
  try {
    options = modemOptionsFromCredential(credential.data ?? {});
  } catch (err) {
    return { status: 'Error', message: (err as Error).message };
  }
  if (modemRegistryUsers({ path: options.path }) > 0) {
    return { status: 'OK', message: `${modemKey(options)} is open and in use by active workflows of this n8n; not re-opened for the test` };
  }
  return testModemConnection(options);
}
