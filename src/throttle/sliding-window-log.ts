import { Fifo } from '../transport/smpp/fifo';

/**
 * The rule every TPS budget follows, in one process (this file) or shared through Redis
 * (redis-window-log.ts, the same rule in Lua):
 *
 * - **Exact cap:** a log of grants (time, count); a grant is made only while the grants of the
 *   last `windowMs` plus this one stay within `cap`. `windowMs` is a second plus the slack
 *   between a grant and its submit's arrival at the SMSC (how long a token may be held, and
 *   network jitter), so no sliding second at the SMSC can hold more than `cap`.
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
}

const BUCKET_MS = 100;

/** The policy for `tps` with `windowMs` (>= 1000) as the counting window. */
export function windowLogPolicy(tps: number, windowMs: number): WindowLogPolicy {
  const cap = Math.max(1, Math.floor(tps));
  // Twice the average share per slot: room to catch up a slot a slow process left unused.
  return { cap, windowMs, bucketMs: BUCKET_MS, perBucket: Math.max(1, Math.ceil((cap * 2 * BUCKET_MS) / 1000)) };
}

/** The rule above for one process (no Redis): a log of [time, count] pairs, oldest first. */
export class SlidingWindowLog {
  private readonly grants = new Fifo<[number, number]>();
  private total = 0;
  private bucket = -1;
  private inBucket = 0;

  constructor(private readonly policy: WindowLogPolicy) {}

  take(now: number, wanted: number): WindowLogAnswer {
    const { cap, windowMs, bucketMs, perBucket } = this.policy;
    for (let head = this.grants.peek(); head && head[0] <= now - windowMs; head = this.grants.peek()) {
      this.total -= head[1];
      this.grants.shift();
    }
    const bucket = Math.floor(now / bucketMs);
    if (bucket !== this.bucket) {
      this.bucket = bucket;
      this.inBucket = 0;
    }
    const granted = Math.min(wanted, cap - this.total, perBucket - this.inBucket);
    if (granted <= 0) {
      const oldest = this.grants.peek();
      const retryAt = this.total >= cap && oldest ? oldest[0] + windowMs : (bucket + 1) * bucketMs;
      return { granted: 0, retryInMs: Math.max(0, retryAt - now) };
    }
    this.grants.push([now, granted]);
    this.total += granted;
    this.inBucket += granted;
    return { granted, retryInMs: 0 };
  }
}
