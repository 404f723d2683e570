/**
 * Resource limits on a shared bind: two broadcasts at once on one transport at a stalled SMSC.
 * The transport's queue is bounded (maxQueued); what does not fit is refused at once with the
 * reason "send queue is full", not held (types.ts documents that submit() would wait: it does
 * not). This pins the current behaviour: the refused recipients are failed with that reason,
 * released from the journal, and a re-run with the same broadcast ID sends exactly them, so
 * nobody is lost and nobody gets the message twice.
 */
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';
import { within } from './support/bad-input-table';

const PER_BROADCAST = 6000;
const WINDOW = 100;
const MAX_QUEUED = 500; // room for one broadcast's pool (400, of which the window is in flight) and 200 of the next
const QUEUE_FULL = /^send queue is full \(500 messages waiting\)/;

function recipients(first: number): BroadcastRecipient[] {
  return Array.from({ length: PER_BROADCAST }, (_, i) => ({
    to: `+4479${String(first + i).padStart(8, '0')}`,
    text: 'Road closed: use the north bridge.',
    itemIndex: i,
  }));
}

describe('resource limits: a full send queue on a shared transport', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;

  beforeAll(async () => {
    smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10 });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: WINDOW, maxQueued: MAX_QUEUED, responseTimeoutMs: 60_000 }));
    await transport.start();
  });
  afterAll(async () => {
    await transport.close(0);
    await smsc.stop();
  });

  it('refuses what does not fit with "send queue is full"; a re-run of the same broadcast sends exactly those, once', async () => {
    const journal = new MemoryBroadcastJournal();
    const options = (broadcastId: string) => ({ broadcastId, sender: transport, defaults: { from: 'CITYALERT' }, message: {}, journal, collectResults: false });
    const listA = recipients(0);
    const listB = recipients(PER_BROADCAST);
    smsc.setFaults({ stalled: true });
    const first = runBroadcast(listA, options('queue-a'));
    await waitFor(() => transport.metrics().queued + transport.metrics().inFlight === 400, 'broadcast A to fill its pipeline', 30_000);
    const second = runBroadcast(listB, options('queue-b'));
    // B's lanes get what still fits; the rest is refused at once, so B gets through its whole list while the SMSC stalls.
    await waitFor(() => transport.metrics().queued >= MAX_QUEUED, 'the queue to fill up', 30_000);
    smsc.setFaults({ stalled: false });
    const [a, b] = await within(60_000, 'both broadcasts', Promise.all([first, second]));

    expect(a.summary).toMatchObject({ accepted: PER_BROADCAST, failed: 0 });
    expect(b.summary.failed).toBeGreaterThan(0);
    expect(b.summary.accepted + b.summary.failed).toBe(PER_BROADCAST);
    expect(Object.keys(b.summary.failureReasons ?? {})).toEqual([expect.stringMatching(QUEUE_FULL)]);
    // A summary lists the first 1,000 problems (README: the output stays small); the count is exact.
    expect(b.results.filter((r) => r.status === 'failed')).toHaveLength(Math.min(b.summary.failed, 1000));
    expect(b.results.every((r) => r.status === 'failed' && QUEUE_FULL.test(r.error ?? ''))).toBe(true);
    expect(transport.metrics().queued).toBe(0);

    const rerun = await within(60_000, 'the re-run of B', runBroadcast(listB, options('queue-b')));
    expect(rerun.summary).toMatchObject({ accepted: b.summary.failed, skippedAlreadySent: b.summary.accepted, failed: 0 });
    expect(smsc.store.uniqueDestinations()).toBe(2 * PER_BROADCAST);
    expect(smsc.store.duplicates()).toEqual({ destinations: 0, extraCopies: 0 });
    console.info(
      `shared transport, maxQueued ${MAX_QUEUED}: broadcast B had ${b.summary.failed} of ${PER_BROADCAST} recipients refused with "send queue is full"; the re-run sent them`,
    );
  }, 120_000);
});
