import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { duringOutage } from '../journal/redis-outage';
import { generationKey, SEND_AGAIN_JOIN_MS, stateOf } from './broadcast-journal';
import type { BroadcastJournal, JournalGeneration, JournalOpenOptions, JournalOutcomes, JournalState } from './broadcast-journal';

/** The numbers hash of generation `g` (generation 1 is the base key). */
const NUMBERS_OF = `
local function numbersOf(base, g)
  if g > 1 then return base .. '#' .. g end
  return base
end
`;

/**
 * The journal's epoch: a random value stored once per Redis dataset (KEYS[3]). A Redis that lost
 * its data (restarted without persistence, flushed) comes back without it, so a record, or a
 * process, that knew the old epoch can tell that what the journal held is gone.
 */
const EPOCH = `
local function currentEpoch(newEpoch)
  local e = redis.call('GET', KEYS[3])
  if not e then
    e = newEpoch
    redis.call('SET', KEYS[3], e)
  end
  return e
end
`;

/**
 * Writes down that a generation's journal was lost: its hash is recreated with '#lost', which
 * makes every number without a state uncertain (it may have been sent), and the generation record
 * is written back so that any process opening the broadcast finds it.
 */
const MARK_LOST = `
local function markLost(record, numbers, generation, startedAt, now, ttl, epoch)
  if tonumber(redis.call('HGET', record, 'generation') or '0') <= generation then
    redis.call('HSET', record, 'generation', generation, 'startedAt', startedAt, 'epoch', epoch)
  end
  redis.call('HSET', numbers, '#open', startedAt, '#lost', now)
  redis.call('EXPIRE', record, ttl)
  redis.call('EXPIRE', numbers, ttl)
end
`;

/**
 * KEYS[1] the generation record of a broadcast ID, KEYS[2] generation 1's numbers hash (later
 * generations add '#<n>'), KEYS[3] the epoch. ARGV: (unused: the window is measured on Redis's
 * clock, TIME, the one clock all workers share), windowMs ('inf' for none), sendAgain
 * ('1'), ttlSeconds, a new epoch, then what this process saw when it last opened the ID: epoch
 * ('' for never), generation, startedAt, then how long a Send Again joins the one before.
 * Opens a new generation when there is none, when asked to, or when the current one started more
 * than windowMs ago, and marks its hash open ('#open', a field no phone number can be).
 * Resuming a generation whose hash lost its '#open' mark, whose record is from another epoch, or
 * that this process saw under another epoch, finds the journal lost: the hash is marked '#lost'.
 * Returns {generation, startedAt, resumed, lost, epoch}.
 */
const OPEN_SCRIPT = `${NUMBERS_OF}${EPOCH}${MARK_LOST}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local epoch = currentEpoch(ARGV[5])
local generation = tonumber(redis.call('HGET', KEYS[1], 'generation') or '0')
local startedAt = tonumber(redis.call('HGET', KEYS[1], 'startedAt') or '0')
local lost = 0
if generation > 0 then
  local recordEpoch = redis.call('HGET', KEYS[1], 'epoch')
  if (recordEpoch and recordEpoch ~= epoch) or redis.call('HEXISTS', numbersOf(KEYS[2], generation), '#open') == 0 then lost = 1 end
elseif ARGV[6] ~= '' and ARGV[6] ~= epoch then
  generation = tonumber(ARGV[7])
  startedAt = tonumber(ARGV[8])
  lost = 1
end
local resumed = 1
-- A Send Again soon after the one that opened this generation joins it (a double click).
local joins = ARGV[3] == '1' and redis.call('HGET', KEYS[1], 'again') == '1' and now - startedAt < tonumber(ARGV[9])
if generation == 0 or (ARGV[3] == '1' and not joins) or (ARGV[2] ~= 'inf' and now - startedAt > tonumber(ARGV[2])) then
  generation = generation + 1
  startedAt = now
  resumed = 0
  lost = 0
  redis.call('HSET', KEYS[1], 'generation', generation, 'startedAt', startedAt, 'epoch', epoch, 'again', ARGV[3])
end
local numbers = numbersOf(KEYS[2], generation)
if lost == 1 then markLost(KEYS[1], numbers, generation, startedAt, now, ARGV[4], epoch) end
if redis.call('HEXISTS', numbers, '#open') == 0 then redis.call('HSET', numbers, '#open', startedAt) end
if redis.call('HEXISTS', numbers, '#lost') == 1 then lost = 1 end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', numbers, ARGV[4])
return {generation, startedAt, resumed, lost, epoch}
`;

