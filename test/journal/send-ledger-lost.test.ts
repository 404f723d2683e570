import { sendOnce } from '../../src/journal/send-once';
import { RedisSendLedger } from '../../src/journal/redis-send-ledger';
import { closeSharedRedisClients, sharedRedis } from '../../nodes/shared/state/redis-connection';
import { PrivateRedis } from '../../bench/private-redis';
import type { SmsResult } from '../../src/gateway/message-request';

/**
 * Send SMS's idempotency ledger in a Redis that restarts without persistence: the keys are gone,
 * and a retry with the user's own keys (an order ID) sent all 50 again with no error and no flag.
 * A lost ledger is found by its epoch marker; the user's keys it can no longer vouch for are
 * refused, with an error that says why and how to send anyway.
 */
test('a Redis restarted empty: the same keys are refused as unknown, not sent again', async () => {
  const redis = await PrivateRedis.start({ persist: false });
  let sends = 0;
  try {
    const ledger = new RedisSendLedger(await sharedRedis({ host: '127.0.0.1', port: redis.port, db: 0, tls: false, keyPrefix: 'lost:' }), 'lost:sent:', 5000);
    const jobs = Array.from({ length: 50 }, (_, i) => ({
      key: `user:order-${i}-shipped|+4479000000${String(i).padStart(2, '0')}`,
      send: async (): Promise<SmsResult> =>
        ({ to: `+4479000000${i}`, from: 'SHOP', messageIds: [`m${++sends}`], parts: 1, encoding: 'GSM', status: 'accepted' }) as SmsResult,
    }));
    await sendOnce(ledger, jobs, { run: 'run-1', ttlMs: 86_400_000, concurrency: 10 });
    await redis.restart();
    const again = await sendOnce(ledger, jobs, { run: 'run-2', ttlMs: 86_400_000, concurrency: 10 });
    expect(sends).toBe(50);
    expect(again.every((o) => 'earlier' in o && o.earlier.state === 'unknown')).toBe(true);
    // Default keys are per execution: a new execution's keys cannot have been sent before the loss.
    const fresh = await sendOnce(ledger, [{ key: 'run:new-execution|+447900000099', send: jobs[0].send }], {
      run: 'run-3',
      ttlMs: 86_400_000,
      concurrency: 10,
    });
    expect('sent' in fresh[0]).toBe(true);
  } finally {
    await closeSharedRedisClients();
    await redis.stop();
  }
});
