import type Redis from 'ioredis';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { closeRedisClients, describeRedisProblem, dropRedisClient, lastRedisError, redisClient } from '../../../src/redis';
import { FieldError } from '../errors/field-error';

/** A problem with a field of the smsGatewayRedisApi credential. */
function redisField(field: string, message: string): FieldError {
  return new FieldError(field, message, { credential: 'smsGatewayRedisApi' });
}

/** The SMS Gateway Redis credential's type name. */
export const REDIS_CREDENTIAL = 'smsGatewayRedisApi';

export interface RedisSettings {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
  keyPrefix: string;
}

export function readRedisCredential(data: ICredentialDataDecryptedObject): RedisSettings {
  const host = String(data.host ?? '').trim();
  if (!host) throw redisField('host', 'Redis credential: Host is empty');
  const port = Number(data.port ?? 6379);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw redisField('port', `Redis credential: Port must be 1-65535 (got ${String(data.port)})`);
  const db = Number(data.database ?? 0);
  if (!Number.isInteger(db) || db < 0) throw redisField('database', `Redis credential: Database Number must be 0 or more (got ${String(data.database)})`);
  return {
    host,
    port,
    db,
    username: data.user ? String(data.user) : undefined,
    password: data.password ? String(data.password) : undefined,
    tls: data.tls === true,
    keyPrefix: String(data.keyPrefix ?? 'sms-gw:') || 'sms-gw:',
  };
}

/**
 * The process-wide client of this Redis server (see src/redis/redis-clients.ts), checked: a
 * first command that cannot reach Redis fails within a few seconds with a clear error instead of
 * queueing forever.
 */
export async function sharedRedis(settings: RedisSettings): Promise<Redis> {
  const connection = { host: settings.host, port: settings.port, db: settings.db, username: settings.username, password: settings.password, tls: settings.tls };
  const client = redisClient(connection);
  if (client.status === 'wait') await client.connect().catch(() => undefined);
  try {
    await client.ping();
  } catch (err) {
    const cause = describeRedisProblem(lastRedisError(client) ?? (err as Error));
    // A client that cannot be used is dropped rather than left reconnecting forever; the next run starts afresh.
    dropRedisClient(connection, client);
    const field = /^(WRONGPASS|NOAUTH)/.test(cause) ? 'password' : 'host';
    // FieldError is this n8n-free module's error (it takes plain settings, no node): the nodes
    // turn it into a NodeOperationError naming the credential field.
    throw redisField(field, `Cannot reach Redis at ${settings.host}:${settings.port} (SMS Gateway Redis credential): ${cause}`);
  }
  return client;
}

export { describeRedisProblem };

/** Closes every shared client (tests, and a clean process exit). */
export async function closeSharedRedisClients(): Promise<void> {
  await closeRedisClients();
}
