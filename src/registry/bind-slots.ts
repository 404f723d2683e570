import { randomBytes } from 'crypto';
import { hostname } from 'os';
import type Redis from 'ioredis';
import type { BindSlot, BindSlots } from '../transport/smpp/bind-pool';

/** Renews the lease only while this process still holds it. */
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface RedisBindSlotsOptions {
  /**
   * Key prefix naming the account (never the password): slot i is `${key}:${i}`. A function is
   * asked again at each take (the account's name comes from DNS, which changes and fails); when
   * it throws, take throws and no slot is taken.
   */
  key: string | (() => Promise<string>);
  /** Binds allowed for the account across every n8n process. */
  cap: number;
  /** A lease lives this long unless renewed (default 15 s): a dead process's binds free up after it. */
  ttlMs?: number;
  /** How often a waiting bind looks for a free slot (default 500 ms). */
  pollMs?: number;
}

/**
 * A cap on the binds of one carrier account across n8n processes: each bind holds a lease on one
 * of `cap` slots in Redis (SET NX PX), renewed every third of its lifetime. A process that dies
 * stops renewing, and its slots free up within `ttlMs`. A process that cannot renew (Redis away)
 * reports the slot lost after half the lifetime, so its bind closes before another process may
 * take the slot: there are never more binds than slots at the carrier.
 */
export class RedisBindSlots implements BindSlots {
  readonly cap: number;
  private readonly ttlMs: number;
  private readonly pollMs: number;
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisBindSlotsOptions,
  ) {
    this.cap = options.cap;
    this.ttlMs = options.ttlMs ?? 15_000;
    this.pollMs = options.pollMs ?? 500;
  }

  async take(signal: AbortSignal): Promise<BindSlot | null> {
    const named = this.options.key;
    const prefix = typeof named === 'string' ? named : await named();
    while (!signal.aborted) {
      for (let index = 0; index < this.cap; index++) {
        const key = `${prefix}:${index}`;
        const token = `${this.owner}:${index}:${randomBytes(4).toString('hex')}`;
        if (
          (await this.redis.set(key, token, 'PX', this.ttlMs, 'NX').catch((err: Error) => {
            throw new Error(`Redis cannot be asked: ${err.message}`);
          })) === 'OK'
        ) {
          if (!signal.aborted) return this.hold(key, token, index);
          await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
          return null;
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.pollMs);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    }
    return null;
  }

  private hold(key: string, token: string, index: number): BindSlot {
    let renewedAt = performance.now();
    let released = false;
    let markLost: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    const stop = (): void => {
      clearInterval(timer);
      markLost();
    };
    const timer = setInterval(
      () => {
        // Closing the bind takes a moment: give up the slot well before another process may take it.
        if (performance.now() - renewedAt > this.ttlMs / 2) return stop();
        this.redis.eval(RENEW, 1, key, token, String(this.ttlMs)).then(
          (renewed) => {
            if (Number(renewed) === 1) renewedAt = performance.now();
            else if (!released) stop(); // expired and maybe taken: this bind must go
          },
          () => undefined, // tried again next tick; lost once the deadline above passes
        );
      },
      Math.max(50, Math.floor(this.ttlMs / 5)),
    );
    timer.unref();
    return {
      index,
      lost,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await this.redis.eval(RELEASE, 1, key, token);
      },
    };
  }
}
