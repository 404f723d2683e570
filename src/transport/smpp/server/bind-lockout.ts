/** How many failed binds lock a system_id out, and for how long. */
export interface LockoutPolicy {
  /** Failed binds in a row that lock the system_id (default 10). */
  maxFailures: number;
  /** How long the lock lasts, and how long failures are remembered (default 5 min). */
  lockoutMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 10, lockoutMs: 5 * 60_000 };

interface Entry {
  failures: number;
  firstFailureAt: number;
  lockedUntil: number;
}

/**
 * Failed-bind bookkeeping per system_id, so guessing one account's password cannot go on
 * forever and does not slow down any other account. Unknown system_ids are tracked too (the
 * answer must not reveal which ones exist); the table is bounded, oldest entries go first.
 */
export class BindLockout {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now, private readonly maxTracked = 10_000) {}

  isLocked(systemId: string): boolean {
    const entry = this.entries.get(systemId);
    if (!entry) return false;
    if (entry.lockedUntil > this.now()) return true;
    if (entry.lockedUntil !== 0) this.entries.delete(systemId); // the lock ran out: start afresh
    return false;
  }

  /** Counts a failure; returns true when this failure locked the system_id. */
  recordFailure(systemId: string, policy: LockoutPolicy): boolean {
    const now = this.now();
    let entry = this.entries.get(systemId);
    if (entry && entry.lockedUntil === 0 && now - entry.firstFailureAt > policy.lockoutMs) entry = undefined;
    if (!entry) entry = { failures: 0, firstFailureAt: now, lockedUntil: 0 };
    // Re-insert so the Map's order is least recently failed first (what eviction removes).
    this.entries.delete(systemId);
    this.entries.set(systemId, entry);
    if (entry.lockedUntil > now) return false;
    entry.failures++;
    this.evictOverflow();
    if (entry.failures < policy.maxFailures) return false;
    entry.lockedUntil = now + policy.lockoutMs;
    return true;
  }

  recordSuccess(systemId: string): void {
    this.entries.delete(systemId);
  }

  get trackedCount(): number {
    return this.entries.size;
  }

  private evictOverflow(): void {
    while (this.entries.size > this.maxTracked) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
