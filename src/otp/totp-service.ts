/**
 * Authenticator codes with the same care as SMS codes. Enrolment keeps the secret in the
 * state store, sealed with the signing key and bound to the user (TotpSecretBox), so a check
 * needs only the user identifier. Every check is limited per user: at most `maxFailures` wrong
 * codes per period (the period starts with the first wrong one); once reached, every check is
 * refused, unevaluated, until it ends. A code of an already accepted time step is refused.
 * The service never logs a code or a secret, and no error message carries one.
 */
import { checkTotpCode, checkTotpSecret, enrolTotp, TOTP_PERIOD_SECONDS, verifyTotp } from './totp';
import type { TotpEnrolment, TotpEnrolOptions } from './totp';
import { OtpInputError } from './errors';
import { maskSecret, TotpSecretBox, TotpSecretUnreadableError } from './totp-secret-box';
import { liveFailures } from './totp-store';
import type { TotpCheckOutcome, TotpStore } from './totp-store';
import { checkInteger, checkServerKey } from './validate';

export interface TotpLimits {
  /** Wrong codes per user and period, 1-100 (default 5). */
  maxFailures: number;
  /** Length of the period in seconds, 1-86,400 (default 900: 15 minutes). */
  periodSeconds: number;
  /** Steps accepted on each side of the current one, 0-10 (default 1, i.e. ±30 s). */
  window: number;
  /** Refuse a code whose time step was already accepted (default true). */
  rejectReplay: boolean;
}

export const DEFAULT_TOTP_LIMITS: Readonly<TotpLimits> = { maxFailures: 5, periodSeconds: 900, window: 1, rejectReplay: true };

export interface TotpServiceOptions {
  store: TotpStore;
  /** The SMS OTP Settings signing key (at least 16 bytes): seals secrets and names users in the store. */
  serverKey: Buffer | string;
  /** Clock in ms since epoch; inject one in tests instead of sleeping. */
  now?: () => number;
}

export interface TotpStoredEnrolment extends TotpEnrolment {
  /** The secret masked but for its last 4 characters, to tell enrolments apart without revealing it. */
  secretHint: string;
}

export interface TotpCheckResult {
  approved: boolean;
  reason?: Exclude<TotpCheckOutcome, 'approved'>;
  /** Wrong codes the user may still enter in this period. */
  attemptsLeft: number;
  /** When refused for too many attempts: whole seconds until checks are evaluated again. */
  retryAfterSeconds?: number;
  /** The accepted code's time step and its distance from the current step. */
  timeStep?: number;
  drift?: number;
}

const MAX_USER_ID_LENGTH = 256;

export class TotpService {
  private readonly store: TotpStore;
  private readonly box: TotpSecretBox;
  private readonly now: () => number;

  constructor(options: TotpServiceOptions) {
    this.store = options.store;
    this.box = new TotpSecretBox(checkServerKey(options.serverKey));
    this.now = options.now ?? Date.now;
  }

  /** A new secret for `userId` (replacing any earlier one), stored sealed; returned once for the QR code. */
  async enrol(userId: string, app: TotpEnrolOptions): Promise<TotpStoredEnrolment> {
    const userKey = this.box.userKey(checkUserId(userId));
    const enrolment = await enrolTotp(app);
    await this.store.enrol(userKey, this.box.seal(enrolment.secret, userKey));
    return { ...enrolment, secretHint: maskSecret(enrolment.secret) };
  }

  /** Forgets the user's authenticator; false when none was enrolled. */
  async remove(userId: string): Promise<boolean> {
    return this.store.remove(this.box.userKey(checkUserId(userId)));
  }

  /** Checks a code of the authenticator enrolled for `userId`. */
  async verify(userId: string, code: string, limits: Partial<TotpLimits> = {}): Promise<TotpCheckResult> {
    const userKey = this.box.userKey(checkUserId(userId));
    const token = checkTotpCode(code);
    const resolved = resolveLimits(limits);
    const now = this.now();
    const state = await this.store.read(userKey, now);
    if (!state?.sealedSecret) return { approved: false, reason: 'not_enrolled', attemptsLeft: 0 };
    const early = refusedEarly(liveFailures(state, now), state.failuresUntil - now, resolved);
    if (early) return early;
    let secret: string;
    try {
      secret = this.box.open(state.sealedSecret, userKey);
    } catch (err) {
      if (!(err instanceof TotpSecretUnreadableError)) throw err;
      throw new OtpInputError('serverKey', 'the authenticator of this user was sealed with another signing key (was the SMS OTP Settings key changed?); enrol the user again');
    }
    return this.check(userKey, secret, token, resolved, now, { enrolled: true });
  }

  /**
   * Checks a code against a secret the caller passes itself (OTP Verify version 1). Attempts and
   * the last accepted step are kept per secret (under a keyed hash of it) for as long as they matter.
   */
  async verifyWithSecret(secret: string, code: string, limits: Partial<TotpLimits> & { afterTimeStep?: number } = {}): Promise<TotpCheckResult> {
    checkTotpSecret(secret);
    const token = checkTotpCode(code);
    const resolved = resolveLimits(limits);
    const userKey = this.box.secretKey(secret);
    const now = this.now();
    const state = await this.store.read(userKey, now);
    const early = state && refusedEarly(liveFailures(state, now), state.failuresUntil - now, resolved);
    if (early) return early;
    return this.check(userKey, secret, token, resolved, now, { enrolled: false, afterTimeStep: limits.afterTimeStep });
  }

  private async check(
    userKey: string,
    secret: string,
    token: string,
    limits: TotpLimits,
    now: number,
    mode: { enrolled: boolean; afterTimeStep?: number },
  ): Promise<TotpCheckResult> {
    const result = await verifyTotp(secret, token, { now: () => now, window: limits.window, afterTimeStep: mode.afterTimeStep });
    const matchedStep = result.valid ? (result.timeStep ?? null) : null;
    const periodMs = limits.periodSeconds * 1000;
    const committed = await this.store.commitCheck({
      userKey,
      now,
      maxFailures: limits.maxFailures,
      periodMs,
      matchedStep,
      rejectReplay: limits.rejectReplay,
      enrolled: mode.enrolled,
      // Long enough for the failures' period and for any code of the last accepted step to expire.
      forgetAfterMs: Math.max(periodMs, (2 * limits.window + 2) * TOTP_PERIOD_SECONDS * 1000),
    });
    const attemptsLeft = Math.max(0, limits.maxFailures - committed.failures);
    if (committed.outcome === 'approved') return { approved: true, attemptsLeft, timeStep: matchedStep ?? undefined, drift: result.delta ?? 0 };
    if (committed.outcome === 'too_many_attempts') return tooMany(committed.periodLeftMs);
    return { approved: false, reason: committed.outcome, attemptsLeft };
  }
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

function refusedEarly(failures: number, periodLeftMs: number, limits: TotpLimits): TotpCheckResult | null {
  return failures >= limits.maxFailures ? tooMany(periodLeftMs) : null;
}

function tooMany(periodLeftMs: number): TotpCheckResult {
  return { approved: false, reason: 'too_many_attempts', attemptsLeft: 0, retryAfterSeconds: Math.max(1, Math.ceil(periodLeftMs / 1000)) };
}

function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId.trim() === '') throw new OtpInputError('userId', 'must be a non-empty string (the user the authenticator belongs to)');
  if (userId.length > MAX_USER_ID_LENGTH) throw new OtpInputError('userId', `must be at most ${MAX_USER_ID_LENGTH} characters, got ${userId.length}`);
  return userId.trim();
}
