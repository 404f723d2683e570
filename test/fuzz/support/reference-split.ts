import { PDU_HEADER_LENGTH } from '../../../src/transport/smpp/pdu/frame-reader';

/**
 * What a correct reader must make of a whole byte stream: the complete frames in it, in order,
 * and whether it reaches a command_length outside 16..max (after which nothing more is read).
 */
export function referenceSplit(stream: Buffer, max: number): { frames: Buffer[]; badLength: boolean } {
  const frames: Buffer[] = [];
  let offset = 0;
  while (stream.length - offset >= 4) {
    const length = stream.readUInt32BE(offset);
    if (length < PDU_HEADER_LENGTH || length > max) return { frames, badLength: true };
    if (stream.length - offset < length) break;
    frames.push(stream.subarray(offset, offset + length));
    offset += length;
  }
  return { frames, badLength: false };
}
