import fc from 'fast-check';
import { Tlv } from '../../../src/transport/smpp/pdu/command-ids';
import type { MessagePdu, MessageTlvs, SmppAddress } from '../../../src/transport/smpp/pdu/message-pdu';

/** Arbitraries for valid message PDUs (every field inside what SMPP 3.4 allows). */

const octet = fc.integer({ min: 0, max: 255 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const buffer = (maxLength: number): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength }).map((a) => Buffer.from(a));

/** A C-string value: Latin-1 characters without NUL, at most maxChars long. */
export function cstringArb(maxChars: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: maxChars });
}

export const addressArb: fc.Arbitrary<SmppAddress> = fc.record({ ton: octet, npi: octet, addr: cstringArb(20) });

const KNOWN_TAGS = new Set<number>(Object.values(Tlv));
const otherTlvArb = fc.record({
  tag: u16.filter((tag) => !KNOWN_TAGS.has(tag)),
  value: buffer(40),
});

export const tlvsArb: fc.Arbitrary<MessageTlvs> = fc.record(
  {
    sar: fc.record({ refNum: u16, totalSegments: octet, seqNum: octet }),
    messagePayload: buffer(600),
    receiptedMessageId: cstringArb(64),
    messageState: octet,
    networkErrorCode: buffer(3),
    userMessageReference: u16,
    other: fc.array(otherTlvArb, { minLength: 1, maxLength: 4 }),
  },
  { requiredKeys: [] },
);

export const messagePduArb: fc.Arbitrary<MessagePdu> = fc.record({
  serviceType: cstringArb(5),
  source: addressArb,
  destination: addressArb,
  esmClass: octet,
  protocolId: octet,
  priorityFlag: octet,
  scheduleDeliveryTime: cstringArb(16),
  validityPeriod: cstringArb(16),
  registeredDelivery: octet,
  replaceIfPresent: octet,
  dataCoding: octet,
  smDefaultMsgId: octet,
  shortMessage: buffer(254),
  tlvs: tlvsArb,
});

/** Message command ids the codec encodes. */
export const messageCommandIdArb = fc.constantFrom(0x00000004, 0x00000005);
export const sequenceArb = fc.integer({ min: 1, max: 0x7fffffff });
