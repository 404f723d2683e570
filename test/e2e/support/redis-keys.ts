// Removes what a test run left in the shared Redis (each run uses its own key prefix).
import Redis from 'ioredis';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { readSmppCredential } from '../../../nodes/shared/credentials/smpp-credential';
import { tpsBudgetKey } from '../../../src/registry/smpp-registry';

/** Deletes every key that starts with `prefix` (a literal prefix, not a pattern); returns how many. */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  if (prefix.length < 4) throw new Error(`refusing to delete Redis keys under the short prefix "${prefix}"`);
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await redis.connect();
  try {
    let deleted = 0;
    let cursor = '0';
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/**
 * The prefix of the Redis keys of the shared TPS budget of an SMPP credential (a log and a state
 * hash, kept a day after the last grant): tests delete them when done.
 */
export function tpsBudgetKeyPrefix(credentialData: Record<string, unknown>): string {
  return `sms-gateway:tps:{${tpsBudgetKey(readSmppCredential(credentialData as ICredentialDataDecryptedObject).connection)}}:`;
}
