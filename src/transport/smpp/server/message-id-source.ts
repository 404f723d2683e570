import { randomBytes } from 'crypto';

const POOL_IDS = 512;

/**
 * Message ids for submit_sm_resp: 64 random bits each, as 16 lower-case hex digits. Random, not a
 * counter: an application sees its own ids and must not be able to name another's (to send it a
 * forged status or ask for its receipt). Two ids collide with probability about n²/2^65 (1e-8 for a
 * million). Random bytes are drawn in batches, one crypto call per 512 ids.
 */
export class MessageIdSource {
  private pool = Buffer.alloc(0);
  private offset = 0;

  next(): string {
    if (this.offset >= this.pool.length) {
      this.pool = randomBytes(8 * POOL_IDS);
      this.offset = 0;
    }
    const id = this.pool.toString('hex', this.offset, this.offset + 8);
    this.offset += 8;
    return id;
  }
}
