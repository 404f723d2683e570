import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import type { JournalState } from '../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import type { BroadcastOptions } from '../../src/broadcast/broadcast-runner';
import { BroadcastStoppedError } from '../../src/broadcast/broadcast-stopped';
import type { BroadcastProgress, BroadcastRecipient, BroadcastSummary } from '../../src/broadcast/broadcast-types';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import type { SandboxFaults } from '../../src/sandbox/types';
import { Status } from '../../src/transport/smpp/command-status';
import { SmppBindPool } from '../../src/transport/smpp/bind-pool';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

const COUNT = 600;
/** The recipient whose result a hook is reporting when it throws (failure cases). */
const MARKED = 150;
const SHORT = 'Power cut until 18:00.';
/** Two GSM parts: with the sandbox failing every part 2, its first part is accepted, its second refused. */
const LONG = `${SHORT} `.repeat(9);
const numberOf = (i: number): string => `+4479${String(50_000_000 + i).padStart(8, '0')}`;
const list = (longAt = -1): BroadcastRecipient[] =>
  Array.from({ length: COUNT }, (_, i) => ({ to: numberOf(i), text: i === longAt ? LONG : SHORT, itemIndex: i }));

/**
 * A user hook (onProgress, onAccepted) that throws stops the run, but never changes what the
 * journal records for the recipient whose result it was reporting: accepted stays accepted (a
 * re-run never sends it again, even with Resend Uncertain), a sure failure (the carrier refused
 * it, nothing reached the phone) is released (a re-run sends it without Resend Uncertain), an
 * uncertain one stays uncertain. The summary counts it once, as the journal does. Real TCP to
 * the sandbox SMSC, which answers every submit: after the stop nothing else can be uncertain.
 */
