import type Redis from 'ioredis';

/** Which cell broadcast carries a CAP alert, so that a later Update or Cancel can find it. */
export interface CapBroadcastRecord {
  capIdentifier: string;
  messageId: string;
  /** When the broadcast was started (ms since epoch). */
  startedAt: number;
  /** Human descriptions of its areas, for the output of a later query. */
  areas: string[];
}

export interface BroadcastIdStore {
  get(capIdentifier: string): Promise<CapBroadcastRecord | null>;
  set(record: CapBroadcastRecord): Promise<void>;
  delete(capIdentifier: string): Promise<void>;
}

/** Process memory: one n8n process, lost on restart. */
export class MemoryBroadcastIdStore implements BroadcastIdStore {
  private readonly records = new Map<string, CapBroadcastRecord>();

  async get(capIdentifier: string): Promise<CapBroadcastRecord | null> {
    return this.records.get(capIdentifier) ?? null;
  }
  async set(record: CapBroadcastRecord): Promise<void> {
    this.records.set(record.capIdentifier, { ...record });
  }
  async delete(capIdentifier: string): Promise<void> {
    this.records.delete(capIdentifier);
  }
}

/** One Redis string (JSON) per CAP identifier, kept 30 days: shared by main and workers. */
export class RedisBroadcastIdStore implements BroadcastIdStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'sms-gw:cbs:cap:',
    private readonly ttlSeconds = 30 * 86_400,
  ) {}

  private key(capIdentifier: string): string {
    return `${this.prefix}${capIdentifier}`;
  }
  async get(capIdentifier: string): Promise<CapBroadcastRecord | null> {
    const raw = await this.redis.get(this.key(capIdentifier));
    return raw ? (JSON.parse(raw) as CapBroadcastRecord) : null;
  }
  async set(record: CapBroadcastRecord): Promise<void> {
    await this.redis.set(this.key(record.capIdentifier), JSON.stringify(record), 'EX', this.ttlSeconds);
  }
  async delete(capIdentifier: string): Promise<void> {
    await this.redis.del(this.key(capIdentifier));
  }
}
