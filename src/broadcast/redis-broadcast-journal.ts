import type Redis from 'ioredis';
import { duringOutage } from '../journal/redis-outage';
import { generationKey, stateOf } from './broadcast-journal';
import type { BroadcastJournal, JournalGeneration, JournalOpenOptions, JournalOutcomes, JournalState } from './broadcast-journal';

/**
 * KEYS[1] the generation record of a broadcast ID, KEYS[2] generation 1's numbers hash (later
 * generations add '#<n>'). ARGV: now, windowMs ('inf' for none), sendAgain ('1'), ttlSeconds.
 * Opens a new generation when there is none, when asked to, or when the current one started more
 * than windowMs ago, and marks its hash open ('#open', a field no phone number can be).
 * Returns {generation, startedAt, resumed}.
 */
const OPEN_SCRIPT = `
local generation = tonumber(redis.call('HGET', KEYS[1], 'generation') or '0')
local startedAt = tonumber(redis.call('HGET', KEYS[1], 'startedAt') or '0')
local now = tonumber(ARGV[1])
local resumed = 1
if generation == 0 or ARGV[3] == '1' or (ARGV[2] ~= 'inf' and now - startedAt > tonumber(ARGV[2])) then
  generation = generation + 1
  startedAt = now
  resumed = 0
  redis.call('HSET', KEYS[1], 'generation', generation, 'startedAt', startedAt)
end
local numbers = KEYS[2]
if generation > 1 then numbers = KEYS[2] .. '#' .. generation end
if redis.call('HEXISTS', numbers, '#open') == 0 then redis.call('HSET', numbers, '#open', startedAt) end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', numbers, ARGV[4])
return {generation, startedAt, resumed}
`;

/**
 * KEYS[1] the numbers hash. ARGV: run, nTakeOver, ttlSeconds, then the numbers (the first
 * nTakeOver may take over 'sending'/'uncertain'). Returns 1/0 per number. A hash without its
 * '#open' mark was lost (a Redis restarted without persistence, an eviction): sending on would
 * resend to everyone, so it refuses.
 */
