/**
 * The storage contract of authenticator codes. Per user: the confirmed secret (sealed), a new
 * enrolment waiting for its first good code (sealed, with a deadline), the last accepted time
 * step, and the times of the wrong codes that still count (a sliding-window log).
 *
 * Every write is atomic (one synchronous step in memory, one Lua script in Redis) and decides on
 * the store's own clock: Redis's TIME, so processes with skewed clocks agree on lockouts and
 * deadlines. A check commits only if the secrets it was checked against are still the stored
 * ones; otherwise it answers 'conflict' and the caller reads and checks again.
 */

export interface TotpUserState {
  /** The confirmed secret, sealed by TotpSecretBox; absent before a first confirmation (and for a secret the workflow passes itself). */
  sealedSecret?: string;
  /** A new enrolment waiting for its first good code, sealed; absent when there is none or it lapsed. */
  pendingSecret?: string;
  /** ms (store clock) until which the pending enrolment can be confirmed. */
  pendingUntil?: number;
  /** Time step of the last accepted code of the confirmed secret; -1 before any. */
  lastStep: number;
  /** ms (store clock) of recent wrong codes, oldest first; those older than the period no longer count. */
  failureTimes: number[];
}

export interface TotpRead {
  state: TotpUserState | null;
  /** The store's clock at the read (ms since epoch): what the code is matched against. */
  now: number;
}

export interface TotpEnrolCommit {
  userKey: string;
  sealedSecret: string;
  /** How long the new enrolment waits for its first good code. */
  pendingMs: number;
  /** Whether a confirmed enrolment may be replaced (it stays active until the new one is confirmed). */
  replace: boolean;
  /** The caller's clock; only the memory store (and tests) decide on it. */
  now: number;
}

export type TotpEnrolOutcome = { outcome: 'pending'; pendingUntil: number; replacing: boolean } | { outcome: 'already_enrolled' };

export interface TotpCheckCommit {
  userKey: string;
  /** The caller's clock; only the memory store (and tests) decide on it. */
  now: number;
  /** Wrong codes allowed in any sliding period; once reached, every check is refused, unevaluated. */
  maxFailures: number;
  periodMs: number;
  /** The time step the code matched, or null for a wrong code. */
  matchedStep: number | null;
  /** Which secret the code matched: the confirmed one, or the pending one (whose first good code confirms it). */
  matchedSlot: 'active' | 'pending' | null;
  /**
   * The sealed secrets the code was checked against (null: none stored). The check commits only
   * if both are still the stored ones. Undefined for a secret the workflow passes itself.
   */
  expect?: { active: string | null; pending: string | null };
  /** Refuse a code of a step at or before the last accepted one. */
  rejectReplay: boolean;
  /** State about a passed secret (no `expect`) is forgotten this long after its last check. */
  forgetAfterMs: number;
}

export type TotpCheckOutcome = 'approved' | 'confirmed' | 'invalid_code' | 'already_used' | 'too_many_attempts' | 'not_enrolled' | 'conflict';

export interface TotpCheckCommitted {
  outcome: TotpCheckOutcome;
  /** Wrong codes counting in the sliding period after this check. */
  failures: number;
  /** When refused for too many attempts: ms until one of them stops counting. */
  retryAfterMs: number;
}

export interface TotpStore {
  read(userKey: string, now: number): Promise<TotpRead>;
  /** Stores a pending enrolment; refused when a confirmed one exists and `replace` is off. */
  enrol(commit: TotpEnrolCommit): Promise<TotpEnrolOutcome>;
  /** Forgets the confirmed and the pending secret (wrong codes keep counting); false when there was neither. */
  remove(userKey: string, now: number): Promise<boolean>;
  commitCheck(check: TotpCheckCommit): Promise<TotpCheckCommitted>;
}

/** The longest period wrong codes can count (24 h): how long a removed user's wrong codes are kept. */
export const MAX_FAILURE_PERIOD_MS = 86_400_000;
/** More wrong codes than the highest limit (100) never need remembering. */
export const MAX_FAILURE_LOG = 100;

/** The wrong codes that count at `now`: those less than `periodMs` old. */
export function countingFailures(times: readonly number[], now: number, periodMs: number): number[] {
  return times.filter((t) => now - t < periodMs);
}

/** With `counting` (oldest first) at or over the limit: ms until enough stop counting for one more check. */
export function lockedForMs(counting: readonly number[], maxFailures: number, periodMs: number, now: number): number {
  const oldestThatMustGo = counting[counting.length - maxFailures];
  return Math.max(1, oldestThatMustGo + periodMs - now);
}