const LOST_REPLY = "JOURNAL_LOST this broadcast\\'s journal is gone from Redis (restarted without persistence? evicted?)";

/**
 * KEYS[1] the numbers hash, KEYS[2] the generation record, KEYS[3] the epoch. ARGV: run,
 * nTakeOver, ttlSeconds, generation, startedAt, now, a new epoch, then the numbers (the first
 * nTakeOver may take over 'sending'/'uncertain'). Returns 1/0 per number. A hash without its
 * '#open' mark was lost (a Redis restarted without persistence, an eviction): sending on would
 * resend to everyone, so it marks the journal lost and refuses. In a lost journal a number
 * without a state is uncertain: claimed only when taken over on purpose.
 */
const CLAIM_SCRIPT = `${EPOCH}${MARK_LOST}
if redis.call('HEXISTS', KEYS[1], '#open') == 0 then
  markLost(KEYS[2], KEYS[1], tonumber(ARGV[4]), ARGV[5], ARGV[6], ARGV[3], currentEpoch(ARGV[7]))
  return redis.error_reply('${LOST_REPLY}')
end
local lost = redis.call('HEXISTS', KEYS[1], '#lost') == 1
local mine = 's:' .. ARGV[1]
local takeOver = tonumber(ARGV[2])
local out = {}
for i = 8, #ARGV do
  local value = redis.call('HGET', KEYS[1], ARGV[i])
  local taking = i - 7 <= takeOver
  if ((not value) and (taking or not lost)) or value == mine or (taking and value ~= 'a') then
    if value ~= mine then redis.call('HSET', KEYS[1], ARGV[i], mine) end
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return out
`;

/**
 * KEYS as for the claim. ARGV: run, nAccepted, nUncertain, ttlSeconds, generation, startedAt, now,
 * a new epoch, then accepted, uncertain, released numbers. A hash that lost its '#open' mark is
 * marked lost and refused, as for the claim: the run must end JOURNAL_LOST, not "done".
 */
const SETTLE_SCRIPT = `${EPOCH}${MARK_LOST}
if redis.call('HEXISTS', KEYS[1], '#open') == 0 then
  markLost(KEYS[2], KEYS[1], tonumber(ARGV[5]), ARGV[6], ARGV[7], ARGV[4], currentEpoch(ARGV[8]))
  return redis.error_reply('${LOST_REPLY}')
end
local mine = 's:' .. ARGV[1]
local accepted = tonumber(ARGV[2])
local uncertain = tonumber(ARGV[3])
local first = 9
for i = first, first + accepted - 1 do redis.call('HSET', KEYS[1], ARGV[i], 'a') end
for i = first + accepted, first + accepted + uncertain - 1 do
  if redis.call('HGET', KEYS[1], ARGV[i]) ~= 'a' then redis.call('HSET', KEYS[1], ARGV[i], 'u') end
end
for i = first + accepted + uncertain, #ARGV do
  if redis.call('HGET', KEYS[1], ARGV[i]) == mine then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 1
`;

/**
 * What this process saw when it opened a broadcast (by Redis endpoint and record key): after a
 * Redis that lost everything, the journal cannot tell a new broadcast from a lost one, but this
 * process can. Bounded, least recently opened forgotten first.
 */
const seenBroadcasts = new Map<string, { epoch: string; generation: number; startedAt: number }>();
const SEEN_LIMIT = 10_000;

