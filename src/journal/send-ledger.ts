/**
 * What single sends (Send SMS) already did, by idempotency key, so that a retry (n8n's "Retry On
 * Fail", a re-run with the same key) never sends what the carrier accepted. A key is claimed by a
 * run before its message is sent and then settled: 'accepted' or 'uncertain' (may have reached the
 * phone) keep the result, to be answered again; a plain failure is released, so a retry sends it.
 */
export type LedgerRecord =
  /** Claimed by a run that has not settled it: still sending, or it crashed (so it may have been sent). */
  | { state: 'sending' }
  | { state: 'accepted' | 'uncertain'; result: Record<string, unknown> }
  /**
   * The ledger was lost (a Redis restarted without persistence) less than a key's lifetime ago,
   * and this key is not in it: it may have been sent before the loss. `lostAt`: when it was found.
   */
  | { state: 'unknown'; lostAt: number };

/** What a send leaves for its key. */
export type SettledRecord = Extract<LedgerRecord, { state: 'accepted' | 'uncertain' }>;

export interface SendLedger {
  /** For each key: null when this run claimed it now (or already held it), else what an earlier run left. */
  claim(keys: string[], run: string, ttlMs: number): Promise<Array<LedgerRecord | null>>;
  settle(key: string, record: SettledRecord, ttlMs: number): Promise<void>;
  /** Gives a claimed key back (the message was not sent), if this run still holds it. */
  release(key: string, run: string): Promise<void>;
}

/** A stored value as a record: 's:<run>' while claimed, else JSON of the settled record. */
export function recordOf(value: string | null | undefined, run: string): LedgerRecord | null {
  if (!value || value === `s:${run}`) return null;
  if (value.startsWith('#lost:')) return { state: 'unknown', lostAt: Number(value.slice(6)) };
  if (value.startsWith('s:')) return { state: 'sending' };
  return JSON.parse(value) as LedgerRecord;
}

/** The single-process ledger: bounded (oldest keys go first past `maxKeys`), each key kept for its ttl. */
export class MemorySendLedger implements SendLedger {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly maxKeys = 1_000_000,
    private readonly now: () => number = Date.now,
  ) {}

  private get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) this.entries.delete(key);
    return entry && entry.expiresAt > this.now() ? entry.value : undefined;
  }

  private set(key: string, value: string, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxKeys) break;
      this.entries.delete(oldest);
    }
  }

  async claim(keys: string[], run: string, ttlMs: number): Promise<Array<LedgerRecord | null>> {
    return keys.map((key) => {
      const value = this.get(key);
      if (value === undefined) this.set(key, `s:${run}`, ttlMs);
      return recordOf(value, run);
    });
  }

  async settle(key: string, record: SettledRecord, ttlMs: number): Promise<void> {
    this.set(key, JSON.stringify(record), ttlMs);
  }

  async release(key: string, run: string): Promise<void> {
    if (this.get(key) === `s:${run}`) this.entries.delete(key);
  }
}
