/**
 * The two store backends every shared OTP test runs against: memory, and the real Redis at
 * 127.0.0.1:6379 under a key prefix unique to the test run (removed afterwards).
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { createMemoryOtpStore, createRedisOtpStore } from '../../../src/otp';
import type { MemoryOtpStore, OtpStore } from '../../../src/otp';

export const REDIS_URL = process.env.OTP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Backend {
  readonly name: 'memory' | 'redis';
  /** A fresh, empty store (a new key prefix on Redis). */
  newStore(): OtpStore;
  /** A second store over the same data through its own connection (Redis) or the same object (memory). */
  sibling(store: OtpStore): OtpStore;
  /** Every key and value the store holds, as one string, for "no code is stored" checks. */
  dump(store: OtpStore): Promise<string>;
  /** Plants a value in the store's space, to prove dump() would reveal a stored code. */
  plant(store: OtpStore, value: string): Promise<void>;
  close(): Promise<void>;
}

export function uniquePrefix(): string {
  return `test:otp:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

export function memoryBackend(): Backend {
  const planted = new WeakMap<OtpStore, string[]>();
  return {
    name: 'memory',
    newStore: () => createMemoryOtpStore(),
    sibling: (store) => store,
    dump: async (store) => (store as MemoryOtpStore).snapshot() + (planted.get(store) ?? []).join(''),
    plant: async (store, value) => {
      planted.set(store, [...(planted.get(store) ?? []), value]);
    },
    close: async () => undefined,
  };
}

export function redisBackend(): Backend {
  const first = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const second = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const prefixes = new Map<OtpStore, string>();
  const create = (client: Redis, prefix: string): OtpStore => {
    const store = createRedisOtpStore(client, { keyPrefix: prefix });
    prefixes.set(store, prefix);
    return store;
  };
  const prefixOf = (store: OtpStore): string => {
    const prefix = prefixes.get(store);
    if (!prefix) throw new Error('store not made by this backend');
    return prefix;
  };
  return {
    name: 'redis',
    newStore: () => create(first, uniquePrefix()),
    sibling: (store) => create(second, prefixOf(store)),
    dump: (store) => dumpRedisPrefix(first, prefixOf(store)),
    plant: async (store, value) => {
      await first.set(`${prefixOf(store)}planted`, value);
    },
    close: async () => {
      for (const prefix of new Set(prefixes.values())) await deleteRedisPrefix(first, prefix);
      await Promise.all([first.quit(), second.quit()]);
    },
  };
}

export async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

export async function dumpRedisPrefix(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await scanKeys(redis, prefix)) {
    const type = await redis.type(key);
    parts.push(key);
    if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'string') parts.push(String(await redis.get(key)));
    else parts.push(`<${type}>`);
  }
  return parts.join('\n');
}

export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await scanKeys(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}
