/**
 * Resource limits at a stalled SMSC: 200,000 recipients pushed through runBroadcast at a
 * sandbox that stops answering. Memory must not grow while it stalls, because the pipeline
 * pushes back: four lanes of 1,000 recipients wait on the transport's window and queue
 * (maxQueued) instead of piling up submits. Closing the transport then stops the broadcast at
 * once with one error: the pipeline's recipients fail with the reason (those in flight kept as
 * uncertain), the rest are never tried, and a re-run resumes.
 */
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import { BroadcastStoppedError } from '../../src/broadcast/broadcast-stopped';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';
import { within } from './support/bad-input-table';
import { growthMb, MB, PeakMemory, settledMemory } from './support/memory-sampler';

const RECIPIENTS = 200_000;
const WINDOW = 100;
const MAX_QUEUED = 10_000;

const PIPELINE = 400; // runBroadcast's default concurrency: messages being sent at once
const STALL_SAMPLES = 30; // 30 x 100 ms: "a few seconds" of stall

function recipients(count: number): BroadcastRecipient[] {
  return Array.from({ length: count }, (_, i) => ({
    to: `+4479${String(i).padStart(8, '0')}`,
    text: 'Flood warning: move to higher ground now.',
    itemIndex: i,
  }));
}

describe('resource limits: a broadcast at a stalled SMSC', () => {
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

  it(`holds ${RECIPIENTS.toLocaleString('en')} recipients back without growing memory, then stops at once when the transport closes`, async () => {
    const list = recipients(RECIPIENTS);
    smsc.setFaults({ stalled: true });
    const before = settledMemory();
    let completed = 0;
    const running = runBroadcast(list, {
      broadcastId: `stalled-${Date.now()}`,
      sender: transport,
      defaults: { from: 'CITYALERT' },
      message: {},
      journal: new MemoryBroadcastJournal(),
      collectResults: false,
      progressEveryMs: 0,
      onProgress: (p) => (completed = p.done),
    }).then(
      () => null,
      (err: unknown) => err,
    );
    // The pipeline is full once the window is in flight and the rest of the pool waits in the queue.
    await waitFor(() => transport.metrics().inFlight === WINDOW && transport.metrics().queued === PIPELINE - WINDOW, 'the pipeline to fill', 60_000);

    const stall = new PeakMemory();
    const queueDepths: number[] = [];
    for (let i = 0; i < STALL_SAMPLES; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stall.sample();
      queueDepths.push(transport.metrics().queued + transport.metrics().inFlight);
    }
    stall.stop();
    // Push-back: nothing beyond the pipeline was handed to the transport, nothing completed, nothing failed.
    expect(Math.max(...queueDepths)).toBe(PIPELINE);
    expect(Math.max(...queueDepths)).toBeLessThanOrEqual(MAX_QUEUED + WINDOW);
    expect(completed).toBe(0);
    expect(smsc.stats.submits).toBe(WINDOW); // the SMSC got the window and not one submit more
    // Memory stays flat while the SMSC stalls: the first and last second of the stall differ by little.
    const firstSecond = Math.max(...stall.readings.slice(0, 10).map((r) => r.heapUsed));
    const lastSecond = Math.max(...stall.readings.slice(-10).map((r) => r.heapUsed));
    expect((lastSecond - firstSecond) / MB).toBeLessThan(32);
    const stalledGrowth = growthMb(before, stall.peak);
    expect(stalledGrowth.heapUsed).toBeLessThan(200); // the validated list (~100 bytes per recipient) and the 400 waiting submits

    await transport.close(100);
    const error = await within(60_000, 'the broadcast after the transport closed', running);
    const after = settledMemory();

    console.info(
      `stalled SMSC, ${RECIPIENTS} recipients: heap +${stalledGrowth.heapUsed} MB / RSS +${stalledGrowth.rss} MB while stalled ` +
        `(first vs last second ${Math.round((lastSecond - firstSecond) / MB)} MB), after close heap +${growthMb(before, after).heapUsed} MB, ` +
        `queue+window ${Math.max(...queueDepths)} (maxQueued ${MAX_QUEUED}); gc ${global.gc ? 'forced' : 'not available'}`,
    );
    expect(error).toBeInstanceOf(BroadcastStoppedError);
    const { summary } = error as BroadcastStoppedError;
    expect((error as Error).message).toMatch(
      /^Broadcast stalled-\d+ stopped: the SMPP connection .* was closed\. Up to then 0 accepted, 400 failed \(100 uncertain/,
    );
    // The pipeline fails with its reason (the window in flight may have reached the carrier); nobody else is tried.
    expect(summary).toMatchObject({ total: RECIPIENTS, accepted: 0, failed: PIPELINE, uncertain: WINDOW, possibleDuplicates: WINDOW, invalid: 0 });
    expect(
      Object.keys(summary.failureReasons ?? {}).every((reason) => /^the SMPP connection .* (was closed before the message was sent|is closed)$/.test(reason)),
    ).toBe(true);
    expect(growthMb(before, after).heapUsed).toBeLessThan(global.gc ? 200 : 600);
  }, 120_000);
});
