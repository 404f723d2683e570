import { Fifo } from '../transport/smpp/fifo';

/**
 * The rule every TPS budget follows, in one process (this file) or shared through Redis
 * (redis-window-log.ts, the same rule in Lua):
 *
 * - **Exact cap:** a log of grants, each with the last moment its submits may leave (`end`: the
 *   grant's time plus how long its tokens may be held) and its count. A grant is made only while
 *   the grants whose `end` lies within the last `windowMs`, plus this one, stay within `cap`.
 *   `windowMs` is a second plus a guard for network jitter: two submits can share a sliding
 *   second at the SMSC only when the later grant came less than `windowMs` after the earlier
 *   one's end, so no sliding second at the SMSC can hold more than `cap`.
 * - **Late writes count when they happened:** a submit written after its tokens' end (a process
 *   the OS did not run for a while) is charged to the log at its real time, so later grants wait
 *   for it instead of bunching with it.
 * - **Smooth:** at most `perBucket` grants per fixed `bucketMs` slot, so a budget idle for a
 *   while is not spent in one burst of `cap` submits within a millisecond (carriers meter
 *   per second, but many also throttle bursts).
 */
export interface WindowLogPolicy {
  cap: number;
  windowMs: number;
  bucketMs: number;
  perBucket: number;
}

export interface WindowLogAnswer {
  /** Tokens granted now (0..wanted). */
  granted: number;
  /** When nothing was granted: ms until a grant can succeed. */
  retryInMs: number;
  /** When something was granted: the time it was logged at, on the log's clock (Redis's TIME for a shared log). */
  at?: number;
}

const BUCKET_MS = 100;

/** The policy for `tps` with `windowMs` (>= 1000) as the counting window. */
export function windowLogPolicy(tps: number, windowMs: number): WindowLogPolicy {
  const cap = Math.max(1, Math.floor(tps));
  // Twice the average share per slot: room to catch up a slot a slow process left unused.
  return { cap, windowMs, bucketMs: BUCKET_MS, perBucket: Math.max(1, Math.ceil((cap * 2 * BUCKET_MS) / 1000)) };
}

/** The rule above for one process (no Redis): a log of [end, count] pairs, in grant order. */
export class SlidingWindowLog {
  private readonly grants = new Fifo<[number, number]>();
  private total = 0;
  private bucket = -1;
  private inBucket = 0;

  constructor(private readonly policy: WindowLogPolicy) {}

  /** Grants up to `wanted` tokens at `now`, each valid until `now + lifetimeMs`. */
  take(now: number, wanted: number, lifetimeMs = 0): WindowLogAnswer {
    const room = this.room(now);
    const granted = Math.min(wanted, room);
    if (granted <= 0) return { granted: 0, retryInMs: this.retryInMs(now) };
    this.grants.push([now + lifetimeMs, granted]);
    this.total += granted;
    this.inBucket += granted;
    return { granted, retryInMs: 0, at: now };
  }

  /** Ms until one token can be granted at `now` or later (0: now), without granting it. */
  waitMs(now: number): number {
    return this.room(now) > 0 ? 0 : this.retryInMs(now);
  }

  /** Tokens that may be granted at `now` (after forgetting grants out of the window). */
  private room(now: number): number {
    this.forget(now);
    const bucket = Math.floor(now / this.policy.bucketMs);
    if (bucket !== this.bucket) {
      this.bucket = bucket;
      this.inBucket = 0;
    }
    return Math.min(this.policy.cap - this.total, this.policy.perBucket - this.inBucket);
  }

  /** When room(now) is 0: ms until the oldest grant leaves the window, or the next slot starts. */
  private retryInMs(now: number): number {
    const oldest = this.grants.peek();
    const retryAt = this.total >= this.policy.cap && oldest ? oldest[0] + this.policy.windowMs : (this.bucket + 1) * this.policy.bucketMs;
    return Math.max(0, retryAt - now);
  }

  /** Records `count` submits written at `now` after their tokens' end (see the rule above); never refused. */
  charge(now: number, count: number): void {
    this.forget(now);
    this.grants.push([now, count]);
    this.total += count;
  }

  /** Takes over `other`'s grants (same clock): a budget replaced by new settings remembers what was sent. */
  inherit(other: SlidingWindowLog): void {
    for (const grant of other.grants.values()) {
      this.grants.push([grant[0], grant[1]]);
      this.total += grant[1];
    }
  }

  private forget(now: number): void {
    for (let head = this.grants.peek(); head && head[0] <= now - this.policy.windowMs; head = this.grants.peek()) {
      this.total -= head[1];
      this.grants.shift();
    }
  }
}
