/**
 * Single-process OTP store (the default). Each method runs to completion without awaiting, so
 * it is atomic with respect to other calls in the same process. Not for n8n queue mode, where
 * Issue and Verify may run in different worker processes: use the Redis store there.
 */
import { SEND_REFUSAL_CODES } from './types';
import type { SendRefusalCode, VerificationRecord } from './types';
import { effectiveStatus } from './store';
import type { CancelOutcome, CheckCommit, CheckCommitOutcome, OtpStore, RefundOutcome, SendCommit, SendCommitOutcome, SendRefund } from './store';

interface WindowCounter {
  count: number;
  windowEndsAt: number;
}

/** Forgotten records and counters are swept after this many writes (amortised O(1) per write). */
const SWEEP_EVERY_WRITES = 1000;

export class MemoryOtpStore implements OtpStore {
  private readonly records = new Map<string, VerificationRecord>();
  private readonly counters = new Map<string, WindowCounter>();
  private readonly refusals = new Map<SendRefusalCode, number>();
  private writesSinceSweep = 0;

  async read(key: string, now: number): Promise<VerificationRecord | null> {
    const record = this.retained(key, now);
    return record ? { ...record } : null;
  }

  async commitSend(commit: SendCommit): Promise<SendCommitOutcome> {
    const { key, expect, record, rateLimits, now } = commit;
    const current = this.retained(key, now);
    const matches = expect === null ? current === undefined : current?.sid === expect.sid && current.rev === expect.rev;
    if (!matches) return { kind: 'conflict' };
    for (const limit of rateLimits) {
      if (this.windowCount(limit.counterKey, now) >= limit.limit) {
        this.bumpRefusal(limit.refusal);
        return { kind: 'refused', refusal: limit.refusal, retryAfterMs: limit.windowEndsAt - now };
      }
    }
    for (const limit of rateLimits) {
      const count = this.windowCount(limit.counterKey, now) + 1;
      this.counters.set(limit.counterKey, { count, windowEndsAt: limit.windowEndsAt });
    }
    this.records.set(key, { ...record });
    this.afterWrite(now);
    return { kind: 'committed' };
  }

  async commitCheck(commit: CheckCommit): Promise<CheckCommitOutcome> {
    const record = this.retained(commit.key, commit.now);
    if (!record || record.sid !== commit.sid || record.counter !== commit.counter) return { kind: 'conflict' };
    const attempts = record.attempts;
    switch (record.status) {
      case 'approved':
        return { kind: 'checked', outcome: 'already_used', status: 'approved', attempts };
      case 'canceled':
        return { kind: 'checked', outcome: 'canceled', status: 'canceled', attempts };
      case 'max_attempts_reached':
        return { kind: 'checked', outcome: 'max_attempts_reached', status: 'max_attempts_reached', attempts };
      default:
        break;
    }
    if (effectiveStatus(record, commit.now) === 'expired') {
      return { kind: 'checked', outcome: 'expired', status: 'expired', attempts };
    }
    if (attempts >= record.maxAttempts) {
      record.status = 'max_attempts_reached';
      record.rev += 1;
      return { kind: 'checked', outcome: 'max_attempts_reached', status: record.status, attempts };
    }
    record.attempts += 1;
    record.rev += 1;
    if (commit.matched) {
      record.status = 'approved';
      return { kind: 'checked', outcome: 'approved', status: 'approved', attempts: record.attempts };
    }
    if (record.attempts >= record.maxAttempts) record.status = 'max_attempts_reached';
    return { kind: 'checked', outcome: 'invalid_code', status: record.status, attempts: record.attempts };
  }

  async refundSend(refund: SendRefund): Promise<RefundOutcome> {
    for (const counterKey of refund.counterKeys) {
      const counter = this.counters.get(counterKey);
      if (counter && counter.count > 0) counter.count -= 1;
    }
    const record = this.retained(refund.key, refund.now);
    if (!record) return { refunded: false, status: 'not_found' };
    const unchanged = record.sid === refund.sid && record.sendCount === refund.sendCount && record.lastSentAt === refund.lastSentAt;
    if (!unchanged) return { refunded: false, status: effectiveStatus(record, refund.now) };
    if (refund.previous === null) {
      if (record.status === 'pending') record.status = 'canceled';
    } else {
      Object.assign(record, refund.previous);
    }
    record.rev += 1;
    return { refunded: true, status: effectiveStatus(record, refund.now) };
  }

  async cancel(key: string, now: number): Promise<CancelOutcome> {
    const record = this.retained(key, now);
    if (!record) return { canceled: false, status: 'not_found' };
    const status = effectiveStatus(record, now);
    if (status !== 'pending') return { canceled: false, status };
    record.status = 'canceled';
    record.rev += 1;
    return { canceled: true, status: 'canceled' };
  }

  async countRefusal(refusal: SendRefusalCode): Promise<void> {
    this.bumpRefusal(refusal);
  }

  async refusalStats(): Promise<Record<SendRefusalCode, number>> {
    const stats = {} as Record<SendRefusalCode, number>;
    for (const code of SEND_REFUSAL_CODES) stats[code] = this.refusals.get(code) ?? 0;
    return stats;
  }

  /** Everything the store holds, as JSON: for diagnostics, and for tests proving no code is kept. */
  snapshot(): string {
    return JSON.stringify({
      records: [...this.records],
      counters: [...this.counters],
      refusals: [...this.refusals],
    });
  }

  private retained(key: string, now: number): VerificationRecord | undefined {
    const record = this.records.get(key);
    if (record && now >= record.retainUntil) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  private windowCount(counterKey: string, now: number): number {
    const counter = this.counters.get(counterKey);
    return counter && now < counter.windowEndsAt ? counter.count : 0;
  }

  private bumpRefusal(refusal: SendRefusalCode): void {
    this.refusals.set(refusal, (this.refusals.get(refusal) ?? 0) + 1);
  }

  private afterWrite(now: number): void {
    this.writesSinceSweep += 1;
    if (this.writesSinceSweep < SWEEP_EVERY_WRITES) return;
    this.writesSinceSweep = 0;
    for (const [key, record] of this.records) if (now >= record.retainUntil) this.records.delete(key);
    for (const [key, counter] of this.counters) if (now >= counter.windowEndsAt) this.counters.delete(key);
  }
}

export function createMemoryOtpStore(): MemoryOtpStore {
  return new MemoryOtpStore();
}
