import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import type { JournalOutcomes } from '../../src/broadcast/broadcast-journal';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';

/** Counts journal writes of outcomes (each is a Redis round trip, and a wake-up, with the Redis journal). */
class CountingJournal extends MemoryBroadcastJournal {
  settles = 0;
  override async settle(id: string, run: string, outcomes: JournalOutcomes): Promise<void> {
    this.settles++;
    return super.settle(id, run, outcomes);
  }
}

const list = (count: number, first = 0): BroadcastRecipient[] =>
  Array.from({ length: count }, (_, i) => ({ to: `+4479${String(first + i).padStart(8, '0')}`, text: 'Water off on Elm St until 6pm.', itemIndex: i }));

/**
 * When the carrier's answers arrive one by one (window 1, a real SMSC with latency), outcomes
 * are written with later answers, not by a timer per answer: a timer every 20 ms woke the
 * process once more per message. And when answers stop coming, what finished is still written
 * (the crash bound holds without a steady stream of answers).
 */
describe('broadcast journal: outcome writes when answers arrive one by one', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  beforeEach(async () => {
    smsc = await startSandbox({ recordMode: 'count', faults: { latencyMs: 10 } });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 1, responseTimeoutMs: 10_000 }));
    await transport.start();
  });
  afterEach(async () => {
    smsc.setFaults({ stalled: false });
    await transport.close(100);
    await smsc.stop();
  });

  it('writes outcomes in a few batches, not one per answer, and records every one', async () => {
    const journal = new CountingJournal();
    const started = performance.now();
    const { summary, generation } = await runBroadcast(list(30), {
      broadcastId: 'cadence',
      sender: transport,
      defaults: { from: 'CITY' },
      message: {},
      journal,
      collectResults: false,
    });
    const elapsedMs = performance.now() - started;
    expect(summary.accepted).toBe(30);
    // One write per 250 ms of answers at most, plus the last one (a 20 ms timer wrote ~15 here).
    expect(journal.settles).toBeLessThanOrEqual(Math.ceil(elapsedMs / 250) + 1);
    const states = await journal.states(
      generation!.broadcastId,
      list(30).map((r) => r.to),
    );
    expect(states.every((s) => s === 'accepted')).toBe(true);
  });

  it('writes what finished while a later submit waits for an answer that does not come', async () => {
    const journal = new CountingJournal();
    smsc.setFaults({ latencyMs: 300 });
    const run = runBroadcast(list(3, 100), {
      broadcastId: 'stall',
      sender: transport,
      defaults: { from: 'CITY' },
      message: {},
      journal,
      collectResults: false,
    });
    let firstState: string | undefined;
    await waitFor(() => smsc.stats.submits >= 2, 'the second submit');
    smsc.setFaults({ stalled: true }); // the second submit's answer (due 300 ms after it came) is held
    // The first outcome is written by the idle timer (about a second), not only at the end of the run.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && firstState !== 'accepted') {
      [firstState] = await journal.states('stall', ['+447900000100']);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(firstState).toBe('accepted');
    const [second] = await journal.states('stall', ['+447900000101']);
    expect(second).toBe('sending'); // claimed, its answer still held: a re-run now would skip it as uncertain
    smsc.setFaults({ stalled: false });
    const { summary } = await run;
    expect(summary.accepted).toBe(3);
    expect(smsc.stats.accepted).toBe(3);
  });
});