describe('a throwing hook keeps the journal right for the recipient it reported', () => {
  let smsc: SandboxSmsc | null = null;
  let pool: SmppBindPool | null = null;
  const problems: unknown[] = [];
  const onProblem = (err: unknown): void => void problems.push(err);
  beforeAll(() => {
    process.on('unhandledRejection', onProblem);
    process.on('uncaughtException', onProblem);
  });
  afterEach(async () => {
    await pool?.close(0).catch(() => undefined);
    await smsc?.stop().catch(() => undefined);
    pool = null;
    smsc = null;
  });
  afterAll(() => {
    process.off('unhandledRejection', onProblem);
    process.off('uncaughtException', onProblem);
  });

  /** Runs once with the hook, expecting the stop; gives the stopped run's summary and the journal's states. */
  const stoppedRun = async (
    name: string,
    faults: Partial<SandboxFaults>,
    recipients: BroadcastRecipient[],
    hooks: Pick<BroadcastOptions, 'onProgress' | 'onAccepted'>,
  ): Promise<{ summary: BroadcastSummary; states: Map<string, JournalState | undefined>; options: BroadcastOptions }> => {
    smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10, faults });
    pool = new SmppBindPool(sandboxTransportOptions(smsc, { windowSize: 20 }));
    await pool.start();
    const journal = new MemoryBroadcastJournal();
    const options: BroadcastOptions = {
      broadcastId: `${name}-${Date.now()}`,
      sender: pool,
      defaults: { from: 'CITYALERT' },
      message: {},
      journal,
      progressEveryMs: 0,
    };
    const error = await runBroadcast(recipients, { ...options, ...hooks }).then(
      () => null,
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(problems).toEqual([]);
    expect(error).toBeInstanceOf(BroadcastStoppedError);
    expect((error as BroadcastStoppedError).reason.message).toMatch(/exploded/);
    const numbers = recipients.map((r) => r.to);
    const found = await journal.states(options.broadcastId, numbers);
    const states = new Map(numbers.map((n, i) => [n, found[i]]));
    return { summary: (error as BroadcastStoppedError).summary, states, options };
  };
  const countOf = (states: Map<string, JournalState | undefined>, state: JournalState | undefined): number =>
    [...states.values()].filter((s) => s === state).length;

  it.each([
    ['onProgress', (boom: () => void) => ({ onProgress: boom })],
    ['onAccepted', (boom: () => void) => ({ onAccepted: boom })],
  ])('%s throwing after an accepted recipient: it stays accepted, never resent even with Resend Uncertain', async (hook, hooks) => {
    let calls = 0;
    const boom = (): void => {
      if (++calls === 100) throw new Error(`${hook} exploded`);
    };
    const { summary, states, options } = await stoppedRun(`accepted-${hook}`, {}, list(), hooks(boom));
    const sentFirst = smsc!.stats.accepted;
    expect(sentFirst).toBeGreaterThanOrEqual(100);
    // The SMSC answered every submit: each number is accepted (counted and journaled) or never sent.
    expect({ accepted: summary.accepted, uncertain: summary.uncertain, failed: summary.failed }).toEqual({ accepted: sentFirst, uncertain: 0, failed: 0 });
    expect({ accepted: countOf(states, 'accepted'), uncertain: countOf(states, 'uncertain'), sending: countOf(states, 'sending') }).toEqual({
      accepted: sentFirst,
      uncertain: 0,
      sending: 0,
    });

    const rerun = await runBroadcast(list(), { ...options, resendUncertain: true });
    expect(smsc!.store.duplicates().extraCopies).toBe(0);
    expect(smsc!.store.uniqueDestinations()).toBe(COUNT);
    expect(rerun.summary).toMatchObject({ skippedAlreadySent: sentFirst, accepted: COUNT - sentFirst, possibleDuplicates: 0 });
  });

  it('onProgress throwing while reporting a sure failure (refused, nothing sent): released, a re-run sends it without Resend Uncertain', async () => {
    const refused = numberOf(MARKED);
    let thrown = false;
    const onProgress = (p: BroadcastProgress): void => {
      if (p.failed > 0 && !thrown) {
        thrown = true;
        throw new Error('onProgress exploded');
      }
    };
    const faults = { failDestinations: [refused.slice(1)], failStatus: Status.invalidDestination };
    const { summary, states, options } = await stoppedRun('refused', faults, list(), { onProgress });
    expect(states.get(refused)).toBeUndefined();
    expect({ accepted: summary.accepted, failed: summary.failed, uncertain: summary.uncertain }).toEqual({
      accepted: smsc!.stats.accepted,
      failed: 1,
      uncertain: 0,
    });
    expect({ accepted: countOf(states, 'accepted'), uncertain: countOf(states, 'uncertain'), sending: countOf(states, 'sending') }).toEqual({
      accepted: smsc!.stats.accepted,
      uncertain: 0,
      sending: 0,
    });

    smsc!.setFaults({ failDestinations: [] }); // the carrier takes it now
    const sentFirst = smsc!.stats.accepted;
    const rerun = await runBroadcast(list(), options);
    expect(rerun.summary).toMatchObject({ skippedUncertain: 0, skippedAlreadySent: sentFirst, accepted: COUNT - sentFirst, failed: 0 });
    expect(smsc!.store.uniqueDestinations()).toBe(COUNT);
    expect(smsc!.store.duplicates().extraCopies).toBe(0);
  });

  it('onProgress throwing while reporting an uncertain recipient (part 1 accepted, part 2 refused): it stays uncertain, skipped by a re-run', async () => {
    const partly = numberOf(MARKED);
    let thrown = false;
    const onProgress = (p: BroadcastProgress): void => {
      if (p.failed > 0 && !thrown) {
        thrown = true;
        throw new Error('onProgress exploded');
      }
    };
    const faults = { failParts: [2], failStatus: Status.invalidDestination };
    const { summary, states, options } = await stoppedRun('partly', faults, list(MARKED), { onProgress });
    expect(states.get(partly)).toBe('uncertain');
    // The SMSC took part 1 of the long one too: accepted messages are one fewer than accepted submits.
    expect({ accepted: summary.accepted, failed: summary.failed, uncertain: summary.uncertain }).toEqual({
      accepted: smsc!.stats.accepted - 1,
      failed: 1,
      uncertain: 1,
    });
    expect({ accepted: countOf(states, 'accepted'), uncertain: countOf(states, 'uncertain'), sending: countOf(states, 'sending') }).toEqual({
      accepted: summary.accepted,
      uncertain: 1,
      sending: 0,
    });

    smsc!.setFaults({ failParts: [] });
    const rerun = await runBroadcast(list(MARKED), options);
    expect(rerun.summary).toMatchObject({ skippedUncertain: 1, skippedAlreadySent: summary.accepted, accepted: COUNT - 1 - summary.accepted });
    expect(smsc!.store.duplicates().extraCopies).toBe(0);
  });
});
