/**
 * Single-process authenticator store (the default). Each method runs to completion without
 * awaiting, so it is atomic with respect to other calls in the process; it decides on the
 * caller's clock (one process has one clock). Enrolments live as long as the process: after a
 * restart users must enrol again (use Redis to keep them).
 */
import { countingFailures, lockedForMs, MAX_FAILURE_LOG, MAX_FAILURE_PERIOD_MS } from './totp-store';
import type { TotpCheckCommit, TotpCheckCommitted, TotpEnrolCommit, TotpEnrolOutcome, TotpRead, TotpStore, TotpUserState } from './totp-store';

interface Entry {
  sealedSecret?: string;
  pendingSecret?: string;
  pendingUntil?: number;
  lastStep: number;
  failureTimes: number[];
  /** ms after which the entry is forgotten; undefined while a confirmed secret is stored. */
  forgetAt?: number;
}

/** Forgotten entries are swept after this many writes (amortised O(1) per write). */
const SWEEP_EVERY_WRITES = 1000;

export class MemoryTotpStore implements TotpStore {
  private readonly entries = new Map<string, Entry>();
  private writesSinceSweep = 0;

  async read(userKey: string, now: number): Promise<TotpRead> {
    const entry = this.live(userKey, now);
    if (!entry) return { state: null, now };
    const state: TotpUserState = { lastStep: entry.lastStep, failureTimes: [...entry.failureTimes] };
    if (entry.sealedSecret) state.sealedSecret = entry.sealedSecret;
    if (entry.pendingSecret) Object.assign(state, { pendingSecret: entry.pendingSecret, pendingUntil: entry.pendingUntil });
    return { state, now };
  }

  async enrol(commit: TotpEnrolCommit): Promise<TotpEnrolOutcome> {
    const entry = this.live(commit.userKey, commit.now) ?? { lastStep: -1, failureTimes: [] };
    if (entry.sealedSecret && !commit.replace) return { outcome: 'already_enrolled' };
    entry.pendingSecret = commit.sealedSecret;
    entry.pendingUntil = commit.now + commit.pendingMs;
    this.settle(commit.userKey, entry, commit.now, commit.pendingMs);
    return { outcome: 'pending', pendingUntil: entry.pendingUntil, replacing: entry.sealedSecret !== undefined };
  }

  async remove(userKey: string, now: number): Promise<boolean> {
    const entry = this.live(userKey, now);
    if (!entry) return false;
    const had = entry.sealedSecret !== undefined || entry.pendingSecret !== undefined;
    delete entry.sealedSecret;
    delete entry.pendingSecret;
    delete entry.pendingUntil;
    entry.lastStep = -1;
    // Wrong codes keep counting: removing and enrolling again must not reset the limit.
    if (entry.failureTimes.length > 0) this.settle(userKey, entry, now, MAX_FAILURE_PERIOD_MS);
    else this.entries.delete(userKey);
    return had;
  }

  async commitCheck(check: TotpCheckCommit): Promise<TotpCheckCommitted> {
    const { now } = check;
    let entry = this.live(check.userKey, now);
    if (check.expect) {
      if (!entry?.sealedSecret && !entry?.pendingSecret) return { outcome: 'not_enrolled', failures: 0, retryAfterMs: 0 };
      if ((entry.sealedSecret ?? null) !== check.expect.active || (entry.pendingSecret ?? null) !== check.expect.pending) {
        return { outcome: 'conflict', failures: 0, retryAfterMs: 0 };
      }
    }
    entry ??= { lastStep: -1, failureTimes: [] };
    const counting = countingFailures(entry.failureTimes, now, check.periodMs);
    if (counting.length >= check.maxFailures) {
      return { outcome: 'too_many_attempts', failures: counting.length, retryAfterMs: lockedForMs(counting, check.maxFailures, check.periodMs, now) };
    }
    let outcome: TotpCheckCommitted['outcome'] = 'invalid_code';
    if (check.matchedStep !== null && check.matchedSlot === 'pending') {
      // The first good code of the new enrolment confirms it: it replaces the confirmed one, if any.
      outcome = 'confirmed';
      entry.sealedSecret = entry.pendingSecret;
      delete entry.pendingSecret;
      delete entry.pendingUntil;
      entry.lastStep = check.matchedStep;
    } else if (check.matchedStep !== null) {
      outcome = check.rejectReplay && check.matchedStep <= entry.lastStep ? 'already_used' : 'approved';
      if (outcome === 'approved') entry.lastStep = Math.max(entry.lastStep, check.matchedStep);
    }
    if (outcome !== 'approved' && outcome !== 'confirmed') counting.push(now);
    entry.failureTimes = counting.slice(-MAX_FAILURE_LOG);
    const keepMs = check.expect ? check.periodMs : Math.max(check.periodMs, check.forgetAfterMs);
    this.settle(check.userKey, entry, now, keepMs);
    return { outcome, failures: entry.failureTimes.length, retryAfterMs: 0 };
  }

  /** Everything the store holds, as JSON: for tests proving no secret is kept in the clear. */
  snapshot(): string {
    return JSON.stringify([...this.entries]);
  }

  /** Stores the entry: kept for good with a confirmed secret, else at least `keepMs` (and until its pending deadline). */
  private settle(userKey: string, entry: Entry, now: number, keepMs: number): void {
    if (entry.sealedSecret) delete entry.forgetAt;
    else entry.forgetAt = Math.max(entry.forgetAt ?? 0, now + keepMs, entry.pendingUntil ?? 0);
    this.entries.set(userKey, entry);
    this.sweep(now);
  }

  private live(userKey: string, now: number): Entry | undefined {
    const entry = this.entries.get(userKey);
    if (!entry) return undefined;
    if (entry.forgetAt !== undefined && now >= entry.forgetAt) {
      this.entries.delete(userKey);
      return undefined;
    }
    if (entry.pendingUntil !== undefined && now >= entry.pendingUntil) {
      delete entry.pendingSecret;
      delete entry.pendingUntil;
    }
    return entry;
  }

  private sweep(now: number): void {
    this.writesSinceSweep += 1;
    if (this.writesSinceSweep < SWEEP_EVERY_WRITES) return;
    this.writesSinceSweep = 0;
    for (const [key, entry] of this.entries) if (entry.forgetAt !== undefined && now >= entry.forgetAt) this.entries.delete(key);
  }
}

export function createMemoryTotpStore(): MemoryTotpStore {
  return new MemoryTotpStore();
}
