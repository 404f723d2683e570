/**
 * Splits a TCP byte stream into SMPP PDUs (each starts with a 4-byte command_length).
 *
 * Hand-written rather than node-smpp's reader because that one stops reading for good after a
 * bad length (its `_busy` flag stays set), which a fuzzed or hostile peer can trigger; here a
 * bad length is reported once and the caller decides to nack and close.
 */
export const PDU_HEADER_LENGTH = 16;
export const DEFAULT_MAX_PDU_LENGTH = 65_536;

export class FrameError extends Error {
  constructor(message: string, readonly commandLength: number) {
    super(message);
    this.name = 'FrameError';
  }
}

export class FrameReader {
  private pending: Buffer | null = null;
  private failed = false;

  constructor(private readonly maxLength = DEFAULT_MAX_PDU_LENGTH) {}

  /** Feeds a chunk; returns the complete frames it finished. Throws FrameError once on a bad length. */
  push(chunk: Buffer): Buffer[] {
    if (this.failed) return [];
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    let offset = 0;
    while (data.length - offset >= 4) {
      const length = data.readUInt32BE(offset);
      if (length < PDU_HEADER_LENGTH || length > this.maxLength) {
        this.failed = true;
        this.pending = null;
        throw new FrameError(
          `command_length ${length} is outside ${PDU_HEADER_LENGTH}..${this.maxLength}`,
          length,
        );
      }
      if (data.length - offset < length) break;
      frames.push(data.subarray(offset, offset + length));
      offset += length;
    }
    if (offset === data.length) {
      this.pending = null;
    } else {
      // Copy the remainder so we do not pin a large socket chunk in memory.
      this.pending = Buffer.from(data.subarray(offset));
    }
    data = Buffer.alloc(0);
    return frames;
  }

  get bufferedBytes(): number {
    return this.pending ? this.pending.length : 0;
  }
}
