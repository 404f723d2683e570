/**
 * Two credentials of one carrier account share one budget key (the account, not the credential):
 * a stale copy with an older, higher TPS, or a worker still on old settings. The carrier counts
 * the account, so the lowest TPS any of them asks with must hold; the highest used to.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { TpsThrottle } from '../../src/throttle/tps-throttle';
import { busiestGrantSpan } from './support/grant-span';
import type { RecordedGrant } from './support/grant-span';
import { spend } from './support/spend';

const REDIS = { host: '127.0.0.1', port: 6379 };
const key = `cap-conflict-${randomUUID()}`;

afterAll(async () => {
  const redis = new Redis(REDIS);
  await redis.del(...['grants', 'budget', 'caps'].map((part) => `sms-gateway:tps:{${key}}:${part}`));
  await redis.quit();
});

it('one process at 10 TPS and one at 30 on one account, each sending 40: no second holds more than 10 grants (it held 30)', async () => {
  const grants: RecordedGrant[] = [];
  const low = new TpsThrottle({ tps: 10, key, redis: REDIS, onGrant: (g) => grants.push(g) });
  const high = new TpsThrottle({ tps: 30, key, redis: REDIS, onGrant: (g) => grants.push(g) });
  try {
    await Promise.all([low.ready(), high.ready()]);
    // The low one asks first (its cap is then known to the budget), as a stale credential in use would.
    await spend(low, 1);
    await Promise.all([spend(low, 39), spend(high, 40)]);
    const busiest = busiestGrantSpan(grants, 1025);
    expect({ busiestGrantedSecond: busiest }).toEqual({ busiestGrantedSecond: Math.min(10, busiest) });
  } finally {
    await Promise.all([low.close(), high.close()]);
  }
}, 60_000);
