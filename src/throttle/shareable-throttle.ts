import type { SendThrottle } from '../transport/smpp/types';
import { TpsThrottle } from './tps-throttle';
import type { ThrottleRedis, TpsThrottleOptions } from './tps-throttle';

/** Everything that makes two Redis settings one budget store (the password is not kept). */
function redisIdentity(redis: ThrottleRedis): string {
  return `${redis.host}:${redis.port}/${redis.db ?? 0}/${redis.username ?? ''}/${redis.tls ? 'tls' : 'tcp'}`;
}

/** How long the process's own budget is still asked after the change: a counting window and a margin. */
const HANDOVER_MS = 1_200;

/**
 * The TPS limit of one SMPP bind, which can turn from a process-local budget into one shared
 * through Redis while messages flow. One bind per credential per process serves every node
 * (design: carriers allow few binds), and the node that opens it may not be one that shares
 * state through Redis (the SMS Gateway Trigger, a node with the memory store): when a node whose
 * State Store is Redis uses the bind later, the budget moves to Redis from then on. For one
 * counting window after the change a submit needs a token from both budgets, so the sends this
 * process made just before the change still count and no one-second window goes over the limit.
 */
export class ShareableThrottle implements SendThrottle {
  private current: TpsThrottle;
  /** The process's own budget, still asked until `handoverUntil` after the change to Redis. */
  private previous: TpsThrottle | null = null;
  private handoverUntil = 0;
  private sharedVia: string | null;
  private sharedSettings: ThrottleRedis | null;
  private switching: Promise<void> | null = null;
  /** Who waits for a token now, and how many each could write at once. */
  private waiters: Array<{ callback: () => void; demand: (() => number) | undefined }> = [];
  private closed = false;

  constructor(private readonly options: TpsThrottleOptions) {
    this.current = new TpsThrottle(options);
    this.sharedVia = options.redis ? redisIdentity(options.redis) : null;
    this.sharedSettings = options.redis ?? null;
  }

  /**
   * Takes over what `old` (the budget of the settings before an edit) granted in this process, so
   * the sends of the last second still count under the new TPS (a fresh budget would grant a whole
   * second's worth on top of them). A budget shared through Redis keeps its log there.
   */
  inheritFrom(old: ShareableThrottle): void {
    this.current.inherit(old.current);
    if (old.previous) this.current.inherit(old.previous);
  }

  /** The Redis the budget is shared through, or null. */
  get sharedRedis(): ThrottleRedis | null {
    return this.sharedSettings;
  }

  /** The Redis store of the budget, or null while it is this process's own. */
  get sharedThrough(): string | null {
    return this.sharedVia;
  }

  ready(): Promise<void> {
    return this.current.ready();
  }

  tryTake(): boolean {
    const previous = this.handingOver();
    // Asked first: a token of the shared budget not written now would be dropped unused.
    if (previous && !previous.tryTake()) return false;
    return this.current.tryTake();
  }

  written(count: number): void {
    this.current.written(count);
    this.previous?.written(count);
  }

  /**
   * Several binds of a credential wait on this one budget: the budgets below are asked once for
   * all of them (the first waiter asks, with everyone's demand), and one wake-up wakes them all.
   * Asking once per waiter multiplied the wake-ups: each one woke every bind, and each bind that
   * still found no token asked again, so 4 binds went from 4 to 12, 36, ... wake-ups per refill.
   */
  onAvailable(callback: () => void, demand?: () => number): void {
    this.waiters.push({ callback, demand });
    if (this.waiters.length > 1) return;
    const everyone = (): number => this.waiters.reduce((sum, w) => sum + (w.demand?.() ?? 1), 0);
    this.current.onAvailable(() => this.wake(), everyone);
    this.handingOver()?.onAvailable(() => this.wake());
  }

  unavailable(): Error | null {
    return this.current.unavailable();
  }

  /**
   * Shares the budget through `redis` from now on; a no-op when it already is shared (the first
   * Redis wins: one bind has one budget). Fails, leaving the process's own budget in place, when
   * Redis does not answer.
   */
  async share(redis: ThrottleRedis): Promise<void> {
    while (this.switching) await this.switching;
    if (this.sharedVia !== null || this.closed) return;
    this.switching = (async () => {
      const next = new TpsThrottle({ ...this.options, redis });
      try {
        await next.ready();
      } catch (err) {
        await next.close();
        throw err;
      }
      this.previous = this.current;
      this.handoverUntil = performance.now() + HANDOVER_MS;
      this.current = next;
      this.sharedVia = redisIdentity(redis);
      this.sharedSettings = redis;
      // Senders waiting on the process's own budget ask the shared one too.
      this.wake();
    })();
    try {
      await this.switching;
    } finally {
      this.switching = null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.switching) await this.switching.catch(() => undefined);
    await Promise.all([this.current.close(), this.previous?.close()]);
    this.previous = null;
  }

  /** The process's own budget while the handover lasts; closed once it is over. */
  private handingOver(): TpsThrottle | null {
    if (this.previous && performance.now() >= this.handoverUntil) {
      void this.previous.close();
      this.previous = null;
    }
    return this.previous;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.callback();
  }
}
