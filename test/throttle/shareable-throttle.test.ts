/**
 * The TPS budget of a bind that moves to Redis while messages flow: a node with State Store =
 * Redis uses a bind another node opened with a local budget (the trigger, a memory-store node).
 * Real sandbox SMSC over TCP, real Redis at 127.0.0.1:6379.
 */
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { ShareableThrottle } from '../../src/throttle/shareable-throttle';
import { numberRange, simpleSubmit } from '../support/messages';
import { startSandbox } from '../support/sandbox';

const REDIS = { host: '127.0.0.1', port: 6379, source: 'the test Redis' };
const TPS = 40;

function connection(smsc: SandboxSmsc, extra: Partial<SmppConnectionConfig> = {}): SmppConnectionConfig {
  return { host: '127.0.0.1', port: smsc.port, systemId: 'sandbox', password: 'sandbox', windowSize: 50, enquireLinkMs: 0, responseTimeoutMs: 5000, tps: TPS, label: `tps-${process.pid}-${Date.now()}`, ...extra };
}

describe('a bind\'s TPS budget moving to Redis', () => {
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
    // The sandbox's port is new each run, so the budget's Redis key (from the bind's identity) is too.
    const config = connection(smsc);
    const local = await acquireSmppTransport(config);
    const numbers = numberRange(6 * TPS);
    const sends = numbers.map((to) => local.resource.submit(simpleSubmit(to, 'budget')));
    // The local budget has sent its first second's worth; now a Redis-sharing node uses the bind.
    await new Promise((resolve) => setTimeout(resolve, 600));
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
    await expect(acquireSmppTransport({ ...config, throttleRedis: { host: '127.0.0.1', port: 1, source: 'Host and Port of the SMS Gateway Redis credential' } }))
      .rejects.toThrow('Cannot reach Redis at 127.0.0.1:1 for the shared TPS limit (check Host and Port of the SMS Gateway Redis credential): connection refused (is Redis running on that port?)');
    await local.resource.submit(simpleSubmit('+447911123001', 'still works'));
    expect(smsc.store.list()).toHaveLength(1);
    await local.release();
  }, 30_000);
});
