/**
 * Authenticator store in Redis (ioredis 5), for n8n queue mode: one hash per user under
 * `<keyPrefix>totp:<user key>` (see totp-redis-scripts.ts). Every read and write is one Lua
 * script that decides on Redis's clock, mirroring MemoryTotpStore.
 *
 * Without persistence (RDB snapshots only, or none) a Redis restart forgets what changed since
 * the last snapshot: wrong codes counted and the last accepted step, so a user could be given
 * up to the limit again and a code accepted just before the restart could be used once more
 * within its ±window (about a minute). Use `appendonly yes` to keep both.
 */
import type { Redis } from 'ioredis';
import { TOTP_CHECK_SCRIPT, TOTP_ENROL_SCRIPT, TOTP_READ_SCRIPT, TOTP_REMOVE_SCRIPT } from './totp-redis-scripts';
import { MAX_FAILURE_LOG, MAX_FAILURE_PERIOD_MS } from './totp-store';
import type {
  TotpCheckCommit,
  TotpCheckCommitted,
  TotpCheckOutcome,
  TotpEnrolCommit,
  TotpEnrolOutcome,
  TotpRead,
  TotpStore,
  TotpUserState,
} from './totp-store';

type Reply = Array<string | number>;

interface TotpScriptCommands {
  smsGatewayTotpRead(key: string, testNow: string): Promise<string[]>;
  smsGatewayTotpEnrol(key: string, ...args: string[]): Promise<Reply>;
  smsGatewayTotpRemove(key: string, ...args: string[]): Promise<number>;
  smsGatewayTotpCheck(key: string, ...args: string[]): Promise<Reply>;
}

export interface RedisTotpStoreOptions {
  /** Prepended to every key; the store adds 'totp:'. Default 'sms-gateway:otp:'. */
  keyPrefix?: string;
  /**
   * Tests only: a clock (ms) the scripts decide on instead of Redis's TIME, so tests can move
   * time; returning undefined means TIME. Never set in production: processes' clocks differ.
   */
  testClock?: () => number | undefined;
}

export class RedisTotpStore implements TotpStore {
  private readonly redis: Redis & TotpScriptCommands;
  private readonly prefix: string;
  private readonly testClock: () => number | undefined;

  constructor(redis: Redis, options: RedisTotpStoreOptions = {}) {
    redis.defineCommand('smsGatewayTotpRead', { lua: TOTP_READ_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('smsGatewayTotpEnrol', { lua: TOTP_ENROL_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('smsGatewayTotpRemove', { lua: TOTP_REMOVE_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('smsGatewayTotpCheck', { lua: TOTP_CHECK_SCRIPT, numberOfKeys: 1 });
    this.redis = redis as Redis & TotpScriptCommands;
    this.prefix = `${options.keyPrefix ?? 'sms-gateway:otp:'}totp:`;
    this.testClock = options.testClock ?? (() => undefined);
  }

  async read(userKey: string): Promise<TotpRead> {
    const [now, sealed, pending, pendingUntil, lastStep, failLog] = await this.redis.smsGatewayTotpRead(this.prefix + userKey, this.clockArg());
    const at = Number(now);
    if (!sealed && !pending && lastStep === '' && failLog === '') return { state: null, now: at };
    const state: TotpUserState = { lastStep: lastStep === '' ? -1 : Number(lastStep), failureTimes: parseLog(failLog) };
    if (sealed) state.sealedSecret = sealed;
    if (pending) Object.assign(state, { pendingSecret: pending, pendingUntil: Number(pendingUntil) });
    return { state, now: at };
  }

  async enrol(commit: TotpEnrolCommit): Promise<TotpEnrolOutcome> {
    const reply = await this.redis.smsGatewayTotpEnrol(
      this.prefix + commit.userKey,
      this.clockArg(),
      commit.sealedSecret,
      ms(commit.pendingMs),
      commit.replace ? '1' : '0',
    );
    if (reply[0] === 'already_enrolled') return { outcome: 'already_enrolled' };
    return { outcome: 'pending', pendingUntil: Number(reply[1]), replacing: reply[2] === '1' };
  }

  async remove(userKey: string): Promise<boolean> {
    return (await this.redis.smsGatewayTotpRemove(this.prefix + userKey, this.clockArg(), ms(MAX_FAILURE_PERIOD_MS))) === 1;
  }

  async commitCheck(check: TotpCheckCommit): Promise<TotpCheckCommitted> {
    const reply = await this.redis.smsGatewayTotpCheck(
      this.prefix + check.userKey,
      this.clockArg(),
      String(check.maxFailures),
      ms(check.periodMs),
      check.matchedStep === null ? '' : String(check.matchedStep),
      check.matchedSlot ?? '',
      check.rejectReplay ? '1' : '0',
      check.expect ? 'user' : 'secret',
      check.expect?.active ?? '',
      check.expect?.pending ?? '',
      ms(check.forgetAfterMs),
      String(MAX_FAILURE_LOG),
    );
    return { outcome: String(reply[0]) as TotpCheckOutcome, failures: Number(reply[1]), retryAfterMs: Number(reply[2]) };
  }

  private clockArg(): string {
    const now = this.testClock();
    return now === undefined ? '' : String(Math.floor(now));
  }
}

function ms(value: number): string {
  return String(Math.max(1, Math.ceil(value)));
}

function parseLog(log: string): number[] {
  return log === '' ? [] : log.split(',').map(Number);
}

export function createRedisTotpStore(redis: Redis, options?: RedisTotpStoreOptions): RedisTotpStore {
  return new RedisTotpStore(redis, options);
}
