/**
 * Redis OTP store (ioredis 5), required in n8n queue mode so that Issue and Verify running in
 * different workers share state. Records are hashes that expire with the verification
 * (PEXPIRE); every racing change runs as one Lua script (see redis-scripts.ts).
 * All keys of one store share `keyPrefix`; scripts touch several keys at once, so a Redis
 * Cluster would need them in one hash slot: put a hash tag in the prefix (e.g. 'otp:{gw}:').
 */
import type { Redis } from 'ioredis';
import { CODE_SCHEME_HOTP } from './code-crypto';
import { CANCEL_SCRIPT, CHECK_SCRIPT, REFUND_SCRIPT, SEND_SCRIPT } from './redis-scripts';
import type { CancelOutcome, CheckCommit, CheckCommitOutcome, CheckOutcome, OtpStore, RefundOutcome, SendCommit, SendCommitOutcome, SendRefund } from './store';
import { SEND_REFUSAL_CODES } from './types';
import type { SendRefusalCode, VerificationRecord, VerificationStatus } from './types';

export interface RedisOtpStoreOptions {
  /** Prepended to every key this store writes. Default 'sms-gateway:otp:'. */
  keyPrefix?: string;
}

type ScriptArg = string | number;
type ScriptReply = Array<string | number>;

/** The commands defineCommand adds to the connection (ioredis cannot type them itself). */
interface OtpScriptCommands {
  smsGatewayOtpSend(numberOfKeys: number, ...args: ScriptArg[]): Promise<ScriptReply>;
  smsGatewayOtpCheck(...args: ScriptArg[]): Promise<ScriptReply>;
  smsGatewayOtpCancel(...args: ScriptArg[]): Promise<ScriptReply>;
  smsGatewayOtpRefund(numberOfKeys: number, ...args: ScriptArg[]): Promise<ScriptReply>;
}

const NUMERIC_FIELDS = [
  'counter',
  'codeLength',
  'codeScheme',
  'attempts',
  'maxAttempts',
  'sendCount',
  'maxSends',
  'createdAt',
  'lastSentAt',
  'expiresAt',
  'retainUntil',
  'rev',
] as const;

export class RedisOtpStore implements OtpStore {
  private readonly redis: Redis & OtpScriptCommands;
  private readonly prefix: string;

  constructor(redis: Redis, options: RedisOtpStoreOptions = {}) {
    redis.defineCommand('smsGatewayOtpSend', { lua: SEND_SCRIPT });
    redis.defineCommand('smsGatewayOtpCheck', { lua: CHECK_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('smsGatewayOtpCancel', { lua: CANCEL_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('smsGatewayOtpRefund', { lua: REFUND_SCRIPT });
    this.redis = redis as Redis & OtpScriptCommands;
    this.prefix = options.keyPrefix ?? 'sms-gateway:otp:';
  }

  async clock(): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  async read(key: string, now: number): Promise<VerificationRecord | null> {
    const fields = await this.redis.hgetall(this.prefix + key);
    if (!fields.sid) return null;
    const record = decodeRecord(fields);
    return now >= record.retainUntil ? null : record;
  }

  async commitSend(commit: SendCommit): Promise<SendCommitOutcome> {
    const { record, rateLimits, now } = commit;
    const keys = [this.prefix + commit.key, this.statsKey(), ...rateLimits.map((l) => this.prefix + l.counterKey)];
    const args: ScriptArg[] = [commit.expect?.sid ?? '', commit.expect?.rev ?? 0, now, rateLimits.length];
    for (const limit of rateLimits) args.push(limit.limit, limit.windowEndsAt, limit.refusal);
    args.push(Math.max(1, record.retainUntil - now), ...encodeRecord(record));
    const reply = await this.redis.smsGatewayOtpSend(keys.length, ...keys, ...args);
    if (reply[0] === 'committed') return { kind: 'committed' };
    if (reply[0] === 'refused') {
      return { kind: 'refused', refusal: String(reply[1]) as SendRefusalCode, retryAfterMs: Number(reply[2]) };
    }
    return { kind: 'conflict' };
  }

  async commitCheck(commit: CheckCommit): Promise<CheckCommitOutcome> {
    const reply = await this.redis.smsGatewayOtpCheck(this.prefix + commit.key, commit.sid, commit.counter, commit.matched ? '1' : '0', commit.now);
    if (reply[0] === 'conflict') return { kind: 'conflict' };
    return {
      kind: 'checked',
      outcome: String(reply[0]) as CheckOutcome,
      status: String(reply[1]) as VerificationStatus,
      attempts: Number(reply[2]),
    };
  }

  async refundSend(refund: SendRefund): Promise<RefundOutcome> {
    const keys = [this.prefix + refund.key, ...refund.counterKeys.map((key) => this.prefix + key)];
    const { previous } = refund;
    const restore: ScriptArg[] = previous === null ? ['0'] : ['1', previous.sendCount, previous.lastSentAt, previous.counter, previous.codeHash];
    const reply = await this.redis.smsGatewayOtpRefund(keys.length, ...keys, refund.sid, refund.sendCount, refund.lastSentAt, refund.now, ...restore);
    return { refunded: reply[0] === '1', status: String(reply[1]) as RefundOutcome['status'] };
  }

  async cancel(key: string, now: number): Promise<CancelOutcome> {
    const reply = await this.redis.smsGatewayOtpCancel(this.prefix + key, now);
    return { canceled: reply[0] === '1', status: String(reply[1]) as CancelOutcome['status'] };
  }

  async countRefusal(refusal: SendRefusalCode): Promise<void> {
    await this.redis.hincrby(this.statsKey(), refusal, 1);
  }

  async refusalStats(): Promise<Record<SendRefusalCode, number>> {
    const stored = await this.redis.hgetall(this.statsKey());
    const stats = {} as Record<SendRefusalCode, number>;
    for (const code of SEND_REFUSAL_CODES) stats[code] = Number(stored[code] ?? 0);
    return stats;
  }

  private statsKey(): string {
    return `${this.prefix}stats`;
  }
}

export function createRedisOtpStore(redis: Redis, options?: RedisOtpStoreOptions): RedisOtpStore {
  return new RedisOtpStore(redis, options);
}

function encodeRecord(record: VerificationRecord): string[] {
  const pairs: string[] = ['sid', record.sid, 'nonce', record.nonce, 'status', record.status, 'codeHash', record.codeHash];
  for (const field of NUMERIC_FIELDS) pairs.push(field, String(record[field]));
  return pairs;
}

function decodeRecord(fields: Record<string, string>): VerificationRecord {
  const record = {
    sid: fields.sid,
    nonce: fields.nonce,
    status: fields.status as VerificationStatus,
    codeHash: fields.codeHash,
  } as VerificationRecord;
  for (const field of NUMERIC_FIELDS) record[field] = Number(fields[field]);
  // Records written before codes had a scheme were HOTP.
  if (fields.codeScheme === undefined) record.codeScheme = CODE_SCHEME_HOTP;
  return record;
}
