import { mapLimit } from '../gateway/map-limit';
import type { SmsResult } from '../gateway/message-request';
import type { LedgerRecord, SendLedger } from './send-ledger';

export interface OnceJob<R extends SmsResult> {
  /** The idempotency key: the same key is sent at most once while the ledger keeps it. */
  key: string;
  send(): Promise<R>;
}

/** Either this run sent it, or an earlier run with the same key did (or may have): what that left. */
export type OnceOutcome<R> = { sent: R } | { earlier: LedgerRecord };

export interface SendOnceOptions {
  run: string;
  ttlMs: number;
  concurrency: number;
  /** A settle that could not be written (the ledger failed after the send): the send stands, a retry may repeat it. */
  onUnrecorded?(key: string, err: unknown): void;
}

/**
 * Sends each job unless its key was sent before: claims every key first (one round trip per 500),
 * sends what this run claimed, then records each outcome. Accepted and uncertain results (written
 * without an answer, or some parts accepted) are kept for the key; a plain failure is released, so
 * a retry sends it.
 */
export async function sendOnce<R extends SmsResult>(ledger: SendLedger, jobs: Array<OnceJob<R>>, options: SendOnceOptions): Promise<Array<OnceOutcome<R>>> {
  const earlier = await ledger.claim(jobs.map((j) => j.key), options.run, options.ttlMs);
  const outcomes: Array<OnceOutcome<R>> = earlier.map((record) => (record ? { earlier: record } : { sent: undefined as unknown as R }));
  await mapLimit(jobs.map((job, i) => ({ job, i })).filter(({ i }) => !earlier[i]), options.concurrency, async ({ job, i }) => {
    const result = await job.send();
    outcomes[i] = { sent: result };
    const json = result as unknown as Record<string, unknown>;
    const record: Promise<void> = result.status === 'accepted'
      ? ledger.settle(job.key, { state: 'accepted', result: json }, options.ttlMs)
      : result.possibleDuplicate || result.messageIds.length > 0
        ? ledger.settle(job.key, { state: 'uncertain', result: json }, options.ttlMs)
        : ledger.release(job.key, options.run);
    await record.catch((err: unknown) => options.onUnrecorded?.(job.key, err));
  });
  return outcomes;
}
