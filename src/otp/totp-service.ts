/**
 * Authenticator codes with the same care as SMS codes, and enrolments as an authenticator
 * product keeps them. Enrolment keeps the secret in the state store, sealed with the signing key
 * and bound to the user (TotpSecretBox), so a check needs only the user identifier. A new
 * enrolment is pending until its first good code confirms it; a confirmed one is replaced only
 * when the caller asks, and stays active until its replacement is confirmed.
 *
 * Checks are limited per user: at most `maxFailures` wrong codes in any sliding period; while
 * that many count, every check is refused, unevaluated. A code of an already accepted time step
 * is refused. A check commits only if the secrets it checked are still the stored ones.
 * The service never logs a code or a secret, and no error message carries one.
 */
import { checkTotpCode, checkTotpSecret, enrolTotp, TOTP_PERIOD_SECONDS, verifyTotp } from './totp';
import type { TotpEnrolment, TotpEnrolOptions } from './totp';
import { OtpConflictError, OtpInputError, TotpEnrolRefusedError } from './errors';
import { DEFAULT_CONFIRM_WITHIN_SECONDS, resolveLimits, tooManyAttempts } from './totp-limits';
import type { TotpCheckResult, TotpLimits } from './totp-limits';
import { maskSecret, TotpSecretBox, TotpSecretUnreadableError } from './totp-secret-box';
import { countingFailures, lockedForMs } from './totp-store';
import type { TotpCheckCommit, TotpStore, TotpUserState } from './totp-store';
import { checkInteger, checkServerKey } from './validate';

export { DEFAULT_TOTP_LIMITS, resolveLimits } from './totp-limits';
export type { TotpCheckResult, TotpLimits } from './totp-limits';

export interface TotpServiceOptions {
  store: TotpStore;
  /** The SMS OTP Settings signing key (at least 16 bytes): seals secrets and names users in the store. */
  serverKey: Buffer | string;
  /** Clock in ms since epoch; inject one in tests instead of sleeping. The Redis store decides on Redis's clock. */
  now?: () => number;
}

export interface TotpEnrolRequest {
  /** Replace a confirmed enrolment (it stays active until the new one is confirmed). Default false: refused. */
  replace?: boolean;
  /** How long the new enrolment waits for its first good code, 60-86,400 s (default 900). */
  confirmWithinSeconds?: number;
}

export interface TotpStoredEnrolment extends TotpEnrolment {
  /** The secret masked but for its last 4 characters, to tell enrolments apart without revealing it. */
  secretHint: string;
  status: 'pending';
  /** Until when its first good code confirms it; after that it is forgotten. */
  confirmBefore: Date;
  /** A confirmed authenticator exists and keeps working until this one is confirmed. */
  replacing: boolean;
}

export interface TotpEnrolmentStatus {
  /** enrolled: a confirmed authenticator; pending: only one waiting for its first good code; none. */
  status: 'enrolled' | 'pending' | 'none';
  /** A new enrolment is waiting for its first good code (beside a confirmed one, or alone). */
  pending: boolean;
  confirmBefore?: Date;
}

const MAX_USER_ID_LENGTH = 256;
/** Checks racing an enrolment change read and check again; this many rounds is plenty. */
const MAX_CHECK_ROUNDS = 10;

export class TotpService {
  private readonly store: TotpStore;
  private readonly box: TotpSecretBox;
  private readonly now: () => number;

  constructor(options: TotpServiceOptions) {
    this.store = options.store;
    this.box = new TotpSecretBox(checkServerKey(options.serverKey));
    this.now = options.now ?? Date.now;
  }

  /**
   * A new secret for `userId`, stored sealed and pending until its first good code; returned
   * once, for the QR code. Throws TotpEnrolRefusedError when the user has a confirmed
   * authenticator and `replace` is off.
   */
  async enrol(userId: string, app: TotpEnrolOptions, request: TotpEnrolRequest = {}): Promise<TotpStoredEnrolment> {
    const id = checkUserId(userId);
    const userKey = this.box.userKey(id);
    const confirmWithin = request.confirmWithinSeconds ?? DEFAULT_CONFIRM_WITHIN_SECONDS;
    checkInteger('confirmWithinSeconds', confirmWithin, 60, 86_400);
    const replace = request.replace === true;
    // A refusal costs no secret and no QR code; the store decides again atomically below.
    if (!replace && (await this.store.read(userKey, this.now())).state?.sealedSecret) throw alreadyEnrolled(id);
    const enrolment = await enrolTotp(app);
    const stored = await this.store.enrol({
      userKey,
      sealedSecret: this.box.seal(enrolment.secret, userKey),
      pendingMs: confirmWithin * 1000,
      replace,
      now: this.now(),
    });
    if (stored.outcome === 'already_enrolled') throw alreadyEnrolled(id);
    return {
      ...enrolment,
      secretHint: maskSecret(enrolment.secret),
      status: 'pending',
      confirmBefore: new Date(stored.pendingUntil),
      replacing: stored.replacing,
    };
  }

  /** Forgets the user's authenticator, confirmed and pending; false when there was none. Wrong codes keep counting. */
  async remove(userId: string): Promise<boolean> {
    return this.store.remove(this.box.userKey(checkUserId(userId)), this.now());
  }

  /** Whether the user has an authenticator; never the secret. */
  async status(userId: string): Promise<TotpEnrolmentStatus> {
    const { state } = await this.store.read(this.box.userKey(checkUserId(userId)), this.now());
    const pending = state?.pendingSecret !== undefined;
    const status = state?.sealedSecret ? 'enrolled' : pending ? 'pending' : 'none';
    return { status, pending, ...(pending && state?.pendingUntil !== undefined ? { confirmBefore: new Date(state.pendingUntil) } : {}) };
  }

