/**
 * SMS one-time passwords, after Twilio Verify: issue (send or resend), verify, cancel, status.
 * A verification is keyed by phone number (E.164) and channel ('login', 'payment', ...).
 * The service never sends an SMS itself: issue() returns the code, and its caller sends it.
 * It never logs a code, and no error message carries one.
 */
import { CODE_SCHEME_UNIFORM, codeMatches, generateCode, hashCode, newNonce, newSid } from './code-crypto';
import { OtpConflictError, OtpInputError, OtpRefusedError } from './errors';
import { PumpingGuard } from './pumping-guard';
import { refusal } from './refusals';
import { effectiveStatus } from './store';
import type { OtpStore, RefundOutcome, SendRefund } from './store';
import type {
  OtpCancelResult,
  OtpIssueResult,
  OtpPolicy,
  OtpStatusResult,
  OtpVerifyResult,
  PumpingGuardPolicy,
  SendRefusalCode,
  VerificationRecord,
} from './types';
import { checkChannel, checkCodeShape, checkServerKey, parsePhone, resolveGuard, resolvePolicy } from './validate';
import type { ParsedPhone } from './validate';

export interface OtpServiceOptions {
  store: OtpStore;
  /** HMAC key for code hashes and per-verification code secrets; at least 16 bytes. Keep it out of the store. */
  serverKey: Buffer | string;
  policy?: Partial<OtpPolicy>;
  guard?: Partial<PumpingGuardPolicy>;
  /** ISO country that is the only allowed destination when guard.allowedCountries is left out. */
  defaultCountry?: string;
  /**
   * Clock in ms since epoch; inject one in tests instead of sleeping. Returning undefined (or
   * leaving it out) uses the store's clock: Redis's TIME for a Redis store, so n8n processes
   * whose clocks disagree agree on expiry, resend intervals and hourly limits; else Date.now.
   */
  now?: () => number | undefined;
  /** Told of every outcome (metrics, see src/observability); absent: nothing is counted. */
  outcomes?: OtpOutcomeCounters;
}

/** What an OtpService reports: codes issued, sends refused by rule, checks by result. */
export interface OtpOutcomeCounters {
  issued(): void;
  refused(rule: string): void;
  verified(result: string): void;
}

/** Reads and conditional writes race with other workers; this many rounds is plenty in practice. */
const MAX_COMMIT_ROUNDS = 10;

export class OtpService {
  readonly policy: Readonly<OtpPolicy>;
  private readonly store: OtpStore;
  private readonly serverKey: Buffer;
  private readonly guard: PumpingGuard;
  private readonly injectedNow: (() => number | undefined) | undefined;
  /** What sendFailed() needs to give a send back, per issue() result; kept off the result so it never reaches an output. */
  private readonly sends = new WeakMap<OtpIssueResult, Omit<SendRefund, 'now'>>();

  constructor(options: OtpServiceOptions) {
    this.store = options.store;
    this.serverKey = checkServerKey(options.serverKey);
    this.policy = Object.freeze(resolvePolicy(options.policy));
    this.guard = new PumpingGuard(resolveGuard(options.guard, options.defaultCountry));
    this.injectedNow = options.now;
    this.counters = options.outcomes;
  }

  private readonly counters: OtpOutcomeCounters | undefined;

  /**
   * Starts a verification, or resends the pending one (same code unless policy.newCodeOnResend).
   * Throws OtpRefusedError (nothing to send) when a limit or the pumping guard says no.
   */
  async issue(phoneE164: string, channel?: string): Promise<OtpIssueResult> {
    try {
      const issued = await this.issueUncounted(phoneE164, channel);
      this.counters?.issued();
      return issued;
    } catch (err) {
      if (err instanceof OtpRefusedError) this.counters?.refused(err.code);
      throw err;
    }
  }

