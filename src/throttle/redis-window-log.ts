import Redis from 'ioredis';
import type { WindowLogAnswer, WindowLogPolicy } from './sliding-window-log';

/**
 * SlidingWindowLog's rule (see sliding-window-log.ts) kept in Redis, so every n8n process that
 * sends on one carrier account draws from one budget. Hand-written because no library we found
 * does this: Bottleneck's Redis datastore hands out weighted jobs that a process may spend any
 * time later (held tokens added a burst on top of fresh ones: 14 submits in one second at a cap
 * of 10), rate-limiter-flexible counts fixed windows (up to twice the cap across a window
 * boundary), and sliding-window limiters such as @upstash/ratelimit estimate the previous window
 * instead of counting it. Here the clock is Redis's own (TIME), so processes need no clock sync.
 *
 * Redis's clock stepping back (NTP, a VM restored) would keep the log's entries in the future and
 * stall every sender for as long as the step: the scripts keep the clock they use monotonic (the
 * step is added to an offset kept with the log). A step forward cannot be told from time passing:
 * it ages the log early, so the second it happens in can hold up to twice the cap (README).
 *
 * A log that does not exist yet (first use, a Redis restart or flush, or a day unused) grants
 * nothing for one window plus the longest token lifetime: grants made before a restart are not
 * in the new log, and waiting them out is the only way to stay under the cap across it.
 */
const CLOCK = `
local t = redis.call('TIME')
local raw = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local clock = redis.call('HMGET', KEYS[2], 'offset', 'last')
local offset, last = tonumber(clock[1]) or 0, tonumber(clock[2]) or 0
local now = raw + offset
if now < last then offset = offset + last - now now = last end
local function keepClock() redis.call('HSET', KEYS[2], 'offset', string.format('%.3f', offset), 'last', string.format('%.3f', now)) end
local function forget(total, windowMs)
  local oldest = nil
  while total > 0 do
    local head = redis.call('LINDEX', KEYS[1], 0)
    if not head then return 0, nil end
    local sep = string.find(head, ':', 1, true)
    local e = tonumber(string.sub(head, 1, sep - 1))
    if e > now - windowMs then return total, e end
    total = total - tonumber(string.sub(head, sep + 1))
    redis.call('LPOP', KEYS[1])
  end
  return total, oldest
end
`;

const TAKE_SCRIPT = `${CLOCK}
local cap, windowMs, bucketMs, perBucket, wanted, ttl, lifetime, bornWait, capMemory = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local state = redis.call('HMGET', KEYS[2], 'total', 'born', 'bucket', 'inBucket')
local total, born = tonumber(state[1]), tonumber(state[2])
if not total or not born then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[2], 'total', 0, 'born', string.format('%.3f', raw), 'bucket', -1, 'inBucket', 0, 'offset', 0, 'last', string.format('%.3f', raw))
  redis.call('PEXPIRE', KEYS[2], ttl)
  return {0, math.ceil(bornWait)}
end
keepClock()
if now < born + bornWait then return {0, math.max(1, math.ceil(born + bornWait - now))} end
local oldest
total, oldest = forget(total, windowMs)
local bucket = math.floor(now / bucketMs)
local inBucket = 0
if tonumber(state[3]) == bucket then inBucket = tonumber(state[4]) end
-- Every cap asked with in the last CAP_MEMORY ms, the lowest applies: two credentials of one
-- account with different TPS (a stale copy, a worker with old settings) keep the lower.
redis.call('HSET', KEYS[3], tostring(cap), string.format('%.3f', now))
redis.call('PEXPIRE', KEYS[3], capMemory)
local seen = redis.call('HGETALL', KEYS[3])
for i = 1, #seen, 2 do
  if tonumber(seen[i + 1]) <= now - capMemory then redis.call('HDEL', KEYS[3], seen[i])
  elseif tonumber(seen[i]) < cap then cap = tonumber(seen[i]) perBucket = math.max(1, math.ceil(cap * 2 * bucketMs / 1000)) end
end
local granted = math.min(wanted, cap - total, perBucket - inBucket)
if granted <= 0 then
  redis.call('HSET', KEYS[2], 'total', total)
  local retryAt = (bucket + 1) * bucketMs
  if total >= cap and oldest then retryAt = oldest + windowMs end
  return {0, math.max(1, math.ceil(retryAt - now))}
end
redis.call('RPUSH', KEYS[1], string.format('%.3f:%d', now + lifetime, granted))
redis.call('HSET', KEYS[2], 'total', total + granted, 'bucket', bucket, 'inBucket', inBucket + granted)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return {granted, 0, string.format('%.3f', now), cap}
`;

