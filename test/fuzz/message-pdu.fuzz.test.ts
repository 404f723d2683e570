import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PduFieldError, decodeMessagePdu, encodeMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { CommandId, Tlv } from '../../src/transport/smpp/pdu/command-ids';
import { FUZZ_SEED, fuzzProperty } from './support/fuzz-run';
import { cstringArb, messageCommandIdArb, messagePduArb, sequenceArb } from './support/message-arbitraries';
import { mutatedFrameArb } from './support/pdu-mutations';
import { loadPduFixtures } from './support/pdu-fixtures';
import { expectSamePdu } from './support/same-pdu';

/**
 * Fuzzing the submit_sm / deliver_sm codec. Replay a failure: FUZZ_SEED=<seed> npx jest test/fuzz/message-pdu
 */

/** Statuses decodeMessagePdu may put on a PduFieldError (answered to the peer as generic_nack). */
const DECODE_STATUSES = new Set([0x01, 0x02, 0xc0, 0xc2]);

/** The oracle for hostile input: a decoded PDU inside the limits, or a PduFieldError we can answer with. */
function decodeOrFieldError(frame: Buffer): MessagePdu | PduFieldError {
  try {
    const pdu = decodeMessagePdu(frame);
    assert.ok(pdu.serviceType.length <= 5, 'service_type within 5 characters');
    assert.ok(pdu.source.addr.length <= 20 && pdu.destination.addr.length <= 20, 'addresses within 20 characters');
    assert.ok(pdu.scheduleDeliveryTime.length <= 16 && pdu.validityPeriod.length <= 16, 'times within 16 characters');
    assert.ok(pdu.shortMessage.length <= 255, 'short_message within 255 octets');
    return pdu;
  } catch (err) {
    if (!(err instanceof PduFieldError)) throw err;
    assert.ok(DECODE_STATUSES.has(err.status), `unexpected status 0x${err.status.toString(16)}`);
    // A clear message names the field or TLV that was wrong.
    assert.match(
      err.message,
      /service_type|addr|esm_class|protocol_id|priority_flag|time|validity|registered|replace|data_coding|sm_default|sm_length|short_message|TLV/,
    );
    return err;
  }
}

/** What decoding means when the decoded PDU is written again: the same fields come back. */
function expectReencodesTheSame(pdu: MessagePdu): void {
  if (pdu.shortMessage.length > 254) return; // decodable (sm_length is one octet) but not ours to send
  const again = decodeMessagePdu(encodeMessagePdu(CommandId.submitSm, 1, pdu));
  expectSamePdu(again, pdu);
}

const messageSeeds = loadPduFixtures()
  .filter((f) => [CommandId.submitSm, CommandId.deliverSm].includes(f.frame.readUInt32BE(4)))
  .map((f) => f.frame);

