import type Redis from 'ioredis';

/**
 * Numbers that replied STOP: the SMS Trigger writes them, Send SMS and Bulk Alert Broadcast read
 * them. Memory for a single n8n process; Redis when several processes must agree (queue mode).
 */
export interface OptOutStore {
  optOut(list: string, e164: string): Promise<void>;
  optIn(list: string, e164: string): Promise<void>;
  /** Returns the subset of numbers that opted out. */
  filterOptedOut(list: string, numbers: string[]): Promise<Set<string>>;
  count(list: string): Promise<number>;
}

export class MemoryOptOutStore implements OptOutStore {
  private readonly lists = new Map<string, Set<string>>();

  private set(list: string): Set<string> {
    let s = this.lists.get(list);
    if (!s) this.lists.set(list, (s = new Set()));
    return s;
  }
  async optOut(list: string, e164: string): Promise<void> {
    this.set(list).add(e164);
  }
  async optIn(list: string, e164: string): Promise<void> {
    this.set(list).delete(e164);
  }
  async filterOptedOut(list: string, numbers: string[]): Promise<Set<string>> {
    const s = this.set(list);
    return new Set(numbers.filter((n) => s.has(n)));
  }
  async count(list: string): Promise<number> {
    return this.set(list).size;
  }
}

export class RedisOptOutStore implements OptOutStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'sms-gw:optout:',
  ) {}

  async optOut(list: string, e164: string): Promise<void> {
    await this.redis.sadd(this.prefix + list, e164);
  }
  async optIn(list: string, e164: string): Promise<void> {
    await this.redis.srem(this.prefix + list, e164);
  }
  async filterOptedOut(list: string, numbers: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < numbers.length; i += 1000) {
      const chunk = numbers.slice(i, i + 1000);
      const flags = await this.redis.smismember(this.prefix + list, ...chunk);
      flags.forEach((f, j) => f && out.add(chunk[j]));
    }
    return out;
  }
  async count(list: string): Promise<number> {
    return this.redis.scard(this.prefix + list);
  }
}
