import type Redis from 'ioredis';

/** A UTC day's hash of message ID -> data_coding; kept three days after its last write (how long a replace is worth trying). */
const DAY_MS = 86_400_000;
const KEEP_DAYS = 3;
/**
 * Day hashes a lookup reads, newest first: a message sent at 18:00 on day D is asked for up to
 * D+3 18:00, so four (D to D+3). The hash of D lives three days past its last write, which is
 * no earlier than the send: a record is found for at least 72 h, and at most until D+4 00:00.
 * A send time per record would make that exactly 72 h, but cost bytes and work on every write of
 * a broadcast for nothing a replace needs: a reused ID's newer record is in a newer (or the same)
 * day's hash and is read first.
 */
const READ_DAYS = KEEP_DAYS + 1;
/** Writes are gathered this long and sent as one HSET per day: a UCS-2 broadcast costs a command per batch, not per part. */
const FLUSH_MS = 50;

/**
 * The data_coding of every message sent (and whether it was a part of a long one), shared through Redis (State Store Redis),
 * so Replace Sent Message on another n8n process (queue mode) or after a restart writes the new
 * text in the original's alphabet. Named by the carrier account, never the password.
 */
export class SharedDataCodings {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  private dayKey(day: number): string {
    return `${this.key}:${day}`;
  }

  /**
   * Queues one message's data_coding for the next write (never throws; a lost write only means "not known" later).
   * `messageId` trimmed, as lookups trim it (SentDataCodings.onRecord gives it so).
   */
  add(messageId: string, dataCoding: number): void {
    this.pending.set(messageId, dataCoding);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Writes what is queued now (tests, close). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const fields: string[] = [];
    for (const [id, coding] of this.pending) fields.push(id, String(coding));
    this.pending = new Map();
    const key = this.dayKey(Math.floor(this.now() / DAY_MS));
    await this.redis
      .multi()
      .hset(key, ...fields)
      .pexpire(key, KEEP_DAYS * DAY_MS)
      .exec()
      .catch(() => undefined);
  }

  /** The data_coding last recorded for `messageId` (trimmed) in the last three days, this process's unwritten ones included, or undefined. */
  async get(messageId: string): Promise<number | undefined> {
    const id = messageId.trim();
    const local = this.pending.get(id);
    if (local !== undefined) return local;
    const today = Math.floor(this.now() / DAY_MS);
    const pipeline = this.redis.pipeline();
    for (let d = 0; d < READ_DAYS; d++) pipeline.hget(this.dayKey(today - d), id);
    const answers = (await pipeline.exec()) ?? [];
    for (const [err, value] of answers) {
      if (err) throw err;
      if (typeof value === 'string') return Number(value);
    }
    return undefined;
  }
}
