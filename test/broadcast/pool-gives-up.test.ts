import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import type { BroadcastOptions } from '../../src/broadcast/broadcast-runner';
import { BroadcastStoppedError } from '../../src/broadcast/broadcast-stopped';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppBindPool } from '../../src/transport/smpp/bind-pool';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

/**
 * As transport-gives-up.test.ts, but through the one-bind SmppBindPool the nodes use: the
 * broadcast must stop at once, not fail the rest of the list one by one. Straight on an
 * SmppTransport, the run fails exactly what was waiting (400, its concurrency) when the transport
 * gave up; through the pool, workers go on taking new recipients after the give-up (the pool
 * learns it a few microtasks later, and its only member refuses them as 'closed'), each counted
 * failed with a reason that is not the give-up.
 */
const COUNT = 4000;
const CONCURRENCY = 400; // the runner's default: what can be waiting in the window when it gives up
const recipients: BroadcastRecipient[] = Array.from({ length: COUNT }, (_, i) => ({
  to: `+4479${String(40_000_000 + i).padStart(8, '0')}`,
  text: 'Power cut until 18:00.',
  itemIndex: i,
}));

describe('a one-bind pool gives up mid-broadcast', () => {
  let smsc: SandboxSmsc | null = null;
  afterAll(async () => {
    await smsc?.stop().catch(() => undefined);
  });

  it('stops at once instead of failing the rest one by one', async () => {
    smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10, faults: { latencyMs: 3 } });
    const first = smsc;
    const journal = new MemoryBroadcastJournal();
    const pool = new SmppBindPool(
      sandboxTransportOptions(first, { windowSize: 20, reconnectAttempts: 2, reconnectBaseMs: 10, reconnectMaxMs: 20, connectTimeoutMs: 500 }),
    );
    await pool.start();
    let gone: Promise<void> | null = null;
    const options: BroadcastOptions = {
      broadcastId: 'pool-gone',
      sender: pool,
      defaults: { from: 'CITYALERT' },
      message: {},
      journal,
      onAccepted: () => {
        if (first.stats.accepted >= 300 && !gone) gone = first.stop();
      },
    };
    const error = await runBroadcast(recipients, options).then(
      () => null,
      (err: unknown) => err,
    );
    await gone;
    await pool.close(0);
    expect(error).toBeInstanceOf(BroadcastStoppedError);
    const { summary } = error as BroadcastStoppedError;
    expect(summary.accepted).toBe(first.stats.accepted);
    // Nobody is tried after the give-up: only what was waiting then fails, with the give-up's reason.
    expect(Object.keys(summary.failureReasons ?? {}).filter((r) => !r.startsWith('gave up reconnecting'))).toEqual([]);
    expect(summary.failed).toBeLessThanOrEqual(CONCURRENCY);
  });
});