/** The commands defineCommand adds to the connection (ioredis cannot type them itself). */
interface JournalCommands {
  smsGatewayJournalOpen(
    recordKey: string,
    numbersKey: string,
    epochKey: string,
    ...args: Array<string | number>
  ): Promise<[number, number, number, number, string]>;
  smsGatewayJournalClaim(numbersKey: string, recordKey: string, epochKey: string, ...args: Array<string | number>): Promise<number[]>;
  smsGatewayJournalSettle(numbersKey: string, recordKey: string, epochKey: string, ...args: Array<string | number>): Promise<number>;
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
      redis.defineCommand('smsGatewayJournalOpen', { lua: OPEN_SCRIPT, numberOfKeys: 3 });
      redis.defineCommand('smsGatewayJournalClaim', { lua: CLAIM_SCRIPT, numberOfKeys: 3 });
      redis.defineCommand('smsGatewayJournalSettle', { lua: SETTLE_SCRIPT, numberOfKeys: 3 });
    }
    this.redis = redis as Redis & JournalCommands;
    const o2 = redis.options ?? {};
    this.endpoint = `${o2.host ?? ''}:${o2.port ?? ''}/${o2.db ?? 0}/${o2.keyPrefix ?? ''}`;
  }

  /** Host, port, database and key prefix: whose epoch `seenBroadcasts` remembers. */
  private readonly endpoint: string;
  /** The generations this journal opened, by their numbers key: what claims and settles need to mark one lost. */
  private readonly opened = new Map<string, { record: string; generation: number; startedAt: number }>();

  /** Keys and arguments a claim or settle of generation `id` needs to mark it lost. */
  private lostContext(id: string): { record: string; args: Array<string | number> } {
    const now = Date.now();
    // Not opened by this journal (a caller that skipped open): a lost hash is still refused.
    const g = this.opened.get(id) ?? { record: this.key(`${id}#run`), generation: 1, startedAt: now };
    return { record: g.record, args: [g.generation, g.startedAt, now, randomUUID()] };
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
    const record = this.key(`${baseId}#run`);
    const seenKey = `${this.endpoint}|${record}`;
    const seen = seenBroadcasts.get(seenKey);
    const [generation, startedAt, resumed, lost, epoch] = await this.withRetry(() =>
      this.redis.smsGatewayJournalOpen(
        record,
        this.key(baseId),
        this.key('#epoch'),
        options.now ?? Date.now(),
        window,
        options.sendAgain ? '1' : '0',
        this.ttlSeconds,
        randomUUID(),
        seen?.epoch ?? '',
        seen?.generation ?? 0,
        seen?.startedAt ?? 0,
        SEND_AGAIN_JOIN_MS,
      ),
    );
    seenBroadcasts.delete(seenKey);
    seenBroadcasts.set(seenKey, { epoch, generation, startedAt });
    if (seenBroadcasts.size > SEEN_LIMIT) seenBroadcasts.delete(seenBroadcasts.keys().next().value as string);
    const broadcastId = generationKey(baseId, generation);
    this.opened.set(broadcastId, { record, generation, startedAt });
    return { broadcastId, generation, startedAt, resumed: resumed === 1, ...(lost === 1 ? { lost: true } : {}) };
  }

  async states(id: string, numbers: string[]): Promise<Array<JournalState | undefined>> {
    const out: Array<JournalState | undefined> = [];
    for (let i = 0; i < numbers.length; i += 1000) {
      const [lost, ...values] = await this.withRetry(() => this.redis.hmget(this.key(id), '#lost', ...numbers.slice(i, i + 1000)));
      // In a lost journal a number without a state may have been sent: uncertain.
      for (const v of values) out.push(stateOf(v) ?? (lost ? 'uncertain' : undefined));
    }
    return out;
  }

  async claim(id: string, run: string, numbers: string[], takeOver?: ReadonlySet<string>): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const taking = takeOver?.size ? numbers.filter((n) => takeOver.has(n)) : [];
    const ordered = taking.length ? [...taking, ...numbers.filter((n) => !takeOver!.has(n))] : numbers;
    const lost = this.lostContext(id);
    const replies = await this.withRetry(() =>
      this.redis.smsGatewayJournalClaim(this.key(id), lost.record, this.key('#epoch'), run, taking.length, this.ttlSeconds, ...lost.args, ...ordered),
    );
    const claimed = new Set<string>();
    ordered.forEach((n, i) => {
      if (replies[i] === 1) claimed.add(n);
    });
    return claimed;
  }

  async settle(id: string, run: string, outcomes: JournalOutcomes): Promise<void> {
    const { accepted, uncertain, released } = outcomes;
    if (accepted.length + uncertain.length + released.length === 0) return;
    const lost = this.lostContext(id);
    await this.withRetry(() =>
      this.redis.smsGatewayJournalSettle(
        this.key(id),
        lost.record,
        this.key('#epoch'),
        run,
        accepted.length,
        uncertain.length,
        this.ttlSeconds,
        ...lost.args,
        ...accepted,
        ...uncertain,
        ...released,
      ),
    );
  }
}
