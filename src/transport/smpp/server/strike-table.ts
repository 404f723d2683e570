/** How many failures block a key, and for how long the first time (later blocks double). */
export interface StrikePolicy {
  maxFailures: number;
  /** The first block's length, and how long failures in a row are remembered. */
  lockoutMs: number;
}

/** The longest block, and how long a key must stay quiet before its past blocks are forgiven. */
export const MAX_BLOCK_MS = 24 * 3600_000;

export interface Strikes {
  failures: number;
  firstFailureAt: number;
  lastFailureAt: number;
  blockedUntil: number;
  /** Blocks so far: the next one lasts lockoutMs * 2^blocks. */
  blocks: number;
  /** The policy it was last counted with (a merge and the sweep judge by it). */
  maxFailures: number;
  lockoutMs: number;
}

/** What the table does with an entry it has to let go, and with a block it has no room for. */
export interface StrikeOverflow {
  /** A counting entry pushed out by a newer one (least recently failed first). */
  evicted?(key: string, strikes: Strikes): void;
  /** The blocked table is full: the block has to be kept elsewhere (a wider prefix); returns false if it cannot. */
  blockElsewhere?(key: string, strikes: Strikes): boolean;
  /** Keys never pushed out of the counting table (the widest prefixes: a handful). */
  pinned?(key: string): boolean;
}

/**
 * Failures per key with a growing block: after `maxFailures` within `lockoutMs` the key is
 * blocked for `lockoutMs`; once that ends, every further failure blocks it again for twice as
 * long (up to a day), until it stays quiet for a day. Blocked keys sit in their own table and
 * are never evicted; counting keys sit in a bounded table, least recently failed first out,
 * handed to `overflow.evicted` (which merges them into a wider prefix, so a flood of other keys
 * does not erase their history). A full blocked table hands the block to `overflow.blockElsewhere`.
 * `sweep` purges ended blocks and forgiven entries on a timer, not only when a key comes back.
 */
export class StrikeTable {
  private readonly counting = new Map<string, Strikes>();
  private readonly blocked = new Map<string, Strikes>();

  constructor(
    private readonly maxCounting: number,
    private readonly maxBlocked: number,
    private readonly overflow: StrikeOverflow = {},
  ) {}

  /** Whether `key` is blocked at `now` (an ended block moves back to counting, history kept). */
  isBlocked(key: string, now: number): boolean {
    const entry = this.blocked.get(key);
    if (!entry) return false;
    if (entry.blockedUntil > now) return true;
    this.unblock(key, entry);
    return false;
  }

  /** Whether `key` has failures or a block on record. */
  tracks(key: string): boolean {
    return this.counting.has(key) || this.blocked.has(key);
  }

  /** Counts a failure; returns true when it blocked `key`. */
  fail(key: string, policy: StrikePolicy, now: number): boolean {
    if (this.isBlocked(key, now)) return false;
    const entry = this.fresh(this.counting.get(key), policy, now) ?? newStrikes(now, policy);
    entry.failures++;
    entry.lastFailureAt = now;
    entry.maxFailures = policy.maxFailures;
    entry.lockoutMs = policy.lockoutMs;
    if (entry.blocks === 0 && entry.failures < policy.maxFailures) {
      this.count(key, entry);
      return false;
    }
    entry.blockedUntil = now + Math.min(MAX_BLOCK_MS, policy.lockoutMs * 2 ** entry.blocks);
    entry.blocks++;
    entry.failures = 0;
    this.block(key, entry);
    return true;
  }

  /**
   * Adds what was known of a narrower key (an entry pushed out) to `key`: its failures when
   * `addFailures` (they were not counted here), its block history, and its block if one is running.
   */
  absorb(key: string, from: Strikes, now: number, addFailures: boolean): void {
    const blocked = this.blocked.get(key);
    const entry = blocked ?? this.fresh(this.counting.get(key), from, now) ?? newStrikes(from.firstFailureAt, from);
    // An entry already here keeps its own policy (an address's is wider than a pair's).
    const policy: StrikePolicy = entry;
    if (addFailures) entry.failures += from.failures;
    entry.firstFailureAt = Math.min(entry.firstFailureAt, from.firstFailureAt);
    entry.lastFailureAt = Math.max(entry.lastFailureAt, from.lastFailureAt);
    entry.blocks = Math.max(entry.blocks, from.blocks);
    entry.blockedUntil = Math.max(entry.blockedUntil, from.blockedUntil);
    if (blocked) return;
    if (entry.blockedUntil <= now && entry.blocks === 0 && entry.failures >= policy.maxFailures) {
      entry.blockedUntil = now + policy.lockoutMs;
      entry.blocks = 1;
      entry.failures = 0;
    }
    if (entry.blockedUntil > now) this.block(key, entry);
    else this.count(key, entry);
  }

  /** Forgets the failures of `key` (not a running block). */
  reset(key: string): void {
    this.counting.delete(key);
  }

  /** Purges ended blocks (kept counting, with their history) and entries quiet long enough to forget. */
  sweep(now: number): void {
    for (const [key, entry] of this.blocked) if (entry.blockedUntil <= now) this.unblock(key, entry);
    for (const [key, entry] of this.counting) {
      if (!this.fresh(entry, entry, now)) this.counting.delete(key);
    }
  }

  get countingSize(): number {
    return this.counting.size;
  }

  get blockedSize(): number {
    return this.blocked.size;
  }

  /** `entry` if it still counts at `now`, else undefined (quiet for a day, or failures not in a row). */
  private fresh(entry: Strikes | undefined, policy: Pick<StrikePolicy, 'lockoutMs'>, now: number): Strikes | undefined {
    if (!entry) return undefined;
    if (now - entry.lastFailureAt > MAX_BLOCK_MS) return undefined;
    if (entry.blocks === 0 && now - entry.firstFailureAt > policy.lockoutMs) return undefined;
    return entry;
  }

  private unblock(key: string, entry: Strikes): void {
    this.blocked.delete(key);
    entry.blockedUntil = 0;
    this.count(key, entry);
  }

  private block(key: string, entry: Strikes): void {
    this.counting.delete(key);
    if (this.blocked.size < this.maxBlocked || this.blocked.has(key)) {
      this.blocked.set(key, entry);
      return;
    }
    if (this.overflow.blockElsewhere?.(key, entry)) return;
    // Nowhere wider to keep it: this table keeps it beyond its size rather than let it go.
    this.blocked.set(key, entry);
  }

  private count(key: string, entry: Strikes): void {
    // Re-inserted, so the Map's order is least recently failed first (what eviction removes).
    this.counting.delete(key);
    this.counting.set(key, entry);
    while (this.counting.size > this.maxCounting) {
      const oldest = this.leastRecent();
      if (!oldest) return;
      this.counting.delete(oldest[0]);
      this.overflow.evicted?.(oldest[0], oldest[1]);
    }
  }

  private leastRecent(): [string, Strikes] | undefined {
    for (const entry of this.counting) if (!this.overflow.pinned?.(entry[0])) return entry;
    return undefined;
  }
}

function newStrikes(now: number, policy: StrikePolicy): Strikes {
  return { failures: 0, firstFailureAt: now, lastFailureAt: now, blockedUntil: 0, blocks: 0, maxFailures: policy.maxFailures, lockoutMs: policy.lockoutMs };
}
