import type { SendThrottle } from '../transport/smpp/types';
import { describeRedisProblem, NOT_CONNECTED } from '../redis/redis-clients';
import { MAX_TOKEN_LIFETIME_MS, RedisWindowLog } from './redis-window-log';
import type { RedisWindowLogOptions } from './redis-window-log';
import { SlidingWindowLog, windowLogPolicy } from './sliding-window-log';

/** A shared budget's Redis, and where the user sets it (for the message when it cannot be reached). */
export interface ThrottleRedis extends RedisWindowLogOptions {
  /** e.g. "Host and Port of the SMS Gateway Redis credential". */
  source?: string;
}

export interface TpsThrottleOptions {
  /** Messages per second; the cap holds in every sliding one-second window at the SMSC. */
  tps: number;
  /** Names the budget: every process with the same key (and Redis) shares it. Never put a secret in it. */
  key: string;
  /** Redis for a budget shared across n8n processes (queue mode); one process's own when absent. */
  redis?: ThrottleRedis;
  /** Slack for send-to-arrival jitter, added to the counting window (default 25 ms). */
  guardMs?: number;
  /**
   * Shared budget: tokens must be written within this long of asking Redis for them, else they
   * are dropped (default 15 ms; raised up to 500 ms while Redis answers slower, see request()).
   */
  tokenLifetimeMs?: number;
  /** Shared budget: once Redis has been unreachable this long, waiting messages fail with the reason (default 30 s). */
  unavailableAfterMs?: number;
  /**
   * Told of every grant: `at` on the log's clock (Redis's TIME when shared, else this process's
   * performance.now()). Grants are what the cap is kept on: tests and audits check them there.
   */
  onGrant?: (grant: { at: number; count: number; lifetimeMs: number; late?: boolean }) => void;
}

/** A write this much after its tokens' end is late: charged to the log at its real time. */
const LATE_AFTER_MS = 5;

/**
 * Per-credential TPS limit: the transport asks it before writing each submit_sm (retries too).
 *
 * One process: the sliding-window log decides per submit, exactly. Shared through Redis: tokens
 * come in small batches from the log in Redis, and a batch is valid only a short lifetime from
 * the moment it was asked for (15 ms, or 1.5 x Redis's recent answer time when that is longer, up
 * to 500 ms); what is not written by then is dropped, never spent later (held tokens spent after
 * an idle period are how the old limiter overshot). Redis logs each grant with the end of its
 * lifetime, and counts over a second plus `guardMs` from those ends, so however the grants fall,
 * no sliding second holds more than the cap. A batch the OS let this process write only after
 * its end (measured after the write) is charged to the log at its real time (`lateWrites`).
 * While Redis cannot be reached, or answers later than the longest lifetime, nobody gets usable
 * tokens, so nobody sends; after `unavailableAfterMs` the transport fails what waits, with the
 * reason.
 */
export class TpsThrottle implements SendThrottle {
  private readonly local: SlidingWindowLog | null;
  private readonly shared: RedisWindowLog | null;
  private readonly tokenLifetimeMs: number;
  private readonly unavailableAfterMs: number;
  /** Redis's recent answer time (a decaying maximum), which sets the next tokens' lifetime. */
  private answerMs = 0;
  /** Since when every batch Redis granted arrived after its lifetime ended (Redis too slow). */
  private slowSince: number | null = null;
  /** The earliest end of the tokens taken and not yet reported written. */
  private unwrittenEnd: number | null = null;
  private tokens = 0;
  private tokensExpireAt = 0;
  private demand: (() => number) | undefined;
  private requesting = false;
  private timer: NodeJS.Timeout | null = null;
  private retryAt = 0;
  private waiters: Array<() => void> = [];
  private closed = false;
  private unreachableSince: number | null = null;
  private lastError: Error | undefined;
  /** Tokens dropped unused because their lifetime ran out (shared budgets). */
  expiredTokens = 0;
  /** Submits written more than 5 ms after their tokens' end, charged to the log when written. */
  lateWrites = 0;

  constructor(private readonly options: TpsThrottleOptions) {
    if (!(options.tps > 0) || !Number.isFinite(options.tps)) throw new RangeError(`TPS limit must be a positive number (got ${options.tps})`);
    this.tokenLifetimeMs = options.redis ? (options.tokenLifetimeMs ?? 15) : 0;
    this.unavailableAfterMs = options.unavailableAfterMs ?? 30_000;
    const policy = windowLogPolicy(options.tps, 1000 + (options.guardMs ?? 25));
    this.local = options.redis ? null : new SlidingWindowLog(policy);
    this.shared = options.redis
      ? new RedisWindowLog(policy, options.key, options.redis, (err) => {
          this.lastError = err;
        })
      : null;
  }