  private async issueUncounted(phoneE164: string, channel?: string): Promise<OtpIssueResult> {
    const phone = parsePhone(phoneE164);
    const key = verificationKey(phone.e164, checkChannel(channel));
    if (!this.guard.isCountryAllowed(phone)) {
      throw await this.refuse('country_not_allowed', {
        phone: phone.e164,
        country: phone.country ?? `+${phone.callingCode}`,
        allowed: this.guard.describeAllowed(),
      });
    }
    for (let round = 0; round < MAX_COMMIT_ROUNDS; round += 1) {
      const now = await this.now();
      const current = await this.store.read(key, now);
      const live = current !== null && effectiveStatus(current, now) === 'pending';
      const next = live ? await this.resendRecord(current, phone, now) : await this.newRecord(now);
      const rateLimits = this.guard.rateLimits(phone, now);
      const outcome = await this.store.commitSend({ key, expect: current && { sid: current.sid, rev: current.rev }, record: next.record, rateLimits, now });
      if (outcome.kind === 'conflict') continue;
      if (outcome.kind === 'refused') throw refusal(outcome.refusal, { phone: phone.e164, retryAfterMs: outcome.retryAfterMs });
      const { record } = next;
      const result: OtpIssueResult = {
        code: next.code,
        status: 'pending',
        sid: record.sid,
        sendCount: record.sendCount,
        sendsLeft: record.maxSends - record.sendCount,
        expiresAt: new Date(record.expiresAt),
        resent: live,
      };
      this.sends.set(result, {
        key,
        sid: record.sid,
        sendCount: record.sendCount,
        lastSentAt: record.lastSentAt,
        previous: live ? { sendCount: current.sendCount, lastSentAt: current.lastSentAt, counter: current.counter, codeHash: current.codeHash } : null,
        counterKeys: rateLimits.map((limit) => limit.counterKey),
      });
      return result;
    }
    throw new OtpConflictError(`OTP issue for ${phone.e164}: the verification kept changing concurrently; try again`);
  }

  /**
   * The SMS of `issued` did not go out (the bind or the carrier failed): gives its send back, so
   * the user's retry is neither too soon nor counted. A failed resend restores the verification
   * as it was (the code on the phone keeps working); a failed first send ends it, so the retry
   * starts afresh. The pumping guard's hourly counters go down too. Nothing changes if another
   * send came in between.
   */
  async sendFailed(issued: OtpIssueResult): Promise<RefundOutcome> {
    const send = this.sends.get(issued);
    if (!send) throw new OtpInputError('issued', "must be a result of this service's issue(), given back at most once");
    this.sends.delete(issued);
    return this.store.refundSend({ ...send, now: await this.now() });
  }

  /** Checks a code. Counts an attempt only while the verification is pending and unexpired. */
  async verify(phoneE164: string, code: string, channel?: string): Promise<OtpVerifyResult> {
    const result = await this.verifyUncounted(phoneE164, code, channel);
    this.counters?.verified(result.approved ? 'approved' : (result.reason ?? result.status));
    return result;
  }

  private async verifyUncounted(phoneE164: string, code: string, channel?: string): Promise<OtpVerifyResult> {
    const phone = parsePhone(phoneE164);
    const key = verificationKey(phone.e164, checkChannel(channel));
    const candidate = checkCodeShape(code);
    for (let round = 0; round < MAX_COMMIT_ROUNDS; round += 1) {
      const now = await this.now();
      const record = await this.store.read(key, now);
      if (record === null) return { approved: false, status: 'not_found', reason: 'not_found', attemptsLeft: 0 };
      const attemptsLeft = Math.max(0, record.maxAttempts - record.attempts);
      const status = effectiveStatus(record, now);
      if (status !== 'pending') {
        const reason = status === 'approved' ? 'already_used' : status;
        return { approved: false, status, reason, attemptsLeft, sid: record.sid };
      }
      if (candidate.length !== record.codeLength) {
        throw new OtpInputError('code', `must be ${record.codeLength} digits for this verification, got ${candidate.length}`);
      }
      const matched = codeMatches(this.serverKey, record.sid, record.counter, candidate, record.codeHash);
      const outcome = await this.store.commitCheck({ key, sid: record.sid, counter: record.counter, matched, now });
      if (outcome.kind === 'conflict') continue;
      const left = Math.max(0, record.maxAttempts - outcome.attempts);
      if (outcome.outcome === 'approved') return { approved: true, status: 'approved', attemptsLeft: left, sid: record.sid };
      return { approved: false, status: outcome.status, reason: outcome.outcome, attemptsLeft: left, sid: record.sid };
    }
    throw new OtpConflictError(`OTP verify for ${phone.e164}: the verification kept changing concurrently; try again`);
  }

