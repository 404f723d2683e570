/**
 * A password-protected Redis ACL user on the shared test Redis (127.0.0.1:6379), so tests can
 * follow a real Redis password through the nodes. Limited to one key prefix; deleted (with its
 * keys) by remove().
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

export interface RedisTestUser {
  user: string;
  password: string;
  keyPrefix: string;
  /** An admin connection (the default user), for scans and clean-up. */
  admin: Redis;
  /** Every key under the prefix with its value, as one text (hash fields, strings, sets, lists). */
  dump(): Promise<string>;
  remove(): Promise<void>;
}

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

export async function createRedisTestUser(label: string): Promise<RedisTestUser> {
  const tag = `${label}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const user = `sms-gw-test-${tag}`;
  const password = `redis-${randomBytes(9).toString('base64url')}`;
  const keyPrefix = `test:${tag}:`;
  const admin = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await admin.connect();
  await admin.call('ACL', 'SETUSER', user, 'reset', 'on', `>${password}`, `~${keyPrefix}*`, '&*', '+@all');
  return {
    user,
    password,
    keyPrefix,
    admin,
    dump: async () => {
      const parts: string[] = [];
      for (const key of await keysUnder(admin, keyPrefix)) {
        const type = await admin.type(key);
        parts.push(key);
        if (type === 'hash') parts.push(JSON.stringify(await admin.hgetall(key)));
        else if (type === 'string') parts.push(String(await admin.get(key)));
        else if (type === 'zset') parts.push(JSON.stringify(await admin.zrange(key, 0, -1, 'WITHSCORES')));
        else if (type === 'set') parts.push(JSON.stringify(await admin.smembers(key)));
        else if (type === 'list') parts.push(JSON.stringify(await admin.lrange(key, 0, -1)));
        else parts.push(`<${type}>`);
      }
      return parts.join('\n');
    },
    remove: async () => {
      const keys = await keysUnder(admin, keyPrefix);
      if (keys.length > 0) await admin.del(...keys);
      await admin.call('ACL', 'DELUSER', user);
      await admin.quit();
    },
  };
}
