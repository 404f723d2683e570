/** The limits of authenticator checks and enrolments, and what a check answers. */
import { OtpInputError } from './errors';
import type { TotpCheckOutcome } from './totp-store';
import { checkInteger } from './validate';

export interface TotpLimits {
  /** Wrong codes per user in any sliding period, 1-100 (default 5). */
  maxFailures: number;
  /** Length of the sliding period in seconds, 1-86,400 (default 900: 15 minutes). */
  periodSeconds: number;
  /** Steps accepted on each side of the current one, 0-10 (default 1, i.e. ±30 s). */
  window: number;
  /** Refuse a code whose time step was already accepted (default true). */
  rejectReplay: boolean;
}

export const DEFAULT_TOTP_LIMITS: Readonly<TotpLimits> = { maxFailures: 5, periodSeconds: 900, window: 1, rejectReplay: true };

/** How long a new enrolment waits for its first good code by default: 15 minutes. */
export const DEFAULT_CONFIRM_WITHIN_SECONDS = 900;

export interface TotpCheckResult {
  approved: boolean;
  reason?: Exclude<TotpCheckOutcome, 'approved' | 'confirmed' | 'conflict'>;
  /** The code was the first good one of a new enrolment, which is now the user's authenticator. */
  confirmed?: boolean;
  /** Wrong codes the user may still enter now (the sliding period counts the recent ones). */
  attemptsLeft: number;
  /** When refused for too many attempts: whole seconds until a wrong code stops counting. */
  retryAfterSeconds?: number;
  /** The accepted code's time step and its distance from the current step. */
  timeStep?: number;
  drift?: number;
}

export function resolveLimits(partial: Partial<TotpLimits>): TotpLimits {
  if (Object.keys(partial).length === 0) return DEFAULT_TOTP_LIMITS;
  const limits: TotpLimits = { ...DEFAULT_TOTP_LIMITS };
  for (const [name, value] of Object.entries(partial)) if (value !== undefined && name in limits) Object.assign(limits, { [name]: value });
  checkInteger('maxFailures', limits.maxFailures, 1, 100);
  checkInteger('periodSeconds', limits.periodSeconds, 1, 86_400);
  checkInteger('window', limits.window, 0, 10);
  if (typeof limits.rejectReplay !== 'boolean') throw new OtpInputError('rejectReplay', 'must be true or false');
  return limits;
}

export function tooManyAttempts(retryAfterMs: number): TotpCheckResult {
  return { approved: false, reason: 'too_many_attempts', attemptsLeft: 0, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}