  /** Checks a code of the authenticator enrolled for `userId`; the first good code of a pending enrolment confirms it. */
  async verify(userId: string, code: string, limits: Partial<TotpLimits> = {}): Promise<TotpCheckResult> {
    const userKey = this.box.userKey(checkUserId(userId));
    const token = checkTotpCode(code);
    const resolved = resolveLimits(limits);
    for (let round = 0; round < MAX_CHECK_ROUNDS; round += 1) {
      const { state, now } = await this.store.read(userKey, this.now());
      if (!state?.sealedSecret && !state?.pendingSecret) return { approved: false, reason: 'not_enrolled', attemptsLeft: 0 };
      const early = refusedEarly(state, now, resolved);
      if (early) return early;
      const matched = await this.match(state, userKey, token, resolved.window, now);
      const expect = { active: state.sealedSecret ?? null, pending: state.pendingSecret ?? null };
      const result = await this.commit({ userKey, ...matched, expect }, resolved, now);
      if (result) return result;
    }
    throw new OtpConflictError('authenticator check: the enrolment of this user kept changing during the check; try again');
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
    const { state, now } = await this.store.read(userKey, this.now());
    const early = state && refusedEarly(state, now, resolved);
    if (early) return early;
    const result = await verifyTotp(secret, token, { now: () => now, window: resolved.window, afterTimeStep: limits.afterTimeStep });
    const matched = {
      matchedStep: result.valid ? (result.timeStep ?? null) : null,
      matchedSlot: result.valid ? ('active' as const) : null,
      drift: result.delta ?? 0,
    };
    const committed = await this.commit({ userKey, ...matched }, resolved, now);
    if (!committed) throw new OtpConflictError('authenticator check: unexpected conflict for a passed-in secret');
    return committed;
  }

  /** Matches the code against the confirmed secret, then the pending one. */
  private async match(state: TotpUserState, userKey: string, token: string, window: number, now: number) {
    for (const [slot, sealed] of [
      ['active', state.sealedSecret],
      ['pending', state.pendingSecret],
    ] as const) {
      if (!sealed) continue;
      const result = await verifyTotp(this.open(sealed, userKey), token, { now: () => now, window });
      if (result.valid) return { matchedStep: result.timeStep ?? null, matchedSlot: slot, drift: result.delta ?? 0 };
    }
    return { matchedStep: null, matchedSlot: null, drift: 0 };
  }

  private open(sealed: string, userKey: string): string {
    try {
      return this.box.open(sealed, userKey);
    } catch (err) {
      if (!(err instanceof TotpSecretUnreadableError)) throw err;
      throw new OtpInputError(
        'serverKey',
        'the authenticator of this user was sealed with another signing key (was the SMS OTP Settings key changed?); enrol the user again',
      );
    }
  }

  /** Commits a check; null when the user's secrets changed since they were read (check again). */
  private async commit(
    check: Pick<TotpCheckCommit, 'userKey' | 'matchedStep' | 'matchedSlot' | 'expect'> & { drift: number },
    limits: TotpLimits,
    now: number,
  ): Promise<TotpCheckResult | null> {
    const periodMs = limits.periodSeconds * 1000;
    const committed = await this.store.commitCheck({
      userKey: check.userKey,
      now,
      maxFailures: limits.maxFailures,
      periodMs,
      matchedStep: check.matchedStep,
      matchedSlot: check.matchedSlot,
      expect: check.expect,
      rejectReplay: limits.rejectReplay,
      // Long enough for the failures' period and for any code of the last accepted step to expire.
      forgetAfterMs: Math.max(periodMs, (2 * limits.window + 2) * TOTP_PERIOD_SECONDS * 1000),
    });
    const attemptsLeft = Math.max(0, limits.maxFailures - committed.failures);
    switch (committed.outcome) {
      case 'conflict':
        return null;
      case 'approved':
      case 'confirmed':
        return {
          approved: true,
          ...(committed.outcome === 'confirmed' ? { confirmed: true } : {}),
          attemptsLeft,
          timeStep: check.matchedStep ?? undefined,
          drift: check.drift,
        };
      case 'too_many_attempts':
        return tooManyAttempts(committed.retryAfterMs);
      default:
        return { approved: false, reason: committed.outcome, attemptsLeft };
    }
  }
}

function refusedEarly(state: TotpUserState, now: number, limits: TotpLimits): TotpCheckResult | null {
  const periodMs = limits.periodSeconds * 1000;
  const counting = countingFailures(state.failureTimes, now, periodMs);
  return counting.length >= limits.maxFailures ? tooManyAttempts(lockedForMs(counting, limits.maxFailures, periodMs, now)) : null;
}

function alreadyEnrolled(userId: string): TotpEnrolRefusedError {
  return new TotpEnrolRefusedError(
    `User ID ${JSON.stringify(userId)} already has a confirmed authenticator: it was kept. To replace it, turn on "Replace Existing Authenticator" (the old one works until the new one is confirmed), or remove it first`,
  );
}

function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId.trim() === '')
    throw new OtpInputError('userId', 'must be a non-empty string (the user the authenticator belongs to)');
  if (userId.length > MAX_USER_ID_LENGTH) throw new OtpInputError('userId', `must be at most ${MAX_USER_ID_LENGTH} characters, got ${userId.length}`);
  return userId.trim();
}
