import type Redis from 'ioredis';

/** A day's hash of message ID -> data_coding; kept three days (how long a replace is worth trying). */
const DAY_MS = 86_400_000;
const KEEP_DAYS = 3;
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

  /** Queues one message's data_coding for the next write (never throws; a lost write only means "not known" later). */
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

  /** The data_coding recorded for `messageId` in the last three days, or undefined. */
  async get(messageId: string): Promise<number | undefined> {
    const id = messageId.trim();
    const local = this.pending.get(id);
    if (local !== undefined) return local;
    const today = Math.floor(this.now() / DAY_MS);
    const pipeline = this.redis.pipeline();
    for (let d = 0; d < KEEP_DAYS; d++) pipeline.hget(this.dayKey(today - d), id);
    const answers = (await pipeline.exec()) ?? [];
    for (const [err, value] of answers) {
      if (err) throw err;
      if (typeof value === 'string') return Number(value);
    }
    return undefined;
  }
}