describe('message PDU codec (fuzz)', () => {
  it('round-trips every valid message PDU: decode(encode(pdu)) equals pdu, header and length exact', () => {
    fuzzProperty(
      'message PDU round trip',
      fc.property(messageCommandIdArb, sequenceArb, messagePduArb, (commandId, seq, pdu) => {
        const frame = encodeMessagePdu(commandId, seq, pdu);
        assert.equal(frame.readUInt32BE(0), frame.length, 'command_length');
        assert.equal(frame.readUInt32BE(4), commandId, 'command_id');
        assert.equal(frame.readUInt32BE(8), 0, 'command_status');
        assert.equal(frame.readUInt32BE(12), seq, 'sequence_number');
        const decoded = decodeMessagePdu(frame);
        expectSamePdu(decoded, pdu);
        // The TLV section is kept exactly as it came: the frame's tail, and nothing when there is none.
        const received = decoded.tlvs.received;
        if (received) assert.ok(received.length > 0 && frame.subarray(frame.length - received.length).equals(received), "received is the frame's TLV section");
        const sectionLength = frame.length - 16 - encodeMessagePdu(commandId, seq, { ...pdu, tlvs: {} }).length + 16;
        assert.equal(received?.length ?? 0, sectionLength, 'received covers every TLV');
      }),
      8_000,
    );
  });

  it('never throws anything but a PduFieldError on random bodies', () => {
    const frameArb = fc.uint8Array({ maxLength: 300 }).map((body) => {
      const frame = Buffer.concat([Buffer.alloc(16), body]);
      frame.writeUInt32BE(frame.length, 0);
      frame.writeUInt32BE(CommandId.submitSm, 4);
      return frame;
    });
    fuzzProperty(
      'decodeMessagePdu random bodies',
      fc.property(frameArb, (frame) => {
        decodeOrFieldError(frame);
      }),
      15_000,
    );
  });

  it('decodes or rejects cleanly every mutation of real submit_sm/deliver_sm frames, and what it decodes re-encodes the same', () => {
    expect(messageSeeds.length).toBeGreaterThanOrEqual(6);
    fuzzProperty(
      'decodeMessagePdu mutated fixtures',
      fc.property(mutatedFrameArb(messageSeeds, { fixLength: true, minLength: 16 }), (frame) => {
        const result = decodeOrFieldError(frame);
        if (!(result instanceof PduFieldError)) expectReencodesTheSame(result);
      }),
      20_000,
    );
  });

  it('rejects hostile TLV streams with the TLV statuses: lengths past the end, short headers, wrong sizes of fixed TLVs', () => {
    const fixedSize = new Map<number, number>([
      [Tlv.sarMsgRefNum, 2],
      [Tlv.sarTotalSegments, 1],
      [Tlv.sarSegmentSeqnum, 1],
      [Tlv.messageState, 1],
      [Tlv.userMessageReference, 2],
    ]);
    const tlvArb = fc.record({
      tag: fc.oneof(fc.constantFrom(...Object.values(Tlv)), fc.integer({ min: 0, max: 0xffff })),
      declared: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(0xff, 0x100, 0xffff)),
      actual: fc.integer({ min: 0, max: 8 }),
    });
    const base = encodeMessagePdu(CommandId.deliverSm, 3, { ...decodeMessagePdu(messageSeeds[0]), tlvs: {} });
    fuzzProperty(
      'hostile TLV streams',
      fc.property(fc.array(tlvArb, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 3 }), (tlvs, tail) => {
        const parts = tlvs.map((t) => {
          const header = Buffer.alloc(4);
          header.writeUInt16BE(t.tag, 0);
          header.writeUInt16BE(t.declared, 2);
          return Buffer.concat([header, Buffer.alloc(t.actual, 0x31)]);
        });
        const frame = Buffer.concat([base, ...parts, Buffer.alloc(tail, 0x7f)]);
        frame.writeUInt32BE(frame.length, 0);
        const result = decodeOrFieldError(frame);
        // Walk the stream the way the spec reads it, to know which error must come first.
        let offset = base.length;
        let expected: number | null = null;
        while (offset < frame.length && expected === null) {
          if (frame.length - offset < 4) {
            expected = 0xc0;
            break;
          }
          const tag = frame.readUInt16BE(offset);
          const length = frame.readUInt16BE(offset + 2);
          if (length > frame.length - offset - 4) {
            expected = 0xc0;
            break;
          }
          const size = fixedSize.get(tag);
          if (size !== undefined && size !== length) expected = 0xc2;
          offset += 4 + length;
        }
        assert.equal(result instanceof PduFieldError ? result.status : null, expected, 'status of the first TLV error');
      }),
      6_000,
    );
  });

  it('never writes a C-string field it cannot read back: over-long values are refused with PduFieldError', () => {
    const fields = ['serviceType', 'source', 'destination', 'scheduleDeliveryTime', 'validityPeriod'] as const;
    fuzzProperty(
      'encoder C-string limits',
      fc.property(messagePduArb, fc.constantFrom(...fields), cstringArb(40), (pdu, field, value) => {
        const hostile: MessagePdu = { ...pdu };
        if (field === 'source' || field === 'destination') hostile[field] = { ...pdu[field], addr: value };
        else hostile[field] = value;
        let frame: Buffer;
        try {
          frame = encodeMessagePdu(CommandId.submitSm, 1, hostile);
        } catch (err) {
          assert.ok(err instanceof PduFieldError, `threw ${String(err)}`);
          assert.match(err.message, /service_type|source_addr|destination_addr|schedule_delivery_time|validity_period/);
          return;
        }
        expectSamePdu(decodeMessagePdu(frame), hostile);
      }),
      3_000,
    );
  });

  // BUG (open, see the fuzzing report): encodeMessagePdu writes a NUL inside a C-string as is,
  // which ends the field early and shifts every later field of the PDU (the peer reads garbage or
  // a broken TLV stream), and writes a character above U+00FF as its low byte: the alphanumeric
  // sender 'ΔΦShop', which parseSenderAddress accepts (GSM letters), goes out as 0x94 0xA6 'Shop'.
  // it.failing documents it without turning CI red; once fixed, jest flags this test: make it it().
  // Fix: refuse such values with a PduFieldError in cstringLength (message-pdu.ts), which is only
  // safe once SubmitWindow.pump fails an entry whose encoding throws (see submit-window bug below).
  it('never writes a C-string it cannot read back: a NUL or a character outside Latin-1 is refused, not sent garbled', () => {
    const hostileChar = fc.oneof(
      fc.constant('\u0000'),
      fc.integer({ min: 0x100, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    const hostileValue = fc.tuple(cstringArb(4), hostileChar, cstringArb(4)).map(([a, c, b]) => a + c + b);
    const fields = ['serviceType', 'source', 'destination', 'validityPeriod'] as const;
    // Plain fc.assert: a known failure should not print a replay hint on every run.
    fc.assert(
      fc.property(messagePduArb, fc.constantFrom(...fields), hostileValue, (pdu, field, value) => {
        const hostile: MessagePdu = { ...pdu };
        if (field === 'source' || field === 'destination') hostile[field] = { ...pdu[field], addr: value };
        else hostile[field] = value;
        let frame: Buffer;
        try {
          frame = encodeMessagePdu(CommandId.submitSm, 1, hostile);
        } catch (err) {
          assert.ok(err instanceof PduFieldError, `threw ${String(err)}`);
          return;
        }
        expectSamePdu(decodeMessagePdu(frame), hostile);
      }),
      { seed: FUZZ_SEED, numRuns: 200 },
    );
  });

  it('refuses a short_message over 254 octets with ESME_RINVMSGLEN instead of writing a wrong sm_length', () => {
    fuzzProperty(
      'encoder short_message limit',
      fc.property(messagePduArb, fc.integer({ min: 255, max: 1000 }), (pdu, length) => {
        const hostile = { ...pdu, shortMessage: Buffer.alloc(length, 0x61) };
        assert.throws(() => encodeMessagePdu(CommandId.submitSm, 1, hostile), PduFieldError);
      }),
      500,
    );
  });
});
