import type Redis from 'ioredis';
import type { IdFormat } from './receipt-ids';
import { receiptKeys } from './receipt-ids';
import { receiptFromJson, receiptToJson } from './receipt-json';
import type { DeliveryReceipt } from './receipt-pdu';
import type { ReceiptFeed, SharedReceiptStore } from './shared-receipt-store';
import { StreamGroupReader } from '../redis/redis-stream-group';

/**
 * KEYS[1] the feed stream, KEYS[2..] the receipt's keys. ARGV: value ('F' or 'I' then the JSON),
 * ttl seconds, feed length. A final receipt is never overwritten by a later intermediate one (they
 * can arrive out of order); every receipt goes on the feed.
 */
const RECORD_SCRIPT = `
local value = ARGV[1]
local final = string.sub(value, 1, 1) == 'F'
for i = 2, #KEYS do
  local existing = redis.call('GET', KEYS[i])
  if final or not existing or string.sub(existing, 1, 1) ~= 'F' then
    redis.call('SET', KEYS[i], value, 'EX', ARGV[2])
  end
end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'r', string.sub(value, 2))
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

type WithRecord = Redis & { smsGatewayReceiptRecord(numKeys: number, ...args: Array<string | number>): Promise<number> };

export interface RedisReceiptStoreOptions {
  /** Shared client for commands; the feed opens a connection of its own (XREAD blocks). */
  redis: Redis;
  /** Key prefix of one carrier account, e.g. "sms-gw:dlr:smpp.carrier.example:2775:". */
  prefix: string;
  /** How long a receipt is kept (default 72 h). */
  ttlSeconds?: number;
  /** Feed entries kept, roughly (default 100,000; readers that fall further behind rely on the keys). */
  feedLength?: number;
  /** How long one XREAD blocks (default 5 s). */
  blockMs?: number;
}

/**
 * Receipts of one carrier account shared through Redis. Keys (prefix P):
 * - `P r:x:<id>` / `P r:t:<id>`: the latest receipt by receipted_message_id / by text id, with a TTL;
 * - `P feed`: a stream of every receipt recorded, read by the processes that wait (a stream rather
 *   than pub/sub, so a reader that reconnects reads on from where it was and misses nothing);
 * - `P format`: the message id format learned from receipts (see receipt-ids.ts).
 */
export class RedisReceiptStore implements SharedReceiptStore {
  private readonly redis: WithRecord;
  private readonly ttlSeconds: number;

  constructor(private readonly options: RedisReceiptStoreOptions) {
    this.redis = options.redis as WithRecord;
    if (typeof this.redis.smsGatewayReceiptRecord !== 'function') this.redis.defineCommand('smsGatewayReceiptRecord', { lua: RECORD_SCRIPT });
    this.ttlSeconds = options.ttlSeconds ?? 72 * 3600;
  }

  private get feedKey(): string {
    return `${this.options.prefix}feed`;
  }

  /** Unreadable feed entries, kept for a person to look at (see consume). */
  get deadLetterKey(): string {
    return `${this.options.prefix}dead`;
  }

  /**
   * Records a receipt under its keys and on the feed. One that names no id (its text unreadable)
   * has no keys but still goes on the feed, so the SMS Trigger shows it (status UNKNOWN) rather
   * than the bind acknowledging it into nothing.
   */
  async record(receipt: DeliveryReceipt): Promise<void> {
    const keys = receiptKeys(receipt.ids ?? { tlvId: receipt.messageId }).map((k) => `${this.options.prefix}r:${k}`);
    const value = (receipt.final ? 'F' : 'I') + receiptToJson(receipt);
    await this.redis.smsGatewayReceiptRecord(keys.length + 1, this.feedKey, ...keys, value, this.ttlSeconds, this.options.feedLength ?? 100_000);
  }

  async find(keys: string[]): Promise<DeliveryReceipt | null> {
    if (keys.length === 0) return null;
    const values = await this.redis.mget(...keys.map((k) => `${this.options.prefix}r:${k}`));
    let intermediate: DeliveryReceipt | null = null;
    for (const value of values) {
      if (!value) continue;
      const receipt = receiptFromJson(value.slice(1));
      if (receipt?.final) return receipt;
      intermediate ??= receipt;
    }
    return intermediate;
  }

  follow(listener: (receipt: DeliveryReceipt) => void): ReceiptFeed {
    const reader = this.redis.duplicate();
    reader.on('error', () => undefined); // reconnects by itself; the loop below retries
    let stopped = false;
    // The feed's current end: receipts recorded after it are read below, those before are in the keys.
    const start = reader.xrevrange(this.feedKey, '+', '-', 'COUNT', 1).then((last) => (last.length > 0 ? last[0][0] : '0-0'));
    void start.then(
      (from) => this.read(reader, from, listener, () => stopped),
      () => undefined,
    );
    return {
      ready: start.then(() => undefined),
      stop: () => {
        stopped = true;
        reader.disconnect();
      },
    };
  }

  private async read(reader: Redis, from: string, listener: (receipt: DeliveryReceipt) => void, stopped: () => boolean): Promise<void> {
    let last = from;
    while (!stopped()) {
      try {
        const answer = await reader.xread('COUNT', 1000, 'BLOCK', this.options.blockMs ?? 5000, 'STREAMS', this.feedKey, last);
        for (const [, entries] of answer ?? []) {
          for (const [id, fields] of entries) {
            last = id;
            const receipt = fields[0] === 'r' ? receiptFromJson(fields[1]) : null;
            if (receipt) listener(receipt);
          }
        }
      } catch {
        // Redis away or restarting: read on from the same entry once it is back.
        if (!stopped()) await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /**
   * Hands every receipt recorded from now on to `handle`, once per `group` (the SMS Trigger of one
   * workflow), acknowledging each when `handle` resolves; a restarted process reads on from those
   * it had not finished. A failing `handle` is tried again a few times, then left for the next start.
   */
  consume(group: string, handle: (receipt: DeliveryReceipt) => Promise<void>, onError?: (error: Error) => void): () => void {
    let stopped = false;
    const attempt = async (id: string, receipt: DeliveryReceipt, tries: number): Promise<void> => {
      try {
        await handle(receipt);
        await this.redis.xack(this.feedKey, group, id);
      } catch (err) {
        if (stopped || tries >= 5) return;
        onError?.(err as Error);
        await new Promise((resolve) => setTimeout(resolve, 1000 * tries));
        await attempt(id, receipt, tries + 1);
      }
    };
    const reader = new StreamGroupReader(
      this.redis,
      { key: this.feedKey, group, consumer: 'n8n-main', startAt: '$', blockMs: this.options.blockMs, onError },
      (id, fields) => {
        const receipt = fields[0] === 'r' ? receiptFromJson(fields[1]) : null;
        if (receipt) void attempt(id, receipt, 1);
        else void this.deadLetter(group, id, fields, onError);
      },
    );
    return () => {
      stopped = true;
      reader.stop();
    };
  }

  /**
   * An entry that is not a receipt we can read: copied to the dead-letter stream (its id, the
   * group, its fields; about 10,000 kept) and reported, then acknowledged. If it cannot be copied it
   * stays pending, read again by the next start.
   */
  private async deadLetter(group: string, id: string, fields: string[], onError?: (error: Error) => void): Promise<void> {
    try {
      await this.redis
        .multi()
        .xadd(this.deadLetterKey, 'MAXLEN', '~', 10_000, '*', 'id', id, 'group', group, ...fields)
        .xack(this.feedKey, group, id)
        .exec();
      onError?.(new Error(`feed entry ${id} is not a readable receipt: kept in ${this.deadLetterKey}`));
    } catch (err) {
      onError?.(new Error(`feed entry ${id} is not a readable receipt and could not be kept (${(err as Error).message}): left pending`));
    }
  }

  /** Removes a consumer group (a "listen for test event" run's, when it ends). */
  async dropGroup(group: string): Promise<void> {
    await this.redis.xgroup('DESTROY', this.feedKey, group);
  }

  async learnedFormat(): Promise<IdFormat | null> {
    const value = await this.redis.get(`${this.options.prefix}format`);
    return value === 'same' || value === 'hex' || value === 'decimal' ? value : null;
  }

  async saveFormat(format: IdFormat): Promise<void> {
    await this.redis.set(`${this.options.prefix}format`, format, 'EX', this.ttlSeconds);
  }
}
