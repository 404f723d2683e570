import type Redis from 'ioredis';

/**
 * What a broadcast already did, per recipient, so that re-running the same broadcast ID after a
 * crash sends nobody the message twice. A recipient is marked 'sending' before its submit and
 * 'accepted' after: one found 'sending' on resume may or may not have been sent (the crash came
 * in between), so it is skipped and reported as uncertain rather than risk a duplicate.
 */
export interface BroadcastJournal {
  /** For each number: 'accepted', 'sending' or undefined (never tried). */
  states(broadcastId: string, numbers: string[]): Promise<Array<'accepted' | 'sending' | undefined>>;
  /**
   * Claims numbers for sending; resolves with the ones this caller claimed. A number another run
   * of the same broadcast holds ('sending' or 'accepted') is not claimed, so two overlapping runs
   * never both send it.
   */
  markSending(broadcastId: string, numbers: string[]): Promise<Set<string>>;
  markAccepted(broadcastId: string, numbers: string[]): Promise<void>;
  /** A failed submit is not a send: it may be retried by a re-run. */
  clearSending(broadcastId: string, numbers: string[]): Promise<void>;
}

export interface MemoryJournalLimits {
  /** Numbers kept across all broadcasts; the least recently used broadcasts go first (default 2,000,000, ~200 MB). */
  maxNumbers?: number;
  /** A broadcast untouched this long is forgotten (default 24 hours). */
  maxIdleMs?: number;
}

/**
 * The single-process journal. It lives as long as the n8n process, so it is bounded: whole
 * broadcasts are forgotten, least recently used first, past `maxNumbers` or after `maxIdleMs`
 * without use (a re-run after that sends again). Resuming across restarts or days needs Redis.
 */
export class MemoryBroadcastJournal implements BroadcastJournal {
  /** In least-recently-used order (a Map keeps insertion order; a used journal is moved last). */
  private readonly journals = new Map<string, { numbers: Map<string, 'accepted' | 'sending'>; usedAt: number }>();
  private total = 0;
  private readonly maxNumbers: number;
  private readonly maxIdleMs: number;

  constructor(limits: MemoryJournalLimits = {}, private readonly now: () => number = Date.now) {
    this.maxNumbers = limits.maxNumbers ?? 2_000_000;
    this.maxIdleMs = limits.maxIdleMs ?? 24 * 3600 * 1000;
  }

  /** Broadcasts and numbers held (for tests and metrics). */
  get size(): { broadcasts: number; numbers: number } {
    return { broadcasts: this.journals.size, numbers: this.total };
  }

  private journal(id: string): Map<string, 'accepted' | 'sending'> {
    const now = this.now();
    let entry = this.journals.get(id);
    if (entry) this.journals.delete(id);
    else entry = { numbers: new Map(), usedAt: now };
    entry.usedAt = now;
    this.journals.set(id, entry);
    this.evict(id);
    return entry.numbers;
  }

  /** Forgets idle broadcasts, then the least recently used ones while over the limit; never `keep`. */
  private evict(keep: string): void {
    const now = this.now();
    for (const [id, entry] of this.journals) {
      if (id === keep) continue;
      if (now - entry.usedAt <= this.maxIdleMs && this.total <= this.maxNumbers) break;
      this.total -= entry.numbers.size;
      this.journals.delete(id);
    }
  }

  async states(id: string, numbers: string[]): Promise<Array<'accepted' | 'sending' | undefined>> {
    const j = this.journal(id);
    return numbers.map((n) => j.get(n));
  }
  async markSending(id: string, numbers: string[]): Promise<Set<string>> {
    const j = this.journal(id);
    const claimed = new Set<string>();
    for (const n of numbers) {
      if (j.has(n)) continue;
      j.set(n, 'sending');
      claimed.add(n);
    }
    this.total += claimed.size;
    if (this.total > this.maxNumbers) this.evict(id);
    return claimed;
  }
  async markAccepted(id: string, numbers: string[]): Promise<void> {
    const j = this.journal(id);
    for (const n of numbers) {
      if (!j.has(n)) this.total++;
      j.set(n, 'accepted');
    }
  }
  async clearSending(id: string, numbers: string[]): Promise<void> {
    const j = this.journal(id);
    for (const n of numbers) {
      if (j.get(n) === 'sending') {
        j.delete(n);
        this.total--;
      }
    }
  }
}

/** Redis hash per broadcast (field: number, value: 's' sending | 'a' accepted), kept 30 days. */
export class RedisBroadcastJournal implements BroadcastJournal {
  constructor(private readonly redis: Redis, private readonly prefix = 'sms-gw:broadcast:', private readonly ttlSeconds = 30 * 86400) {}

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }
  async states(id: string, numbers: string[]): Promise<Array<'accepted' | 'sending' | undefined>> {
    const out: Array<'accepted' | 'sending' | undefined> = [];
    for (let i = 0; i < numbers.length; i += 1000) {
      const values = await this.redis.hmget(this.key(id), ...numbers.slice(i, i + 1000));
      for (const v of values) out.push(v === 'a' ? 'accepted' : v === 's' ? 'sending' : undefined);
    }
    return out;
  }
  async markSending(id: string, numbers: string[]): Promise<Set<string>> {
    const claimed = new Set<string>();
    if (numbers.length === 0) return claimed;
    const pipeline = this.redis.pipeline();
    for (const n of numbers) pipeline.hsetnx(this.key(id), n, 's');
    pipeline.expire(this.key(id), this.ttlSeconds);
    const replies = (await pipeline.exec()) ?? [];
    numbers.forEach((n, i) => {
      const [err, set] = replies[i] ?? [null, 0];
      if (err) throw err;
      if (set === 1) claimed.add(n);
    });
    return claimed;
  }
  async markAccepted(id: string, numbers: string[]): Promise<void> {
    if (numbers.length === 0) return;
    const args: string[] = [];
    for (const n of numbers) args.push(n, 'a');
    await this.redis.hset(this.key(id), ...args);
  }
  async clearSending(id: string, numbers: string[]): Promise<void> {
    if (numbers.length === 0) return;
    // Only delete fields still marked 'sending' (an accepted mark from a parallel run wins).
    const states = await this.states(id, numbers);
    const stale = numbers.filter((_, i) => states[i] === 'sending');
    if (stale.length) await this.redis.hdel(this.key(id), ...stale);
  }
}
