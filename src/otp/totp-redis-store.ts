/**
 * Authenticator store in Redis (ioredis 5), for n8n queue mode: one hash per user under
 * `<keyPrefix>totp:<user key>` with the sealed secret, the last accepted step and the wrong
 * codes of the current period. The check runs as one Lua script, mirroring MemoryTotpStore;
 * times come from the caller's clock so injected clocks work against a real Redis.
 */
import type { Redis } from 'ioredis';
import type { TotpCheckCommit, TotpCheckCommitted, TotpCheckOutcome, TotpStore, TotpUserState } from './totp-store';

/**
 * KEYS[1] user hash. ARGV: now, maxFailures, periodMs, matchedStep ('' = wrong code),
 * rejectReplay ('1'|'0'), enrolled ('1'|'0'), forgetAfterMs.
 * Returns {outcome, failures, periodLeftMs}.
 */
const CHECK_SCRIPT = `
local now = tonumber(ARGV[1])
local r = redis.call('HMGET', KEYS[1], 'sealed', 'lastStep', 'fails', 'failsUntil')
if ARGV[6] == '1' and not r[1] then return {'not_enrolled', 0, 0} end
local lastStep = tonumber(r[2] or '-1')
local fails = tonumber(r[3] or '0')
local untilMs = tonumber(r[4] or '0')
if untilMs <= now then fails = 0; untilMs = 0 end
if fails >= tonumber(ARGV[2]) then return {'too_many_attempts', fails, untilMs - now} end
local outcome = 'invalid_code'
if ARGV[4] ~= '' then
  local step = tonumber(ARGV[4])
  if ARGV[5] == '1' and step <= lastStep then
    outcome = 'already_used'
  else
    outcome = 'approved'
    if step > lastStep then redis.call('HSET', KEYS[1], 'lastStep', step) end
  end
end
if outcome ~= 'approved' then
  if fails == 0 then untilMs = now + tonumber(ARGV[3]) end
  fails = fails + 1
  redis.call('HSET', KEYS[1], 'fails', fails, 'failsUntil', untilMs)
end
if ARGV[6] == '0' then redis.call('PEXPIRE', KEYS[1], ARGV[7]) end
if fails == 0 then return {outcome, 0, 0} end
return {outcome, fails, untilMs - now}
`;

/** KEYS[1] user hash. ARGV: sealed secret. A new secret starts over on steps, keeps counted failures, never expires. */
const ENROL_SCRIPT = `
redis.call('HSET', KEYS[1], 'sealed', ARGV[1], 'lastStep', -1)
redis.call('PERSIST', KEYS[1])
return 1
`;

interface TotpScriptCommands {
  smsGatewayTotpCheck(key: string, ...args: Array<string | number>): Promise<Array<string | number>>;
  smsGatewayTotpEnrol(key: string, sealed: string): Promise<number>;
}

export interface RedisTotpStoreOptions {
  /** Prepended to every key; the store adds 'totp:'. Default 'sms-gateway:otp:'. */
  keyPrefix?: string;
}

export class RedisTotpStore implements TotpStore {
  private readonly redis: Redis & TotpScriptCommands;
  private readonly prefix: string;

  constructor(redis: Redis, options: RedisTotpStoreOptions = {}) {
    redis.defineCommand('smsGatewayTotpCheck', { lua: CHECK_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('smsGatewayTotpEnrol', { lua: ENROL_SCRIPT, numberOfKeys: 1 });
    this.redis = redis as Redis & TotpScriptCommands;
    this.prefix = `${options.keyPrefix ?? 'sms-gateway:otp:'}totp:`;
  }

  async read(userKey: string): Promise<TotpUserState | null> {
    const fields = await this.redis.hgetall(this.prefix + userKey);
    if (Object.keys(fields).length === 0) return null;
    return {
      sealedSecret: fields.sealed,
      lastStep: Number(fields.lastStep ?? -1),
      failures: Number(fields.fails ?? 0),
      failuresUntil: Number(fields.failsUntil ?? 0),
    };
  }

  async enrol(userKey: string, sealedSecret: string): Promise<void> {
    await this.redis.smsGatewayTotpEnrol(this.prefix + userKey, sealedSecret);
  }

  async remove(userKey: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + userKey)) > 0;
  }

  async commitCheck(check: TotpCheckCommit): Promise<TotpCheckCommitted> {
    const reply = await this.redis.smsGatewayTotpCheck(
      this.prefix + check.userKey,
      check.now,
      check.maxFailures,
      check.periodMs,
      check.matchedStep === null ? '' : check.matchedStep,
      check.rejectReplay ? '1' : '0',
      check.enrolled ? '1' : '0',
      Math.max(1, Math.ceil(check.forgetAfterMs)),
    );
    return { outcome: String(reply[0]) as TotpCheckOutcome, failures: Number(reply[1]), periodLeftMs: Number(reply[2]) };
  }
}

export function createRedisTotpStore(redis: Redis, options?: RedisTotpStoreOptions): RedisTotpStore {
  return new RedisTotpStore(redis, options);
}
