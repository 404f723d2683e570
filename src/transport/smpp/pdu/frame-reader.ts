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
  /**
   * The complete frames that came before the bad length (in the same chunk): they are good PDUs,
   * often answers to submits the peer took, and must be handled before the link is dropped, or
   * those messages would be sent again.
   */
  frames: Buffer[] = [];

  constructor(
    message: string,
    readonly commandLength: number,
  ) {
    super(message);
    this.name = 'FrameError';
  }
}

export class FrameReader {
  /**
   * Bytes of an unfinished frame, kept as the chunks they came in and joined only once the frame
   * is complete: joining on every chunk would copy the buffer again for each byte a slow peer
   * trickles in (quadratic work, ~2 GB of copying for one 64 KiB PDU sent byte by byte).
   */
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** command_length of the unfinished frame once its 4 bytes are in; 0 while unknown. */
  private awaitedLength = 0;
  private failed = false;

  constructor(private readonly maxLength = DEFAULT_MAX_PDU_LENGTH) {}

  /**
   * Feeds a chunk; returns the complete frames it finished. Throws FrameError once on a bad
   * length, carrying the complete frames before it (`err.frames`).
   */
  push(chunk: Buffer): Buffer[] {
    if (this.failed || chunk.length === 0) return [];
    // One whole PDU in one chunk (at window 1, every answer): the chunk itself, no view of it
    // and no array grown by push (allocations per answer drive the scavenges; issue 23).
    if (this.partBytes === 0 && chunk.length >= PDU_HEADER_LENGTH && chunk.length <= this.maxLength && chunk.readUInt32BE(0) === chunk.length) {
      return [chunk];
    }
    let data = chunk;
    if (this.partBytes > 0) {
      this.parts.push(chunk);
      this.partBytes += chunk.length;
      if (this.awaitedLength === 0 && this.partBytes >= 4) {
        // Every part holds at least one byte, so the header is within the first four parts.
        this.awaitedLength = Buffer.concat(this.parts.slice(0, 4), 4).readUInt32BE(0);
      }
      // Wait for the rest of a frame of sane length; a bad length falls through to the loop below.
      const sane = this.awaitedLength >= PDU_HEADER_LENGTH && this.awaitedLength <= this.maxLength;
      if (this.partBytes < 4 || (sane && this.partBytes < this.awaitedLength)) return [];
      data = Buffer.concat(this.parts, this.partBytes);
      this.parts = [];
      this.partBytes = 0;
      this.awaitedLength = 0;
    }
    const frames: Buffer[] = [];
    let offset = 0;
    while (data.length - offset >= 4) {
      const length = data.readUInt32BE(offset);
      if (length < PDU_HEADER_LENGTH || length > this.maxLength) {
        this.failed = true;
        const error = new FrameError(`command_length ${length} is outside ${PDU_HEADER_LENGTH}..${this.maxLength}`, length);
        error.frames = frames;
        throw error;
      }
      if (data.length - offset < length) break;
      frames.push(data.subarray(offset, offset + length));
      offset += length;
    }
    if (offset < data.length) {
      // Copy the remainder so we do not pin a large socket chunk in memory.
      this.parts = [Buffer.from(data.subarray(offset))];
      this.partBytes = data.length - offset;
      this.awaitedLength = this.partBytes >= 4 ? this.parts[0].readUInt32BE(0) : 0;
    }
    return frames;
  }

  get bufferedBytes(): number {
    return this.partBytes;
  }
}