  /**
   * Resolves once the budget can be used: at once for a local one; for a shared one when Redis
   * answers, else rejects after `timeoutMs` with an error naming the Redis settings.
   */
  async ready(timeoutMs = 3000): Promise<void> {
    const shared = this.shared;
    if (!shared || shared.connected) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.unreachableError()), timeoutMs);
    });
    try {
      await Promise.race([shared.connect(), timeout]);
    } catch (err) {
      this.lastError ??= err as Error;
      throw this.unreachableError();
    } finally {
      clearTimeout(timer);
    }
  }

  tryTake(): boolean {
    const now = performance.now();
    if (this.local) {
      const answer = this.local.take(now, 1);
      if (answer.granted > 0) {
        this.options.onGrant?.({ at: now, count: 1, lifetimeMs: 0 });
        this.unwrittenEnd ??= now;
        return true;
      }
      this.retryAt = now + answer.retryInMs;
      return false;
    }
    if (this.tokens > 0 && now > this.tokensExpireAt) {
      this.expiredTokens += this.tokens;
      this.tokens = 0;
    }
    if (this.tokens === 0) return false;
    this.tokens--;
    this.unwrittenEnd ??= this.tokensExpireAt;
    return true;
  }

  /** Takes over the grants `other` (a local budget replaced by new settings) made: they still count. */
  inherit(other: TpsThrottle): void {
    if (this.local && other.local) this.local.inherit(other.local);
  }

  /**
   * The transport wrote the submits of the last `count` tokens taken. Written later than their
   * tokens' end (the OS ran something else between the take and the write): they are charged to
   * the log now, so grants after them wait as if they had been granted now.
   */
  written(count: number): void {
    const end = this.unwrittenEnd;
    this.unwrittenEnd = null;
    const now = performance.now();
    if (end === null || now - end <= LATE_AFTER_MS || count <= 0) return;
    this.lateWrites += count;
    if (this.local) {
      this.local.charge(now, count);
      this.options.onGrant?.({ at: now, count, lifetimeMs: 0, late: true });
      return;
    }
    // Redis unreachable: nobody is granted anything meanwhile, so there is nothing to charge against.
    this.shared?.charge(count).then(
      (at) => this.options.onGrant?.({ at, count, lifetimeMs: 0, late: true }),
      () => undefined,
    );
  }

  onAvailable(callback: () => void, demand?: () => number): void {
    this.waiters.push(callback);
    if (this.local) {
      this.wakeAt(this.retryAt);
      return;
    }
    this.demand = demand;
    // Asked after the current turn: submits queued in the same turn are in the demand too.
    queueMicrotask(() => this.request());
  }

  /** Set once Redis has been unreachable for longer than `unavailableAfterMs`: what waits should fail with it. */
  unavailable(): Error | null {
    const now = performance.now();
    if (this.slowSince !== null && now - this.slowSince >= this.unavailableAfterMs) return this.slowError();
    if (this.unreachableSince === null || now - this.unreachableSince < this.unavailableAfterMs) return null;
    return this.unreachableError();
  }

  private slowError(): Error {
    const redis = this.options.redis;
    return new Error(
      `Redis at ${redis?.host}:${redis?.port} answers the shared TPS limit too slowly: its last answer took ${Math.round(this.answerMs)} ms, and a token may be held at most ${MAX_TOKEN_LIFETIME_MS} ms (check Redis's load and the network to it)`,
    );
  }

  /** How long the next tokens may be held: 1.5 x Redis's recent answer time, within [tokenLifetimeMs, 500 ms]. */
  private lifetimeMs(): number {
    return Math.min(MAX_TOKEN_LIFETIME_MS, Math.max(this.tokenLifetimeMs, Math.ceil(this.answerMs * 1.5)));
  }

  private unreachableError(): Error {
    const redis = this.options.redis;
    const where = redis?.source ?? 'Redis Host and Redis Port in the SMPP credential';
    return new Error(`Cannot reach Redis at ${redis?.host}:${redis?.port} for the shared TPS limit (check ${where}): ${describeRedisProblem(this.lastError)}`);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private wakeAt(at: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.wake();
      },
      Math.max(1, Math.ceil(at - performance.now())),
    );
  }

  /**
   * Asks Redis for tokens (one request at a time) while someone waits for them; while Redis is
   * unreachable it keeps asking (for none) even when nobody waits, so that it notices Redis is
   * back before the next message is failed for nothing.
   */
  private request(): void {
    const shared = this.shared;
    if (!shared || this.requesting || this.timer || this.closed) return;
    const probing = this.waiters.length === 0;
    if (probing && this.unreachableSince === null) return;
    this.requesting = true;
    const askedAt = performance.now();
    const wanted = probing ? 0 : Math.max(1, this.demand?.() ?? 1);
    const lifetimeMs = this.lifetimeMs();
    shared.take(wanted, lifetimeMs).then(
      (answer) => {
        this.requesting = false;
        this.unreachableSince = null;
        const answeredAt = performance.now();
        this.answerMs = Math.max(answeredAt - askedAt, this.answerMs * 0.9);
        if (answer.granted > 0) {
          // Valid from when we asked (Redis granted them after that), whatever the answer's delay.
          this.tokens = answer.granted;
          this.tokensExpireAt = askedAt + lifetimeMs;
          this.options.onGrant?.({ at: answer.at ?? Number.NaN, count: answer.granted, lifetimeMs });
          if (answeredAt <= this.tokensExpireAt) this.slowSince = null;
          else this.slowSince ??= askedAt;
          this.wake();
          return;
        }
        // A few ms early: timers fire late, and a slot taken late is throughput lost for good.
        if (this.waiters.length > 0) this.retryLater(answer.retryInMs - 3);
      },
      (err: Error) => {
        this.requesting = false;
        // "Not connected" says less than the connection error ioredis reported before it.
        if (!this.lastError || !NOT_CONNECTED.test(err.message)) this.lastError = err;
        this.unreachableSince ??= askedAt;
        // Past the deadline the transport fails what waits (it asks unavailable()).
        if (this.unavailable()) this.wake();
        this.retryLater(100);
      },
    );
  }

  private retryLater(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.request();
      },
      Math.max(1, Math.ceil(delayMs)),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.shared?.close();
  }
}