  async cancel(phoneE164: string, channel?: string): Promise<OtpCancelResult> {
    const phone = parsePhone(phoneE164);
    return this.store.cancel(verificationKey(phone.e164, checkChannel(channel)), await this.now());
  }

  async status(phoneE164: string, channel?: string): Promise<OtpStatusResult> {
    const phone = parsePhone(phoneE164);
    const now = await this.now();
    const record = await this.store.read(verificationKey(phone.e164, checkChannel(channel)), now);
    if (record === null) return { status: 'not_found', sendCount: 0, sendsLeft: 0, attempts: 0, attemptsLeft: 0 };
    const status = effectiveStatus(record, now);
    return {
      status,
      sid: record.sid,
      sendCount: record.sendCount,
      sendsLeft: Math.max(0, record.maxSends - record.sendCount),
      attempts: record.attempts,
      attemptsLeft: Math.max(0, record.maxAttempts - record.attempts),
      expiresAt: new Date(record.expiresAt),
      nextResendAt: status === 'pending' ? new Date(record.lastSentAt + this.policy.minResendIntervalSeconds * 1000) : undefined,
    };
  }

  /** The time every decision of one operation is made at (see OtpServiceOptions.now). */
  private async now(): Promise<number> {
    const injected = this.injectedNow?.();
    if (injected !== undefined) return injected;
    return this.store.clock ? this.store.clock() : Date.now();
  }

  /** Refusals counted by the store (shared by all workers on a Redis store), per reason. */
  refusalStats(): Promise<Record<SendRefusalCode, number>> {
    return this.store.refusalStats();
  }

  private async newRecord(now: number): Promise<{ record: VerificationRecord; code: string }> {
    const { codeLength, lifetimeSeconds, maxCheckAttempts, maxSends } = this.policy;
    const sid = newSid();
    const nonce = newNonce();
    const code = await generateCode(this.serverKey, nonce, 0, codeLength, CODE_SCHEME_UNIFORM);
    const expiresAt = now + lifetimeSeconds * 1000;
    const record: VerificationRecord = {
      sid,
      nonce,
      status: 'pending',
      counter: 0,
      codeHash: hashCode(this.serverKey, sid, 0, code),
      codeLength,
      codeScheme: CODE_SCHEME_UNIFORM,
      attempts: 0,
      // Limits are fixed at creation so Issue and Verify nodes in other workers agree on them.
      maxAttempts: maxCheckAttempts,
      sendCount: 1,
      maxSends,
      createdAt: now,
      lastSentAt: now,
      expiresAt,
      // Kept one more lifetime after expiry so a late check answers 'expired', not 'not_found'.
      retainUntil: expiresAt + lifetimeSeconds * 1000,
      rev: 1,
    };
    return { record, code };
  }

  private async resendRecord(current: VerificationRecord, phone: ParsedPhone, now: number): Promise<{ record: VerificationRecord; code: string }> {
    if (current.sendCount >= current.maxSends) {
      throw await this.refuse('max_sends_reached', {
        phone: phone.e164,
        maxSends: current.maxSends,
        retryAfterMs: current.expiresAt - now,
      });
    }
    const wait = current.lastSentAt + this.policy.minResendIntervalSeconds * 1000 - now;
    if (wait > 0) throw await this.refuse('resend_too_soon', { phone: phone.e164, retryAfterMs: wait });
    const counter = this.policy.newCodeOnResend ? current.counter + 1 : current.counter;
    // The same code is regenerated from the server key and the stored nonce + counter, never read from the store.
    const code = await generateCode(this.serverKey, current.nonce, counter, current.codeLength, current.codeScheme);
    const record: VerificationRecord = {
      ...current,
      counter,
      codeHash: counter === current.counter ? current.codeHash : hashCode(this.serverKey, current.sid, counter, code),
      sendCount: current.sendCount + 1,
      lastSentAt: now,
      rev: current.rev + 1,
    };
    return { record, code };
  }

  private async refuse(code: SendRefusalCode, context: Parameters<typeof refusal>[1]): Promise<Error> {
    await this.store.countRefusal(code);
    return refusal(code, context);
  }
}

function verificationKey(phone: string, channel: string): string {
  return `v:${phone}:${channel}`;
}
