import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import type { BroadcastOptions } from '../../src/broadcast/broadcast-runner';
import { BroadcastStoppedError } from '../../src/broadcast/broadcast-stopped';
import type { BroadcastProgress, BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppBindPool } from '../../src/transport/smpp/bind-pool';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

const COUNT = Number(process.env.COUNT ?? 3000);
const recipients: BroadcastRecipient[] = Array.from({ length: COUNT }, (_, i) => ({
  to: `+4479${String(40_000_000 + i).padStart(8, '0')}`,
  text: 'Power cut until 18:00.',
  itemIndex: i,
}));

/**
 * A progress hook that throws once stops the run (as it should), but the recipient whose outcome
 * was being counted when it threw is in no counter: report() runs after done++ and before
 * accepted++/failed++, and the throw turns the outcome into the journal's 'uncertain' without
 * summary.uncertain. The SMSC accepted it; the summary says neither accepted nor uncertain.
 */
describe('hooks that throw', () => {
  let smsc: SandboxSmsc | null = null;
  const problems: unknown[] = [];
  const onProblem = (err: unknown): void => void problems.push(err);
  beforeAll(() => {
    process.on('unhandledRejection', onProblem);
    process.on('uncaughtException', onProblem);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onProblem);
    process.off('uncaughtException', onProblem);
    await smsc?.stop().catch(() => undefined);
  });

  // onAccepted throwing the same way is counted right; what the journal keeps: throwing-hooks-journal.test.ts.
  for (const hook of ['onProgress'] as const) {
    it(`${hook} throwing stops the run, counts exact, no unhandled rejection, re-run sends nobody twice`, async () => {
      smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10 });
      const journal = new MemoryBroadcastJournal();
      const pool = new SmppBindPool(sandboxTransportOptions(smsc, { windowSize: 50 }));
      await pool.start();
      let calls = 0;
      const boom = (): void => {
        if (++calls === 200) throw new Error(`${hook} exploded`);
      };
      const options: BroadcastOptions = {
        broadcastId: `throwing-${hook}`,
        sender: pool,
        defaults: { from: 'CITYALERT' },
        message: {},
        journal,
        progressEveryMs: 0,
        [hook]: boom,
      };
      const error = await runBroadcast(recipients, options).then(
        () => null,
        (err: unknown) => err,
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(problems).toEqual([]);
      expect(error).toBeInstanceOf(BroadcastStoppedError);
      const { summary } = error as BroadcastStoppedError;
      // Every message the SMSC took is counted accepted (or uncertain), none lost between the counters.
      expect({ accepted: summary.accepted + summary.uncertain }).toEqual({ accepted: smsc.stats.accepted });
      const rerun = await runBroadcast(recipients, { ...options, [hook]: undefined });
      await pool.close(0);
      expect(smsc.store.duplicates().extraCopies).toBe(0);
      expect(rerun.summary.accepted + rerun.summary.skippedAlreadySent + rerun.summary.skippedUncertain).toBe(COUNT);
      await smsc.stop();
      smsc = null;
    });
  }

  /**
   * The last progress report runs after every send: one that throws there took the stop's summary
   * with it (the caller got the hook's bare error, not what was sent), or failed a finished run
   * without one. Either way the caller gets a BroadcastStoppedError with the exact summary.
   */
  it.each([
    ['on every call, the last one too', 0, (p: BroadcastProgress): boolean => p.done >= 0],
    ['only on the last report of a finished run', 60_000, (p: BroadcastProgress): boolean => p.done === p.total],
  ])('onProgress throwing %s: the error keeps the summary', async (_case, progressEveryMs, throwsOn) => {
    const sandbox = await startSandbox({ recordMode: 'count', maxStoredMessages: 10 });
    const pool = new SmppBindPool(sandboxTransportOptions(sandbox, { windowSize: 50 }));
    try {
      await pool.start();
      const some = recipients.slice(0, 300);
      const onProgress = (p: BroadcastProgress): void => {
        if (throwsOn(p)) throw new Error('onProgress exploded');
      };
      const options: BroadcastOptions = {
        broadcastId: `last-report-${progressEveryMs}`,
        sender: pool,
        defaults: { from: 'CITYALERT' },
        message: {},
        journal: new MemoryBroadcastJournal(),
        progressEveryMs,
        onProgress,
      };
      const error = await runBroadcast(some, options).then(
        () => null,
        (err: unknown) => err,
      );
      expect(problems).toEqual([]);
      expect(error).toBeInstanceOf(BroadcastStoppedError);
      const { summary, reason } = error as BroadcastStoppedError;
      expect(reason.message).toBe('onProgress exploded');
      expect({ accepted: summary.accepted, failed: summary.failed, uncertain: summary.uncertain }).toEqual({
        accepted: sandbox.stats.accepted,
        failed: 0,
        uncertain: 0,
      });
      if (progressEveryMs > 0) expect(summary.accepted).toBe(some.length); // the run itself finished
    } finally {
      await pool.close(0);
      await sandbox.stop();
    }
  });
});
