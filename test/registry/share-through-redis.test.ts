/**
 * A bind opened by a node that keeps its state in memory (the trigger, a memory-store node), then
 * used by a node whose State Store is Redis: from then on its TPS budget and its delivery receipts
 * are shared with every n8n process. Real sandbox SMSC over TCP, real Redis at 127.0.0.1:6379.
 */
import { acquireSmppTransport, closeAllSmppTransports, tpsBudgetKey } from '../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { ShareableThrottle } from '../../src/throttle/shareable-throttle';
import { TpsThrottle } from '../../src/throttle/tps-throttle';
import { receiptKeyPrefix } from '../../src/dlr/carrier-receipts';
import { ReceiptTracker } from '../../src/dlr/receipt-tracker';
import { RedisReceiptStore } from '../../src/dlr/redis-receipt-store';
import { closeRedisClients, redisClient } from '../../src/redis/redis-clients';
import { numberRange, simpleSubmit } from '../support/messages';
import { startSandbox } from '../support/sandbox';

const REDIS = { host: '127.0.0.1', port: 6379, source: 'the test Redis' };
const TPS = 40;

function connection(smsc: SandboxSmsc, extra: Partial<SmppConnectionConfig> = {}): SmppConnectionConfig {
  return {
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'sandbox',
    password: 'sandbox',
    windowSize: 50,
    enquireLinkMs: 0,
    responseTimeoutMs: 5000,
    tps: TPS,
    label: `tps-${process.pid}-${Date.now()}`,
    ...extra,
  };
}

describe('a bind moving its TPS budget and receipts to Redis', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  it('keeps the limit in every one-second window across the change, mid-burst', async () => {
    const config = connection(smsc);
    // The account's shared budget exists already (another n8n process uses it): a new budget would
    // wait a whole window before its first grant, which hides the change.
    const other = new TpsThrottle({ tps: TPS, key: tpsBudgetKey(config), redis: REDIS });
    await other.ready();
    await new Promise<void>((resolve) => {
      const take = (): void => (other.tryTake() ? resolve() : other.onAvailable(take, () => 1));
      take();
    });
    await other.close();
    await new Promise((resolve) => setTimeout(resolve, 1_200));

    const local = await acquireSmppTransport(config);
    const numbers = numberRange(6 * TPS);
    const sends = numbers.map((to) => local.resource.submit(simpleSubmit(to, 'budget')));
    // This process's own budget has sent its second's worth; now a node sharing through Redis uses the bind.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const shared = await acquireSmppTransport({ ...config, throttleRedis: REDIS });
    expect(shared.resource).toBe(local.resource); // one bind per credential, still
    await Promise.all(sends);
    expect(smsc.store.list()).toHaveLength(numbers.length);
    expect(smsc.store.maxInWindow(1000)).toBeLessThanOrEqual(TPS);
    await shared.release();
    await local.release();
  }, 30_000);

  it('is shared through Redis after the change: two budgets of one key keep one limit together', async () => {
    const key = `shared-${process.pid}-${Date.now()}`;
    const a = new ShareableThrottle({ tps: TPS, key });
    const b = new ShareableThrottle({ tps: TPS, key });
    await Promise.all([a.share(REDIS), b.share(REDIS)]);
    expect([a.sharedThrough, b.sharedThrough]).toEqual(['127.0.0.1:6379/0//tcp', '127.0.0.1:6379/0//tcp']);
    const taken: number[] = [];
    const take = (throttle: ShareableThrottle, count: number): Promise<void> =>
      new Promise((resolve) => {
        let left = count;
        const pump = (): void => {
          while (left > 0 && throttle.tryTake()) {
            taken.push(performance.now());
            left--;
          }
          if (left === 0) resolve();
          else throttle.onAvailable(pump);
        };
        pump();
      });
    await Promise.all([take(a, 2 * TPS), take(b, 2 * TPS)]);
    await Promise.all([a.close(), b.close()]);
    taken.sort((x, y) => x - y);
    let most = 0;
    for (let end = 0, start = 0; end < taken.length; end++) {
      while (taken[end] - taken[start] >= 1000) start++;
      most = Math.max(most, end - start + 1);
    }
    // Two processes each with its own budget would take 2 x TPS in a second; one shared budget,
    // handed out in batches, stays near TPS (slack of a batch per process).
    expect(most).toBeLessThanOrEqual(TPS + 2);
  }, 30_000);

  it('a Redis that does not answer fails the acquire in words and leaves the local budget working', async () => {
    const config = connection(smsc);
    const local = await acquireSmppTransport(config);
    await expect(
      acquireSmppTransport({ ...config, throttleRedis: { host: '127.0.0.1', port: 1, source: 'Host and Port of the SMS Gateway Redis credential' } }),
    ).rejects.toThrow(
      'Cannot reach Redis at 127.0.0.1:1 for the shared TPS limit (check Host and Port of the SMS Gateway Redis credential): connection refused (is Redis running on that port?)',
    );
    await local.resource.submit(simpleSubmit('+447911123001', 'still works'));
    expect(smsc.store.list()).toHaveLength(1);
    await local.release();
  }, 30_000);

  it('receipts taken in on the bind reach Redis once a node sharing them uses it, for another process to read', async () => {
    const config = connection(smsc, { tps: 0 });
    const local = await acquireSmppTransport(config);
    const shared = await acquireSmppTransport({ ...config, receipts: { redis: REDIS } });
    const { messageId } = await local.resource.submit(simpleSubmit('+447911123001', 'receipt please', { registeredDelivery: 1 }));
    // Another n8n process: its own tracker on the same Redis, as carrierReceiptTracker makes it there.
    const elsewhere = new ReceiptTracker({ store: new RedisReceiptStore({ redis: redisClient(REDIS), prefix: receiptKeyPrefix(config), ttlSeconds: 300 }) });
    const deadline = Date.now() + 15_000;
    let found = await elsewhere.latest(messageId);
    while (!found && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = await elsewhere.latest(messageId);
    }
    expect(found?.status).toBe('DELIVRD');
    elsewhere.close();
    await shared.release();
    await local.release();
  }, 30_000);
});

afterAll(async () => {
  await closeRedisClients();
});
