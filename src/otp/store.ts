/**
 * The storage contract of the OTP core. Every method that changes state is atomic in the
 * implementation (one synchronous step in memory, one Lua script in Redis), so several workers
 * sharing one Redis cannot both approve a code, exceed the attempt limit or the send limits.
 *
 * Reads are plain; writes are conditional on what was read (sid + rev for sends, sid + counter
 * for checks): a writer that lost a race gets `conflict`, reads again and decides again.
 */
import type { SendRefusalCode, VerificationRecord, VerificationStatus } from './types';

/** One hourly counter of the pumping guard. */
export interface RateLimitCheck {
  /** Store-relative counter key; it names the window it counts (e.g. 'rl:n:+4915112345678:472222'). */
  counterKey: string;
  /** At most this many sends in the window; the send that would exceed it is refused. */
  limit: number;
  /** ms since epoch when the window ends (and the counter may be forgotten). */
  windowEndsAt: number;
  refusal: SendRefusalCode;
}

export interface SendCommit {
  /** Store-relative verification key. */
  key: string;
  /** The record as read before deciding (null: there was none). */
  expect: { sid: string; rev: number } | null;
  /** The record to write if the expectation holds and every rate limit has room. */
  record: VerificationRecord;
  rateLimits: readonly RateLimitCheck[];
  now: number;
}

export type SendCommitOutcome = { kind: 'committed' } | { kind: 'conflict' } | { kind: 'refused'; refusal: SendRefusalCode; retryAfterMs: number };

export interface CheckCommit {
  key: string;
  sid: string;
  /** The counter whose code hash the caller compared against. */
  counter: number;
  /** Result of the caller's constant-time comparison. */
  matched: boolean;
  now: number;
}

export type CheckOutcome = 'approved' | 'invalid_code' | 'expired' | 'already_used' | 'canceled' | 'max_attempts_reached';

export type CheckCommitOutcome = { kind: 'conflict' } | { kind: 'checked'; outcome: CheckOutcome; status: VerificationStatus; attempts: number };

/** Gives back one send that issue() committed but whose SMS did not go out. */
export interface SendRefund {
  key: string;
  /** The verification and the send as committed: nothing is given back if another send came since. */
  sid: string;
  sendCount: number;
  lastSentAt: number;
  /** The fields before that send; null when the send created the verification (it is then ended). */
  previous: Pick<VerificationRecord, 'sendCount' | 'lastSentAt' | 'counter' | 'codeHash'> | null;
  /** The pumping guard's counters the send bumped: each goes down by one. */
  counterKeys: readonly string[];
  now: number;
}

export interface RefundOutcome {
  /** Whether the verification's send count and resend slot were given back (false: it changed since). */
  refunded: boolean;
  status: VerificationStatus | 'not_found';
}

export interface CancelOutcome {
  canceled: boolean;
  status: VerificationStatus | 'not_found';
}

export interface OtpStore {
  /** The store's own clock (ms since epoch) when it is shared between processes (Redis: TIME). */
  clock?(): Promise<number>;
  read(key: string, now: number): Promise<VerificationRecord | null>;
  /** Checks and bumps the rate counters and writes the record, all or nothing. Counts refusals. */
  commitSend(commit: SendCommit): Promise<SendCommitOutcome>;
  /** Counts one check attempt and applies its result (approve once, or end at max attempts). */
  commitCheck(commit: CheckCommit): Promise<CheckCommitOutcome>;
  /** Undoes one committed send whose SMS did not go out, all or nothing (see SendRefund). */
  refundSend(refund: SendRefund): Promise<RefundOutcome>;
  /** Cancels the verification if it is pending and not expired. */
  cancel(key: string, now: number): Promise<CancelOutcome>;
  /** Adds one to the refusal counter of `refusal` (for refusals decided outside commitSend). */
  countRefusal(refusal: SendRefusalCode): Promise<void>;
  /** Refusals counted so far, per reason (0 for reasons never seen). */
  refusalStats(): Promise<Record<SendRefusalCode, number>>;
}

/** Status a record has at `now`: a pending record past its expiry reads as expired. */
export function effectiveStatus(record: VerificationRecord, now: number): VerificationStatus {
  return record.status === 'pending' && now >= record.expiresAt ? 'expired' : record.status;
}
