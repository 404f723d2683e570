import { randomBytes } from 'crypto';

/**
 * Unique message ids for submit_sm_resp: a random 32-bit prefix per server (so ids differ
 * across restarts) and a counter, as 16 lower-case hex digits. Hex of at most 16 digits keeps
 * them matchable by messageIdKeys like any carrier's ids.
 */
export class MessageIdSource {
  private prefix = randomBytes(4).toString('hex');
  private counter = 0;

  next(): string {
    this.counter = (this.counter + 1) >>> 0;
    if (this.counter === 0) this.prefix = randomBytes(4).toString('hex'); // 2^32 ids later: a fresh prefix
    return this.prefix + this.counter.toString(16).padStart(8, '0');
  }
}
