/**
 * Single-process authenticator store (the default). Each method runs to completion without
 * awaiting, so it is atomic with respect to other calls in the process. Enrolments live as long
 * as the process: after a restart users must enrol again (use Redis to keep them).
 */
import { liveFailures } from './totp-store';
import type { TotpCheckCommit, TotpCheckCommitted, TotpStore, TotpUserState } from './totp-store';

interface Entry extends TotpUserState {
  /** ms since epoch after which state about a passed secret is forgotten; undefined for enrolments. */
  forgetAt?: number;
}

/** Forgotten entries are swept after this many checks (amortised O(1) per check). */
const SWEEP_EVERY_CHECKS = 1000;

export class MemoryTotpStore implements TotpStore {
  private readonly entries = new Map<string, Entry>();
  private checksSinceSweep = 0;

  async read(userKey: string, now: number): Promise<TotpUserState | null> {
    const entry = this.live(userKey, now);
    return entry ? { sealedSecret: entry.sealedSecret, lastStep: entry.lastStep, failures: entry.failures, failuresUntil: entry.failuresUntil } : null;
  }

  async enrol(userKey: string, sealedSecret: string): Promise<void> {
    const previous = this.entries.get(userKey);
    this.entries.set(userKey, { sealedSecret, lastStep: -1, failures: previous?.failures ?? 0, failuresUntil: previous?.failuresUntil ?? 0 });
  }

  async remove(userKey: string): Promise<boolean> {
    return this.entries.delete(userKey);
  }

  async commitCheck(check: TotpCheckCommit): Promise<TotpCheckCommitted> {
    this.sweep(check.now);
    let entry = this.live(check.userKey, check.now);
    if (check.enrolled && !entry?.sealedSecret) return { outcome: 'not_enrolled', failures: 0, periodLeftMs: 0 };
    entry ??= { lastStep: -1, failures: 0, failuresUntil: 0 };
    let failures = liveFailures(entry, check.now);
    let until = failures > 0 ? entry.failuresUntil : 0;
    if (failures >= check.maxFailures) return { outcome: 'too_many_attempts', failures, periodLeftMs: until - check.now };
    let outcome: TotpCheckCommitted['outcome'] = 'invalid_code';
    if (check.matchedStep !== null) {
      outcome = check.rejectReplay && check.matchedStep <= entry.lastStep ? 'already_used' : 'approved';
      if (outcome === 'approved') entry.lastStep = Math.max(entry.lastStep, check.matchedStep);
    }
    if (outcome !== 'approved') {
      if (failures === 0) until = check.now + check.periodMs;
      failures += 1;
      entry.failures = failures;
      entry.failuresUntil = until;
    }
    if (!check.enrolled) entry.forgetAt = check.now + check.forgetAfterMs;
    this.entries.set(check.userKey, entry);
    return { outcome, failures, periodLeftMs: failures > 0 ? until - check.now : 0 };
  }

  /** Everything the store holds, as JSON: for tests proving no secret is kept in the clear. */
  snapshot(): string {
    return JSON.stringify([...this.entries]);
  }

  private live(userKey: string, now: number): Entry | undefined {
    const entry = this.entries.get(userKey);
    if (entry?.forgetAt !== undefined && now >= entry.forgetAt) {
      this.entries.delete(userKey);
      return undefined;
    }
    return entry;
  }

  private sweep(now: number): void {
    this.checksSinceSweep += 1;
    if (this.checksSinceSweep < SWEEP_EVERY_CHECKS) return;
    this.checksSinceSweep = 0;
    for (const [key, entry] of this.entries) if (entry.forgetAt !== undefined && now >= entry.forgetAt) this.entries.delete(key);
  }
}

export function createMemoryTotpStore(): MemoryTotpStore {
  return new MemoryTotpStore();
}
