import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeMessage, inboundDataCoding } from '../../src/encoding';
import { formatReceiptText, messageIdKeys, parseReceiptText } from '../../src/transport/smpp/receipt-format/receipt-text';
import { fuzzProperty } from './support/fuzz-run';

/**
 * Fuzzing what turns inbound bytes into text: decodeMessage (MO and receipt bodies) and the
 * receipt text parser. Replay a failure: FUZZ_SEED=<seed> npx jest test/fuzz/inbound-text
 */

const octet = fc.integer({ min: 0, max: 255 });
const bytes = (maxLength: number): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength }).map((a) => Buffer.from(a));

/** User data that often starts with a UDH, well-formed or not (bad lengths, odd elements). */
const udhFirstArb: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.array(fc.record({ id: fc.constantFrom(0x00, 0x08, 0x24, 0x25, 0x70, 0xff), data: fc.uint8Array({ maxLength: 6 }) }), { maxLength: 4 }),
    fc.integer({ min: -3, max: 3 }),
    bytes(120),
  )
  .map(([elements, skew, body]) => {
    const ies = Buffer.concat(elements.map((e) => Buffer.concat([Buffer.from([e.id, e.data.length]), e.data])));
    return Buffer.concat([Buffer.from([Math.max(0, Math.min(255, ies.length + skew))]), ies, body]);
  });

const inboundArb = fc.record({
  dataCoding: octet,
  esmClass: fc.oneof(octet, fc.constant(0x40)),
  shortMessage: fc.oneof(bytes(255), udhFirstArb),
  messagePayload: fc.option(fc.oneof(bytes(600), udhFirstArb), { nil: undefined }),
  sar: fc.option(fc.record({ refNum: fc.integer({ min: 0, max: 0xffff }), totalSegments: octet, seqNum: octet }), { nil: undefined }),
});

describe('decodeMessage (fuzz)', () => {
  it('reads any bytes under any data_coding as text of the announced kind, bounded in size, without touching the input', () => {
    fuzzProperty(
      'decodeMessage garbage',
      fc.property(inboundArb, (input) => {
        const before = [input.shortMessage.toString('hex'), input.messagePayload?.toString('hex')];
        const decoded = decodeMessage(input);
        assert.deepEqual([input.shortMessage.toString('hex'), input.messagePayload?.toString('hex')], before, 'input buffers unchanged');
        assert.equal(typeof decoded.text, 'string');
        // decodeMessage has a catch-all that answers { text: '', encoding: 'binary' }: for typed
        // input it must never be the path taken, so the encoding always follows data_coding.
        assert.equal(decoded.encoding, inboundDataCoding(input.dataCoding).alphabet, 'encoding follows data_coding');
        const data = input.messagePayload && input.messagePayload.length > 0 ? input.messagePayload : input.shortMessage;
        assert.ok(decoded.text.length <= 2 * data.length + 1, `text of ${decoded.text.length} chars from ${data.length} bytes`);
        if (decoded.encoding === 'binary') assert.match(decoded.text, /^([0-9a-f]{2})*$/);
        if (decoded.concat) {
          assert.ok(decoded.concat.total >= 0 && decoded.concat.total <= 255);
          assert.ok(decoded.concat.ref >= 0 && decoded.concat.ref <= 0xffff);
        }
      }),
      15_000,
    );
  });
});

/** Receipt-looking text: the usual keys, in any order and case, with hostile values in between. */
const receiptishArb = fc
  .array(
    fc.oneof(
      fc.constantFrom('id:', 'ID:', 'sub:', 'dlvrd:', 'submit date:', 'done date:', 'stat:', 'err:', 'text:', ' ', ':', '\0', 'id:id:'),
      fc.string({ maxLength: 24 }),
      fc.stringMatching(/^\d{10,12}$/),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));

describe('receipt text (fuzz)', () => {
  it('parses any text to null or to fields with a non-empty id and stat, never throwing', () => {
    fuzzProperty(
      'parseReceiptText garbage',
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), receiptishArb), (text) => {
        const parsed = parseReceiptText(text);
        if (parsed === null) return;
        assert.ok(parsed.id.length > 0 && parsed.stat.length > 0);
        assert.equal(parsed.stat, parsed.stat.toUpperCase());
        for (const date of [parsed.submitDate, parsed.doneDate]) if (date) assert.ok(!Number.isNaN(date.getTime()), 'no Invalid Date');
      }),
      12_000,
    );
  });

  it('reads back what formatReceiptText writes, for ids and stats a carrier may send', () => {
    const idArb = fc.stringMatching(/^[0-9A-Za-z-]{1,64}$/);
    const statArb = fc.constantFrom('DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD', 'ENROUTE');
    const minute = fc.integer({ min: Date.UTC(2000, 0, 1) / 60_000, max: Date.UTC(2099, 11, 31) / 60_000 }).map((m) => new Date(m * 60_000));
    fuzzProperty(
      'receipt text round trip',
      fc.property(idArb, statArb, minute, minute, fc.string({ maxLength: 40 }), (id, stat, submitDate, doneDate, text) => {
        const parsed = parseReceiptText(formatReceiptText({ id, stat, submitDate, doneDate, text }));
        assert.ok(parsed);
        assert.equal(parsed.id, id);
        assert.equal(parsed.stat, stat);
        assert.equal(parsed.submitDate?.getTime(), submitDate.getTime());
        assert.equal(parsed.doneDate?.getTime(), doneDate.getTime());
      }),
      5_000,
    );
  });

  it('messageIdKeys never throws and always matches an id written in hex in one PDU and decimal in the other', () => {
    fuzzProperty(
      'messageIdKeys garbage',
      fc.property(fc.string({ maxLength: 80 }), (id) => {
        const keys = messageIdKeys(id);
        assert.ok(keys.length >= 1 && keys.length <= 3);
        assert.equal(
          keys[0],
          id
            .trim()
            .toLowerCase()
            .replace(/^0+(?=.)/, ''),
        );
      }),
      8_000,
    );
    fuzzProperty(
      'messageIdKeys hex/decimal',
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.nat({ max: 4 }), (n, pad) => {
        const hex = n
          .toString(16)
          .toUpperCase()
          .padStart(Math.min(16, n.toString(16).length + pad), '0');
        const decimal = n.toString(10).padStart(Math.min(20, n.toString(10).length + pad), '0');
        const decimalKeys = new Set(messageIdKeys(decimal));
        assert.ok(
          messageIdKeys(hex).some((k) => decimalKeys.has(k)),
          `${hex} and ${decimal} share no key`,
        );
      }),
      4_000,
    );
  });
});
