/** Test helper: what a handset shows after receiving every part of an encoded message. */
import { EncodedMessage, MessagePart, decodeMessage } from '../../src/encoding';

export function decodePart(part: MessagePart): string {
  return decodeMessage({
    dataCoding: part.dataCoding,
    esmClass: part.udhi ? 0x40 : 0,
    shortMessage: part.shortMessage,
    messagePayload: part.messagePayload,
    sar: part.sar,
  }).text;
}

export function reassemble(encoded: EncodedMessage): string {
  return encoded.parts.map(decodePart).join('');
}

/** The user data after the UDH (the septets / octets of the text). */
export function bodyOf(part: MessagePart): Buffer {
  const data = part.messagePayload ?? part.shortMessage;
  return part.udhi ? data.subarray(data[0] + 1) : data;
}

export function udhOf(part: MessagePart): Buffer | undefined {
  const data = part.messagePayload ?? part.shortMessage;
  return part.udhi ? data.subarray(0, data[0] + 1) : undefined;
}
