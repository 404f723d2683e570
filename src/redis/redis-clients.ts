import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { processWide } from '../process-wide/shared-resource-pool';

/** Where a Redis server is and how to log in. */
export interface RedisConnection {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: boolean;
  /** Where the user sets this connection, for error messages (e.g. "Host and Port of the SMS Gateway Redis credential"). */
  source?: string;
}

function clients(): Map<string, Redis> {
  return processWide('redisClients', () => new Map<string, Redis>());
}

const lastErrors = new WeakMap<Redis, Error>();

/** What makes two connections one client; the password is hashed, never kept in clear (a corrected password gets a new client). */
export function redisIdentity(connection: RedisConnection): string {
  const secret = createHash('sha256')
    .update(connection.password ?? '')
    .digest('hex')
    .slice(0, 16);
  return `${connection.host}:${connection.port}/${connection.db ?? 0}/${connection.username ?? ''}/${connection.tls === true}/${secret}`;
}

/**
 * One ioredis client per Redis server per process, shared by every node and transport (never
 * closed while the process lives; ioredis reconnects by itself). Commands fail after a few
 * seconds instead of queueing forever while Redis is away.
 */
export function redisClient(connection: RedisConnection): Redis {
  const key = redisIdentity(connection);
  let client = clients().get(key);
  if (!client) {
    const created = new Redis({
      host: connection.host,
      port: connection.port,
      db: connection.db ?? 0,
      username: connection.username,
      password: connection.password,
      tls: connection.tls ? {} : undefined,
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      connectTimeout: 3000,
      enableOfflineQueue: true,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    // Reported through the failing command instead; the last one explains why it failed.
    created.on('error', (err: Error) => lastErrors.set(created, err));
    clients().set(key, created);
    client = created;
  }
  if (client.status === 'wait') void client.connect().catch(() => undefined);
  return client;
}

/** The last connection error a client saw (for messages that say why Redis could not be used). */
export function lastRedisError(client: Redis): Error | undefined {
  return lastErrors.get(client);
}

/** Forgets a client that cannot be used (the next user gets a fresh one) and disconnects it. */
export function dropRedisClient(connection: RedisConnection, client: Redis): void {
  const key = redisIdentity(connection);
  if (clients().get(key) === client) clients().delete(key);
  client.disconnect();
}

/** Closes every shared client (tests, and a clean process exit). */
export async function closeRedisClients(): Promise<void> {
  const all = [...clients().values()];
  clients().clear();
  await Promise.all(all.map(async (c) => (c.status === 'ready' ? c.quit().catch(() => c.disconnect()) : c.disconnect())));
}

/** ioredis's words for a command tried while the connection is down. */
export const NOT_CONNECTED = /enableOfflineQueue|Connection is closed|Stream isn't writeable/;

/**
 * A Redis connection problem in words. Never the raw errno code: n8n replaces any error message
 * containing one (ECONNREFUSED, ETIMEDOUT, ...) with its own generic sentence, losing the detail.
 */
export function describeRedisProblem(err: (Error & { code?: string }) | undefined): string {
  if (!err) return 'no answer';
  const byCode: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is Redis running on that port?)',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found',
    ETIMEDOUT: 'no answer',
    ECONNRESET: 'connection closed',
  };
  if (err.code && /^E[A-Z_]+$/.test(err.code)) return byCode[err.code] ?? 'network error';
  if (NOT_CONNECTED.test(err.message)) return 'not connected';
  return err.message; // a Redis reply such as WRONGPASS or NOAUTH
}

/** Rejects with `describe(problem)` unless the client answers PING within timeoutMs. */
export async function pingRedis(client: Redis, timeoutMs: number, describe: (problem: string) => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(describe(describeRedisProblem(lastErrors.get(client))))), timeoutMs);
  });
  try {
    await Promise.race([
      client.ping().catch((err: Error) => Promise.reject(new Error(describe(describeRedisProblem(lastErrors.get(client) ?? err))))),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
