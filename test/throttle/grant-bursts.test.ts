/**
 * A process that waited (3 s idle, then 300 messages at once) gets its grants in batches and
 * spends each batch in the same millisecond. The cap is per sliding second, not per spread: a
 * batch may go at once, but no batch is larger than twice the average share of a 100 ms slot,
 * and no sliding second holds more than the cap, counted by grant (Redis's clock) and by the
 * moment each token was taken (this process's clock).
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { busiestWindow } from '../../src/sandbox/message-store';
import { TpsThrottle } from '../../src/throttle/tps-throttle';
import type { SendThrottle } from '../../src/transport/smpp/types';
import { busiestGrantSpan } from './support/grant-span';
import type { RecordedGrant } from './support/grant-span';

const REDIS = { host: '127.0.0.1', port: 6379 };
const CAP = 100;
const key = `bursts-${randomUUID()}`;

afterAll(async () => {
  const redis = new Redis(REDIS);
  await redis.del(...['grants', 'budget', 'caps'].map((part) => `sms-gateway:tps:{${key}}:${part}`));
  await redis.quit();
});

/** Spends `count` tokens, each batch in one synchronous run (the same ms); returns when each was taken. */
function spendInBursts(throttle: SendThrottle, count: number): Promise<number[]> {
  const takenAt: number[] = [];
  return new Promise((resolve) => {
    const pump = (): void => {
      let taken = 0;
      while (takenAt.length < count && throttle.tryTake()) {
        takenAt.push(performance.timeOrigin + performance.now());
        taken++;
      }
      if (taken > 0) throttle.written?.(taken);
      if (takenAt.length === count) resolve(takenAt);
      else throttle.onAvailable(pump, () => count - takenAt.length);
    };
    pump();
  });
}

it(`1 token, 3 s idle, then 300 wanted at once at a cap of ${CAP}: batches of at most ${(2 * CAP) / 10}, each spent in one ms, and no sliding second holds more than ${CAP}`, async () => {
  const grants: RecordedGrant[] = [];
  const throttle = new TpsThrottle({ tps: CAP, key, redis: REDIS, onGrant: (g) => grants.push(g) });
  try {
    await throttle.ready();
    const first = await spendInBursts(throttle, 1);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rest = await spendInBursts(throttle, 300);
    const granted = grants.filter((g) => !g.late);
    expect(Math.max(...granted.map((g) => g.count))).toBeLessThanOrEqual((2 * CAP) / 10);
    expect(busiestGrantSpan(grants, 1025)).toBeLessThanOrEqual(CAP);
    expect(busiestWindow([...first, ...rest], 1000)).toBeLessThanOrEqual(CAP);
  } finally {
    await throttle.close();
  }
}, 60_000);
