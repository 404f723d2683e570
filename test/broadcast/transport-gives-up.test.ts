import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import type { BroadcastOptions } from '../../src/broadcast/broadcast-runner';
import { BroadcastStoppedError } from '../../src/broadcast/broadcast-stopped';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { SmppBindPool } from '../../src/transport/smpp/bind-pool';
import type { SmppTransportOptions } from '../../src/transport/smpp/types';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

/**
 * The carrier goes away for good in the middle of a broadcast (the transport gives up
 * reconnecting): the broadcast stops at once with one error that says what went out, instead of
 * failing the rest of the list one by one; a re-run after the carrier is back sends exactly the
 * numbers that got nothing, and nobody twice.
 */
const COUNT = 2000;
const recipients: BroadcastRecipient[] = Array.from({ length: COUNT }, (_, i) => ({
  to: `+4479${String(40_000_000 + i).padStart(8, '0')}`,
  text: 'Power cut until 18:00.',
  itemIndex: i,
}));

/** Settings under which the sender gives up quickly once the SMSC is gone. */
const givesUpSoon = (smsc: SandboxSmsc): SmppTransportOptions =>
  sandboxTransportOptions(smsc, { windowSize: 20, reconnectAttempts: 2, reconnectBaseMs: 10, reconnectMaxMs: 20, connectTimeoutMs: 500 });

/** Broadcasts through `sender` and stops `smsc` for good once it accepted 300; what the run ended with. */
async function broadcastUntilTheCarrierGoes(
  smsc: SandboxSmsc,
  sender: BroadcastOptions['sender'],
  list: BroadcastRecipient[],
  broadcastId: string,
): Promise<{ error: unknown; options: BroadcastOptions }> {
  let gone: Promise<void> | null = null;
  const options: BroadcastOptions = {
    broadcastId,
    sender,
    defaults: { from: 'CITYALERT' },
    message: {},
    journal: new MemoryBroadcastJournal(),
    onAccepted: () => {
      if (smsc.stats.accepted >= 300 && !gone) gone = smsc.stop();
    },
  };
  const error = await runBroadcast(list, options).then(
    () => null,
    (err: unknown) => err,
  );
  await gone;
  return { error, options };
}

describe('the transport gives up mid-broadcast', () => {
  const stopped: SandboxSmsc[] = [];
  afterAll(async () => {
    for (const s of stopped) await s.stop().catch(() => undefined);
  });

  it('stops with one error (accepted, failed, uncertain); a re-run sends the rest, nobody twice', async () => {
    const first = await startSandbox({ recordMode: 'count', maxStoredMessages: 10, faults: { latencyMs: 3 } });
    stopped.push(first);
    const transport = new SmppTransport(givesUpSoon(first));
    await transport.start();
    const { error, options } = await broadcastUntilTheCarrierGoes(first, transport, recipients, 'carrier-gone');
    expect(error).toBeInstanceOf(BroadcastStoppedError);
    const { summary } = error as BroadcastStoppedError;
    expect((error as Error).message).toMatch(
      /^Broadcast carrier-gone stopped: gave up reconnecting to .* after 2 attempts\. Up to then \d+ accepted, \d+ failed/,
    );
    // It stopped at once: most of the list was never tried, not failed one by one.
    expect(summary.accepted + summary.failed).toBeLessThan(COUNT / 2);
    expect(summary.accepted).toBe(first.stats.accepted);
    await transport.close(0);

    const second = new SandboxSmsc({ port: 0, recordMode: 'count', maxStoredMessages: 10 });
    await second.start();
    stopped.push(second);
    const again = new SmppTransport(sandboxTransportOptions(second, { windowSize: 20 }));
    await again.start();
    const rerun = await runBroadcast(recipients, { ...options, sender: again, onAccepted: undefined });
    await again.close(0);
    expect(rerun.summary).toMatchObject({
      accepted: COUNT - summary.accepted - summary.uncertain,
      skippedAlreadySent: summary.accepted,
      skippedUncertain: summary.uncertain,
      failed: 0,
    });
    const destinations = (smsc: SandboxSmsc): string[] => [...smsc.store.perDestination.keys()].map((key) => key.slice(0, key.indexOf('|')));
    const firstGot = new Set(destinations(first));
    expect(firstGot.size).toBe(first.stats.accepted);
    expect(destinations(second).filter((to) => firstGot.has(to))).toEqual([]);
    expect(firstGot.size + second.store.uniqueDestinations()).toBeGreaterThanOrEqual(COUNT - summary.uncertain);
    expect(first.store.duplicates().extraCopies + second.store.duplicates().extraCopies).toBe(0);
  });

  it('through the one-bind pool the nodes use: stops at once too, only what was waiting fails, with the give-up as reason', async () => {
    // A bind that gives up fails what it held before its pool hears of it; the broadcast, told of
    // those failures at once, must already hear "stop" from the pool (it fed 700 more recipients
    // to the closed bind, each failed as "closed", out of 10,000).
    const list: BroadcastRecipient[] = Array.from({ length: 4000 }, (_, i) => ({
      ...recipients[i % COUNT],
      to: `+4479${String(41_000_000 + i).padStart(8, '0')}`,
    }));
    const smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10, faults: { latencyMs: 3 } });
    stopped.push(smsc);
    const pool = new SmppBindPool(givesUpSoon(smsc));
    await pool.start();
    const { error } = await broadcastUntilTheCarrierGoes(smsc, pool, list, 'pool-gone');
    await pool.close(0);
    expect(error).toBeInstanceOf(BroadcastStoppedError);
    const { summary } = error as BroadcastStoppedError;
    expect(summary.accepted).toBe(smsc.stats.accepted);
    expect(Object.keys(summary.failureReasons ?? {}).filter((r) => !r.startsWith('gave up reconnecting'))).toEqual([]);
    expect(summary.failed).toBeLessThanOrEqual(400); // the runner's concurrency: what can be waiting when it gives up
  });
});