/** Submits written after their tokens' end, logged at Redis's now (see SlidingWindowLog.charge). */
const CHARGE_SCRIPT = `${CLOCK}
local count, windowMs, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local total = tonumber(redis.call('HGET', KEYS[2], 'total'))
if not total then return '' end
keepClock()
total = forget(total, windowMs)
redis.call('RPUSH', KEYS[1], string.format('%.3f:%d', now, count))
redis.call('HSET', KEYS[2], 'total', total + count)
redis.call('PEXPIRE', KEYS[1], ttl)
return string.format('%.3f', now)
`;

/** How long a cap asked with stays in force for every process of the budget (the lowest applies). */
export const CAP_MEMORY_MS = 60_000;

/** The longest a token may be held (TpsThrottle adapts it to Redis's answer time up to this). */
export const MAX_TOKEN_LIFETIME_MS = 500;

/** Keys and log live this long after the last grant (a day: a budget unused longer starts with one window's wait). */
const KEY_TTL_MS = 24 * 3600_000;

interface TakeCommand {
  smsGatewayTpsTake(
    log: string,
    state: string,
    caps: string,
    cap: number,
    windowMs: number,
    bucketMs: number,
    perBucket: number,
    wanted: number,
    ttl: number,
    lifetimeMs: number,
    bornWaitMs: number,
    capMemoryMs: number,
  ): Promise<[number, number, string?, number?]>;
  smsGatewayTpsCharge(log: string, state: string, count: number, windowMs: number, ttl: number): Promise<string>;
}

export interface RedisWindowLogOptions {
  host: string;
  port: number;
  password?: string;
  username?: string;
  db?: number;
  tls?: boolean;
}

export class RedisWindowLog {
  private readonly redis: Redis & TakeCommand;
  private readonly logKey: string;
  private readonly stateKey: string;
  private readonly capsKey: string;

  /** `key` names the budget; it must not contain secrets (it is visible to anyone who can read Redis). */
  constructor(
    private readonly policy: WindowLogPolicy,
    key: string,
    options: RedisWindowLogOptions,
    onError: (err: Error) => void,
  ) {
    const redis = new Redis({
      host: options.host,
      port: options.port,
      password: options.password,
      username: options.username,
      db: options.db,
      tls: options.tls ? {} : undefined,
      lazyConnect: true,
      // Nothing waits for a Redis that is down: a token not granted now is asked for again later,
      // and the throttle decides how long messages may wait for it.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 2000,
      retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
    });
    redis.defineCommand('smsGatewayTpsTake', { numberOfKeys: 3, lua: TAKE_SCRIPT });
    redis.defineCommand('smsGatewayTpsCharge', { numberOfKeys: 2, lua: CHARGE_SCRIPT });
    redis.on('error', onError);
    this.appliedCap = policy.cap;
    this.redis = redis as Redis & TakeCommand;
    // One hash tag: both keys land on one slot of a Redis Cluster. "grants"/"budget" since entries
    // carry their end (0.x logs named "log"/"state" held grant times, read differently).
    this.logKey = `sms-gateway:tps:{${key}}:grants`;
    this.stateKey = `sms-gateway:tps:{${key}}:budget`;
    this.capsKey = `sms-gateway:tps:{${key}}:caps`;
  }

  /** The cap the last grant was made under: lower than ours when another process asks with a lower one. */
  appliedCap: number;

  connect(): Promise<void> {
    return this.redis.connect();
  }

  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  /** Asks for `wanted` tokens, to be written within `lifetimeMs` of asking. */
  async take(wanted: number, lifetimeMs: number): Promise<WindowLogAnswer> {
    const { cap, windowMs, bucketMs, perBucket } = this.policy;
    const [granted, retryInMs, at, appliedCap] = await this.redis.smsGatewayTpsTake(
      this.logKey,
      this.stateKey,
      this.capsKey,
      cap,
      windowMs,
      bucketMs,
      perBucket,
      wanted,
      KEY_TTL_MS,
      lifetimeMs,
      windowMs + MAX_TOKEN_LIFETIME_MS,
      CAP_MEMORY_MS,
    );
    if (appliedCap !== undefined) this.appliedCap = appliedCap;
    return { granted, retryInMs, at: at === undefined ? undefined : Number(at) };
  }

  /** Logs `count` submits written late at Redis's now; resolves with that time (NaN when the log is gone). */
  async charge(count: number): Promise<number> {
    const at = await this.redis.smsGatewayTpsCharge(this.logKey, this.stateKey, count, this.policy.windowMs, KEY_TTL_MS);
    return at === '' ? Number.NaN : Number(at);
  }

  close(): void {
    this.redis.disconnect(false);
  }
}
