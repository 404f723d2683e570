import Redis from 'ioredis';
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { describeRedisProblem, readRedisCredential } from '../state/redis-connection';

/**
 * `methods.credentialTest.smsGatewayRedisApiTest`: connects with a fresh client (not the shared one,
 * so changed settings are really tried), sends PING, and closes. The answer names the server and
 * the cause in words; it never contains the password.
 */
export async function smsGatewayRedisApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  let client: Redis | null = null;
  try {
    const settings = readRedisCredential(credential.data ?? {});
    let lastError: Error | undefined;
    client = new Redis({
      host: settings.host,
      port: settings.port,
      db: settings.db,
      username: settings.username,
      password: settings.password,
      tls: settings.tls ? {} : undefined,
      lazyConnect: true,
      connectTimeout: 3000,
      // One attempt: a test must answer, not wait for a server that may never come.
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    client.on('error', (err: Error) => {
      lastError = err;
    });
    const where = `${settings.host}:${settings.port}`;
    try {
      await client.connect();
      await client.ping();
    } catch (err) {
      return { status: 'Error', message: `Cannot reach Redis at ${where}: ${describeRedisProblem(lastError ?? (err as Error))}` };
    }
    return { status: 'OK', message: `Connected to Redis at ${where}, database ${settings.db}` };
  } catch (err) {
    return { status: 'Error', message: (err as Error).message };
  } finally {
    // A client that failed has already ended; disconnecting it again would arm a 2 s timer.
    if (client && client.status !== 'end') client.disconnect();
  }
}