const CLAIM_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], '#open') == 0 then
  return redis.error_reply('JOURNAL_LOST this broadcast\\'s journal is gone from Redis (restarted without persistence? evicted?)')
end
local mine = 's:' .. ARGV[1]
local takeOver = tonumber(ARGV[2])
local out = {}
for i = 4, #ARGV do
  local value = redis.call('HGET', KEYS[1], ARGV[i])
  if (not value) or value == mine or (i - 3 <= takeOver and value ~= 'a') then
    if value ~= mine then redis.call('HSET', KEYS[1], ARGV[i], mine) end
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return out
`;

/** KEYS[1] the numbers hash. ARGV: run, nAccepted, nUncertain, then accepted, uncertain, released numbers. */
const SETTLE_SCRIPT = `
local mine = 's:' .. ARGV[1]
local accepted = tonumber(ARGV[2])
local uncertain = tonumber(ARGV[3])
for i = 4, 3 + accepted do redis.call('HSET', KEYS[1], ARGV[i], 'a') end
for i = 4 + accepted, 3 + accepted + uncertain do
  if redis.call('HGET', KEYS[1], ARGV[i]) ~= 'a' then redis.call('HSET', KEYS[1], ARGV[i], 'u') end
end
for i = 4 + accepted + uncertain, #ARGV do
  if redis.call('HGET', KEYS[1], ARGV[i]) == mine then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 1
`;

/** The commands defineCommand adds to the connection (ioredis cannot type them itself). */
interface JournalCommands {
  smsGatewayJournalOpen(recordKey: string, numbersKey: string, now: number, windowMs: string, sendAgain: string, ttl: number): Promise<[number, number, number]>;
  smsGatewayJournalClaim(numbersKey: string, ...args: Array<string | number>): Promise<number[]>;
  smsGatewayJournalSettle(numbersKey: string, ...args: Array<string | number>): Promise<number>;
}

export interface RedisJournalOptions {
  /** Key prefix (default 'sms-gw:broadcast:'). */
  prefix?: string;
  /** Kept this long after the last write (default 30 days). */
  ttlSeconds?: number;
  /**
   * How long a broadcast waits for Redis to come back (a restart, a failover) before it stops
   * with an error (default 30 s). Every write is safe to repeat, so nothing is lost or doubled.
   */
  outageToleranceMs?: number;
}

/**
 * Redis hash per broadcast generation (field: number, value: 'a' accepted, 'u' uncertain,
 * 's:<run>' sending), plus a generation record; kept 30 days. Survives a Redis restart only if
 * Redis persists its data (AOF, appendfsync always for no loss): a journal found missing is
 * reported (JOURNAL_LOST), never taken as "nobody was sent anything".
 */
export class RedisBroadcastJournal implements BroadcastJournal {
  private readonly redis: Redis & JournalCommands;
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private readonly outageToleranceMs: number;

  constructor(redis: Redis, options: RedisJournalOptions | string = {}) {
    const o = typeof options === 'string' ? { prefix: options } : options;
    this.prefix = o.prefix ?? 'sms-gw:broadcast:';
    this.ttlSeconds = o.ttlSeconds ?? 30 * 86400;
    this.outageToleranceMs = o.outageToleranceMs ?? 30_000;
    const commands = redis as Redis & Partial<JournalCommands>;
    if (!commands.smsGatewayJournalOpen) {
      redis.defineCommand('smsGatewayJournalOpen', { lua: OPEN_SCRIPT, numberOfKeys: 2 });
      redis.defineCommand('smsGatewayJournalClaim', { lua: CLAIM_SCRIPT, numberOfKeys: 1 });
      redis.defineCommand('smsGatewayJournalSettle', { lua: SETTLE_SCRIPT, numberOfKeys: 1 });
    }
    this.redis = redis as Redis & JournalCommands;
  }

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }

  /** Every journal command is safe to repeat: it is retried while Redis is unreachable. */
  private withRetry<T>(command: () => Promise<T>): Promise<T> {
    return duringOutage(this.outageToleranceMs, command);
  }

  async open(baseId: string, options: JournalOpenOptions): Promise<JournalGeneration> {
    const window = Number.isFinite(options.windowMs) ? String(Math.max(0, Math.round(options.windowMs))) : 'inf';
    const [generation, startedAt, resumed] = await this.withRetry(() =>
      this.redis.smsGatewayJournalOpen(this.key(`${baseId}#run`), this.key(baseId), options.now ?? Date.now(), window, options.sendAgain ? '1' : '0', this.ttlSeconds));
    return { broadcastId: generationKey(baseId, generation), generation, startedAt, resumed: resumed === 1 };
  }

  async states(id: string, numbers: string[]): Promise<Array<JournalState | undefined>> {
    const out: Array<JournalState | undefined> = [];
    for (let i = 0; i < numbers.length; i += 1000) {
      const values = await this.withRetry(() => this.redis.hmget(this.key(id), ...numbers.slice(i, i + 1000)));
      for (const v of values) out.push(stateOf(v));
    }
    return out;
  }

  async claim(id: string, run: string, numbers: string[], takeOver?: ReadonlySet<string>): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const taking = takeOver?.size ? numbers.filter((n) => takeOver.has(n)) : [];
    const ordered = taking.length ? [...taking, ...numbers.filter((n) => !takeOver!.has(n))] : numbers;
    const replies = await this.withRetry(() => this.redis.smsGatewayJournalClaim(this.key(id), run, taking.length, this.ttlSeconds, ...ordered));
    const claimed = new Set<string>();
    ordered.forEach((n, i) => {
      if (replies[i] === 1) claimed.add(n);
    });
    return claimed;
  }

  async settle(id: string, run: string, outcomes: JournalOutcomes): Promise<void> {
    const { accepted, uncertain, released } = outcomes;
    if (accepted.length + uncertain.length + released.length === 0) return;
    await this.withRetry(() => this.redis.smsGatewayJournalSettle(this.key(id), run, accepted.length, uncertain.length, ...accepted, ...uncertain, ...released));
  }
}
