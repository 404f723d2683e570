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

  constructor(redis: Redis, private readonly options: StreamGroupOptions, private readonly handle: (id: string, fields: string[]) => void) {
    this.reader = redis.duplicate();
    this.reader.on('error', () => undefined); // reconnects by itself; the loop retries
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.reader.disconnect();
  }

  private async run(): Promise<void> {
    const { key, group, consumer, startAt } = this.options;
    let from = '0';
    while (!this.stopped) {
      try {
        await this.reader.xgroup('CREATE', key, group, startAt, 'MKSTREAM').catch((err: Error) => {
          if (!/BUSYGROUP/.test(err.message)) throw err;
        });
        while (!this.stopped) {
          const answer = (await this.reader.xreadgroup('GROUP', group, consumer, 'COUNT', 100, 'BLOCK', this.options.blockMs ?? 5000, 'STREAMS', key, from)) as Array<[string, Array<[string, string[]]>]> | null;
          const entries = answer?.[0]?.[1] ?? [];
          if (from !== '>' && entries.length === 0) from = '>';
          for (const [id, fields] of entries) {
            if (from !== '>') from = id;
            this.handle(id, fields);
          }
        }
      } catch (err) {
        if (this.stopped) return;
        this.options.onError?.(err as Error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}

/** Acknowledges an entry and deletes it (a stream read by one group only). */
export async function ackAndDelete(redis: Redis, key: string, group: string, id: string): Promise<void> {
  await redis.multi().xack(key, group, id).xdel(key, id).exec();
}
