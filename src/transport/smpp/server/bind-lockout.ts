/** How many failed binds block an address, and for how long the first time. */
export interface LockoutPolicy {
  /** Failed binds in a row from one address that block it (default 10). */
  maxFailures: number;
  /** The first block's length, and how long failures are remembered (default 5 min); later blocks double. */
  lockoutMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 10, lockoutMs: 5 * 60_000 };

/** The longest block, and how long an address must stay quiet before its past blocks are forgiven. */
const MAX_BLOCK_MS = 24 * 3600_000;

interface Entry {
  failures: number;
  firstFailureAt: number;
  lastFailureAt: number;
  blockedUntil: number;
  /** Blocks so far: the next one lasts lockoutMs * 2^blocks. */
  blocks: number;
}

/**
 * Failed binds counted per source address (see peerKey), with a growing block: after
 * `maxFailures` failures in a row an address is refused for `lockoutMs`; once that ends, every
 * further failure blocks it again for twice as long (up to a day), until it binds or stays quiet
 * for a day. Per address, not per system_id: whoever knows an account's system_id can block only
 * their own address, never the application's.
 *
 * Blocked addresses are kept until their block ends, never evicted (evicting them is how 10,001
 * junk binds used to unlock an account). Addresses with failures but no block sit in a bounded
 * table, least recently failed first out. Should the blocked table ever fill (`maxBlocked`
 * attacker addresses at once), further blocks live in the bounded table.
 */
export class BindLockout {
  private readonly counting = new Map<string, Entry>();
  private readonly blocked = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxCounting = 10_000,
    private readonly maxBlocked = 100_000,
  ) {}

  isBlocked(address: string): boolean {
    const now = this.now();
    const entry = this.blocked.get(address) ?? this.counting.get(address);
    if (!entry || entry.blockedUntil === 0) return false;
    if (entry.blockedUntil > now) return true;
    // The block is over; its count stays, so the next failure blocks again, for longer.
    entry.blockedUntil = 0;
    this.blocked.delete(address);
    this.remember(address, entry);
    return false;
  }

  /** Counts a failure; returns true when this failure blocked the address. */
  recordFailure(address: string, policy: LockoutPolicy): boolean {
    if (this.isBlocked(address)) return false;
    const now = this.now();
    let entry = this.counting.get(address);
    if (entry && now - entry.lastFailureAt > MAX_BLOCK_MS) entry = undefined; // quiet for a day: forgiven
    if (entry && entry.blocks === 0 && now - entry.firstFailureAt > policy.lockoutMs) entry = undefined; // not in a row
    entry ??= { failures: 0, firstFailureAt: now, lastFailureAt: now, blockedUntil: 0, blocks: 0 };
    entry.failures++;
    entry.lastFailureAt = now;
    if (entry.blocks === 0 && entry.failures < policy.maxFailures) {
      this.remember(address, entry);
      return false;
    }
    entry.blockedUntil = now + Math.min(MAX_BLOCK_MS, policy.lockoutMs * 2 ** entry.blocks);
    entry.blocks++;
    entry.failures = 0;
    if (this.blocked.size < this.maxBlocked) {
      this.counting.delete(address);
      this.blocked.set(address, entry);
    } else {
      this.remember(address, entry);
    }
    return true;
  }

  recordSuccess(address: string): void {
    this.counting.delete(address);
  }

  /** Addresses with failures but no block now. */
  get trackedCount(): number {
    return this.counting.size;
  }

  get blockedCount(): number {
    return this.blocked.size;
  }

  private remember(address: string, entry: Entry): void {
    // Re-inserted, so the Map's order is least recently failed first (what eviction removes).
    this.counting.delete(address);
    this.counting.set(address, entry);
    while (this.counting.size > this.maxCounting) {
      this.counting.delete(this.counting.keys().next().value as string);
    }
  }
}
