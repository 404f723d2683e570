import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { SmppTransport } from '../../../src/transport/smpp';
import { FieldError } from '../errors/field-error';
import { readSmppCredential } from './smpp-credential';

/**
 * `methods.credentialTest.smppApiTest`: binds with a fresh connection (not the shared one, so a
 * changed password is really tried), reports success or the exact bind error, and unbinds.
 */
export async function smppApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  let transport: SmppTransport | null = null;
  try {
    const { connection } = readSmppCredential(credential.data ?? {});
    transport = new SmppTransport({
      ...connection,
      connectTimeoutMs: Math.min(connection.responseTimeoutMs ?? 10_000, 10_000),
      reconnectAttempts: 1,
      enquireLinkMs: 0,
    });
    await transport.start();
    return { status: 'OK', message: `Bound to ${connection.host}:${connection.port} as "${connection.systemId}" (${connection.bindMode})` };
  } catch (err) {
    const message = err instanceof FieldError || err instanceof Error ? err.message : String(err);
    return { status: 'Error', message };
  } finally {
    await transport?.close(1000).catch(() => undefined);
  }
}
