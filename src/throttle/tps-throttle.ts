import Bottleneck from 'bottleneck';
import type { SendThrottle } from '../transport/smpp/types';

export interface TpsThrottleOptions {
  /** Messages per second; the cap holds in every sliding one-second window. */
  tps: number;
  /** Shared key (e.g. the credential id) so every process with the same key shares one budget. */
  key: string;
  /** Redis connection for a budget shared across n8n processes (queue mode); local when absent. */
  redis?: { host: string; port: number; password?: string; db?: number };
  /** Slack for send-to-arrival jitter: the window we enforce is this much longer than a second. */
  guardMs?: number;
}

/**
 * Per-credential TPS limit.
 *
 * Bottleneck hands out tokens in batches (one Bottleneck job per batch, not per SMS: a job costs
 * ~2.4 ms locally, so one job per message would cap us near 400 msg/s); with its Redis datastore
 * the batches are spaced across every process sharing the key. Inside the process a ring of the
 * last `tps` send times makes the cap exact for any sliding window, which Bottleneck's reservoir
 * refresh alone does not (it allows 2x across a refresh boundary).
 */
export class TpsThrottle implements SendThrottle {
  private readonly limiter: Bottleneck;
  private readonly ring: Float64Array;
  private ringIndex = 0;
  private readonly windowMs: number;
  private readonly batch: number;
  private tokens = 0;
  private requesting = false;
  private waiters: Array<() => void> = [];
  private ringTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly prefetch: boolean;
  /** The datastore's last complaint (Redis unreachable), for the message when it cannot be used. */
  private lastError: Error | undefined;

  constructor(private readonly options: TpsThrottleOptions) {
    if (!(options.tps > 0) || !Number.isFinite(options.tps)) throw new RangeError(`TPS limit must be a positive number (got ${options.tps})`);
    const tps = Math.floor(options.tps);
    this.windowMs = 1000 + (options.guardMs ?? 50);
    this.ring = new Float64Array(Math.max(1, tps));
    // Shared (Redis) budgets use small batches and no prefetch: tokens one process holds unused are
    // a burst another cannot see, so the slack across processes stays within a few batches.
    this.batch = Math.max(1, Math.min(50, Math.floor(tps / (options.redis ? 50 : 10))));
    this.prefetch = !options.redis;
    const minTime = Math.floor((this.batch * this.windowMs) / tps);
    const common = { id: `sms-gateway-tps:${options.key}`, maxConcurrent: null, minTime };
    this.limiter = options.redis
      // timeout: the limiter's Redis keys expire after 10 min unused, so stale budgets do not pile up.
      ? new Bottleneck({ ...common, datastore: 'ioredis', clearDatastore: false, timeout: 600_000, clientOptions: { ...options.redis, maxRetriesPerRequest: 2 } })
      : new Bottleneck(common);
    // Bottleneck emits 'error' for datastore failures; surface them to waiters instead of crashing.
    this.limiter.on('error', (err: Error) => {
      this.lastError = err;
    });
  }

  /**
   * Resolves once the budget can be used: at once for a local one; for a shared one when Redis
   * answers. Bottleneck's own ready() waits forever while Redis is down (and every SMS would wait
   * with it), so this gives up after `timeoutMs` with an error naming the Redis settings.
   */
  async ready(timeoutMs = 3000): Promise<void> {
    const redis = this.options.redis;
    if (!redis) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`Cannot reach Redis at ${redis.host}:${redis.port} for the shared TPS limit (check Redis Host and Redis Port in the SMPP credential): ${describeRedisProblem(this.lastError)}`));
      }, timeoutMs);
    });
    try {
      await Promise.race([this.limiter.ready(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  tryTake(): boolean {
    if (this.tokens <= 0) {
      this.requestBatch();
      return false;
    }
    const now = performance.now();
    const oldest = this.ring[this.ringIndex];
    if (oldest !== 0 && now - oldest < this.windowMs) {
      this.armRingTimer(oldest + this.windowMs - now);
      return false;
    }
    this.ring[this.ringIndex] = now;
    this.ringIndex = (this.ringIndex + 1) % this.ring.length;
    this.tokens--;
    if (this.prefetch ? this.tokens <= this.batch / 2 : this.tokens === 0) this.requestBatch();
    return true;
  }

  onAvailable(callback: () => void): void {
    this.waiters.push(callback);
    if (this.tokens <= 0) this.requestBatch();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private armRingTimer(delayMs: number): void {
    if (this.ringTimer) return;
    this.ringTimer = setTimeout(() => {
      this.ringTimer = null;
      this.wake();
    }, Math.max(1, Math.ceil(delayMs)));
  }

  private requestBatch(): void {
    if (this.requesting || this.closed) return;
    this.requesting = true;
    this.limiter.schedule(() => Promise.resolve()).then(
      () => {
        this.requesting = false;
        this.tokens += this.batch;
        this.wake();
      },
      () => {
        // Redis unreachable: retry shortly rather than stall the queue forever or overshoot the cap.
        this.requesting = false;
        setTimeout(() => this.requestBatch(), 500).unref();
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.ringTimer) clearTimeout(this.ringTimer);
    await this.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
    if (this.options.redis) await this.limiter.disconnect(false);
  }
}

/**
 * A Redis connection problem in words. Never the raw errno code: n8n replaces any error message
 * containing one (ECONNREFUSED, ETIMEDOUT, ...) with its own generic sentence, losing the detail.
 */
function describeRedisProblem(err: (Error & { code?: string }) | undefined): string {
  if (!err) return 'no answer';
  const byCode: Record<string, string> = { ECONNREFUSED: 'connection refused (is Redis running on that port?)', ENOTFOUND: 'host not found', EAI_AGAIN: 'host not found', ETIMEDOUT: 'no answer', ECONNRESET: 'connection closed' };
  if (err.code && /^E[A-Z_]+$/.test(err.code)) return byCode[err.code] ?? 'network error';
  return err.message; // a Redis reply such as WRONGPASS or NOAUTH
}
