import { mapLimit } from '../gateway/map-limit';
import type { SmsResult } from '../gateway/message-request';
import type { LedgerRecord, SendLedger } from './send-ledger';

export interface OnceJob<R extends SmsResult> {
  /** The idempotency key: the same key is sent at most once while the ledger keeps it. */
  key: string;
  send(): Promise<R>;
}

/**
 * Either this run sent it, or an earlier run with the same key did (or may have): what that left;
 * or it was not sent because the ledger could not be reached.
 */
export type OnceOutcome<R> = { sent: R } | { earlier: LedgerRecord } | { notSent: Error };

export interface SendOnceOptions {
  run: string;
  ttlMs: number;
  concurrency: number;
  /** A settle that could not be written (the ledger failed after the send): the send stands, a retry may repeat it. */
  onUnrecorded?(key: string, err: unknown): void;
}

/**
 * Sends each job unless its key was sent before: each key is claimed just before its message is
 * sent (so a crash leaves only the messages in flight claimed, not the whole list), then its
 * outcome recorded. Accepted and uncertain results (written without an answer, or some parts
 * accepted) are kept for the key; a plain failure is released, so a retry sends it. A key
 * repeated in `jobs` (two items for one order, one number listed twice) is sent once: the repeats
 * answer what its first job left, as an earlier send. A ledger that cannot be reached stops the
 * sends not yet started: they answer `notSent` with the reason.
 */
export async function sendOnce<R extends SmsResult>(ledger: SendLedger, jobs: Array<OnceJob<R>>, options: SendOnceOptions): Promise<Array<OnceOutcome<R>>> {
  // The ledger answers "claimed by this run" for every repeat of a key: only the first may send.
  const firstOf = new Map<string, number>();
  jobs.forEach((job, i) => {
    if (!firstOf.has(job.key)) firstOf.set(job.key, i);
  });
  const outcomes: Array<OnceOutcome<R>> = new Array(jobs.length);
  let ledgerFailure: Error | null = null;
  await mapLimit([...firstOf.values()], options.concurrency, async (i) => {
    const job = jobs[i];
    if (ledgerFailure) {
      outcomes[i] = { notSent: ledgerFailure };
      return;
    }
    let before: LedgerRecord | null;
    try {
      [before] = await ledger.claim([job.key], options.run, options.ttlMs);
    } catch (err) {
      ledgerFailure ??= err instanceof Error ? err : new Error(String(err));
      outcomes[i] = { notSent: ledgerFailure };
      return;
    }
    if (before) {
      outcomes[i] = { earlier: before };
      return;
    }
    const result = await job.send();
    outcomes[i] = { sent: result };
    const json = result as unknown as Record<string, unknown>;
    const record: Promise<void> =
      result.status === 'accepted'
        ? ledger.settle(job.key, { state: 'accepted', result: json }, options.ttlMs)
        : result.possibleDuplicate || result.messageIds.length > 0
          ? ledger.settle(job.key, { state: 'uncertain', result: json }, options.ttlMs)
          : ledger.release(job.key, options.run);
    await record.catch((err: unknown) => options.onUnrecorded?.(job.key, err));
  });
  jobs.forEach((job, i) => {
    const first = firstOf.get(job.key)!;
    if (i !== first) outcomes[i] = repeatOf(outcomes[first]);
  });
  return outcomes;
}

/** What a repeated key answers: the first job's send, as an earlier send (a plain failure as the same failure). */
function repeatOf<R extends SmsResult>(first: OnceOutcome<R>): OnceOutcome<R> {
  if (!('sent' in first)) return first;
  const result = first.sent as unknown as Record<string, unknown>;
  if (first.sent.status === 'accepted') return { earlier: { state: 'accepted', result } };
  if (first.sent.possibleDuplicate || first.sent.messageIds.length > 0) return { earlier: { state: 'uncertain', result } };
  return first;
}
