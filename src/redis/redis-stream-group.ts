import type Redis from 'ioredis';

export interface StreamGroupOptions {
  key: string;
  group: string;
  /** Stable across restarts, so a restarted process reads on from what it took and never acknowledged. */
  consumer: string;
  /** Where a new group starts: '0' (everything the stream holds) or '$' (only what comes next). */
  startAt: '0' | '$';
  blockMs?: number;
  onError?: (error: Error) => void;
  /** Backpressure: awaited before each read, so a handler with too much in hand stops the reading. */
  canRead?: () => Promise<void>;
}

/**
 * Reads a Redis stream as a consumer group: first the entries this consumer took before and never
 * acknowledged (a restart), then new ones. `handle` decides when an entry is done; it runs without
 * being awaited, so one entry waiting (for an application to bind, say) holds up no other.
 * Hand-written over ioredis: the library has no consumer-group loop of its own.
 */
export class StreamGroupReader {
  private stopped = false;
  private readonly reader: Redis;
  /** The group was there (created or found) once: a later create is a re-creation. */
  private groupExisted = false;
  /** The newest entry handed to `handle`. */
  private lastSeen: string | null = null;

  constructor(
    redis: Redis,
    private readonly options: StreamGroupOptions,
    private readonly handle: (id: string, fields: string[]) => void,
  ) {
    this.reader = redis.duplicate();
    this.reader.on('error', () => undefined); // reconnects by itself; the loop retries
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.reader.disconnect();
  }

  private async run(): Promise<void> {
    const { key, group, consumer } = this.options;
    let from = '0';
    while (!this.stopped) {
      try {
        await this.createGroup();
        await this.reportTrimmed().catch(() => undefined); // a check only: never stops the reading
        while (!this.stopped) {
          await this.options.canRead?.();
          if (this.stopped) return;
          const answer = (await this.reader.xreadgroup(
            'GROUP',
            group,
            consumer,
            'COUNT',
            100,
            'BLOCK',
            this.options.blockMs ?? 5000,
            'STREAMS',
            key,
            from,
          )) as Array<[string, Array<[string, string[]]>]> | null;
          // Pending entries (from '0') come back with null fields when the stream dropped them.
          const entries = (answer?.[0]?.[1] ?? []) as Array<[string, string[] | null]>;
          if (from !== '>' && entries.length === 0) from = '>';
          let gone = 0;
          for (const [id, fields] of entries) {
            if (from !== '>') from = id;
            if (fields === null) {
              gone++;
              await this.reader.xack(key, group, id);
              continue;
            }
            if (this.lastSeen === null || compareStreamIds(id, this.lastSeen) > 0) this.lastSeen = id;
            this.handle(id, fields);
          }
          if (gone > 0) this.reportPendingTrimmed(gone);
        }
      } catch (err) {
        if (this.stopped) return;
        this.options.onError?.(err as Error);
        from = '0'; // the group may be new: read this consumer's pending entries (if any) first again
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Entries trimmed from the stream before this group read them (a trigger inactive while the feed went past its length). */
  trimmed = 0;

  /**
   * Entries this consumer had taken but not handled (a reader stopped while its blocked read was
   * being answered) and that the stream then trimmed: they are gone. Acknowledged so the pending
   * list does not hand them out again, counted and reported like entries trimmed before the read.
   */
  private reportPendingTrimmed(gone: number): void {
    const { key, group } = this.options;
    this.trimmed += gone;
    this.options.onError?.(
      new Error(`${gone} entries of ${key} were trimmed (the stream keeps a set number) after group ${group} took them and before they were handled`),
    );
  }

  /**
   * A stream capped by MAXLEN drops its oldest entries whether or not a group read them. When this
   * group's position is before the stream's first entry, what lay between is gone: counted and
   * reported (onError) rather than passed over in silence. Checked at each (re)start of the reading.
   */
  private async reportTrimmed(): Promise<void> {
    const { key, group } = this.options;
    const groups = (await this.reader.xinfo('GROUPS', key)) as unknown[][];
    const mine = groups.map(fieldsOf).find((g) => g.name === group);
    const stream = fieldsOf((await this.reader.xinfo('STREAM', key)) as unknown[]);
    const lastDelivered = String(mine?.['last-delivered-id'] ?? '');
    const first = Array.isArray(stream['first-entry']) ? String(stream['first-entry'][0]) : null;
    if (!mine || !first || lastDelivered === '' || lastDelivered === '0-0' || compareStreamIds(first, lastDelivered) <= 0) return;
    const added = Number(stream['entries-added']);
    const read = mine['entries-read'];
    const length = Number(stream.length);
    const lost = typeof read === 'number' && Number.isFinite(added) ? added - read - length : NaN;
    if (Number.isFinite(lost) && lost <= 0) return;
    if (Number.isFinite(lost)) this.trimmed += lost;
    this.options.onError?.(
      new Error(`${Number.isFinite(lost) ? lost : 'some'} entries of ${key} were trimmed (the stream keeps a set number) before group ${group} read them`),
    );
  }

  /**
   * Creates the group where it should start. The first time at `startAt`. Once it existed, the
   * group can only be missing because Redis restarted without its data or someone removed it:
   * starting at '$' then would skip what was written since (receipts recorded while this reader
   * waited to retry). So it starts after the last entry this reader saw when the stream still holds
   * it (only the group was lost: nothing is handed out twice), else at the stream's beginning
   * (a new stream: all of it is new).
   */
  private async createGroup(): Promise<void> {
    const { key, group, startAt } = this.options;
    let at: string = startAt;
    if (this.groupExisted && startAt === '$') {
      const [first] = (await this.reader.xrange(key, '-', '+', 'COUNT', 1)) as Array<[string, string[]]>;
      at = this.lastSeen !== null && first !== undefined && compareStreamIds(first[0], this.lastSeen) <= 0 ? this.lastSeen : '0';
    } else if (this.groupExisted) {
      at = '0';
    }
    await this.reader.xgroup('CREATE', key, group, at, 'MKSTREAM').catch((err: Error) => {
      if (!/BUSYGROUP/.test(err.message)) throw err;
    });
    this.groupExisted = true;
  }
}

/** XINFO's flat [name, value, ...] answer as an object. */
function fieldsOf(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/** Orders two stream entry ids ("ms-seq"): negative, zero or positive. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as = '0'] = a.split('-');
  const [bm, bs = '0'] = b.split('-');
  const byMs = BigInt(am) - BigInt(bm);
  if (byMs !== 0n) return byMs < 0n ? -1 : 1;
  const bySeq = BigInt(as) - BigInt(bs);
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

/** Acknowledges an entry and deletes it (a stream read by one group only). */
export async function ackAndDelete(redis: Redis, key: string, group: string, id: string): Promise<void> {
  await redis.multi().xack(key, group, id).xdel(key, id).exec();
}
