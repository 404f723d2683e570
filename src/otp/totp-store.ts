/**
 * The storage contract of authenticator codes: per user, the sealed secret (when enrolled
 * through the store), the last accepted time step, and the wrong codes of the current period.
 * commitCheck is atomic (one synchronous step in memory, one Lua script in Redis), so processes
 * sharing a Redis cannot together try more codes than the limit, nor both accept one code.
 */

export interface TotpUserState {
  /** The secret sealed by TotpSecretBox; absent for state kept about a secret the workflow passes itself. */
  sealedSecret?: string;
  /** Time step of the last accepted code; -1 before any. */
  lastStep: number;
  /** Wrong codes counted in the period that ends at failuresUntil. */
  failures: number;
  /** ms since epoch; from then on the failures no longer count. */
  failuresUntil: number;
}

export interface TotpCheckCommit {
  userKey: string;
  now: number;
  /** Wrong codes per period; once reached, every check is refused until the period ends. */
  maxFailures: number;
  /** A period starts with its first wrong code and lasts this long. */
  periodMs: number;
  /** The time step the code matched, or null for a wrong code. */
  matchedStep: number | null;
  /** Refuse a code of a step at or before the last accepted one. */
  rejectReplay: boolean;
  /**
   * true: the user must be enrolled (the state must exist) and it never expires. false: state
   * about a secret the workflow passes itself, created on demand and forgotten after forgetAfterMs.
   */
  enrolled: boolean;
  forgetAfterMs: number;
}

export type TotpCheckOutcome = 'approved' | 'invalid_code' | 'already_used' | 'too_many_attempts' | 'not_enrolled';

export interface TotpCheckCommitted {
  outcome: TotpCheckOutcome;
  /** Wrong codes in the current period after this check. */
  failures: number;
  /** ms until the period ends (0 when no wrong code counts). */
  periodLeftMs: number;
}

export interface TotpStore {
  read(userKey: string, now: number): Promise<TotpUserState | null>;
  /** Stores a (new) sealed secret; the last accepted step starts over, counted wrong codes stay. */
  enrol(userKey: string, sealedSecret: string): Promise<void>;
  /** Forgets the user's secret and state; false when there was none. */
  remove(userKey: string): Promise<boolean>;
  commitCheck(check: TotpCheckCommit): Promise<TotpCheckCommitted>;
}

/** The failures that still count at `now`. */
export function liveFailures(state: TotpUserState, now: number): number {
  return state.failuresUntil > now ? state.failures : 0;
}
