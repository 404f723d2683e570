import { EncodingError, encodeMessage } from '../../src/encoding';
import { bodyOf, reassemble, udhOf } from './reassemble';

const a = (n: number): string => 'a'.repeat(n);

describe('encodeMessage: GSM-7 basics', () => {
  it('sends plain ASCII as unpacked septets, data_coding 0, no UDH', () => {
    const encoded = encodeMessage('Hello, world! Your code is 123456.');
    expect(encoded.encoding).toBe('gsm7');
    expect(encoded.dataCoding).toBe(0);
    expect(encoded.parts).toHaveLength(1);
    const [part] = encoded.parts;
    expect(part.udhi).toBe(false);
    expect(part.shortMessage.toString('latin1')).toBe('Hello, world! Your code is 123456.'); // ASCII letters keep their values
    expect(encoded.characters).toBe(34);
    expect(encoded.septetsOrOctets).toBe(34);
  });

  it('maps GSM-only characters to their septets (@ is 0x00, £ is 0x01, è is 0x04)', () => {
    expect([...encodeMessage('@£è¡¿ΔÆ').parts[0].shortMessage]).toEqual([0x00, 0x01, 0x04, 0x40, 0x60, 0x10, 0x1c]);
  });

  it('counts every extension character as two septets', () => {
    const encoded = encodeMessage('{}[]~\\|^€\f');
    expect(encoded.encoding).toBe('gsm7');
    expect(encoded.characters).toBe(10);
    expect(encoded.septetsOrOctets).toBe(20);
    expect([...encoded.parts[0].shortMessage]).toEqual([
      0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x3c, 0x1b, 0x3e, 0x1b, 0x3d, 0x1b, 0x2f, 0x1b, 0x40, 0x1b, 0x14, 0x1b, 0x65, 0x1b, 0x0a,
    ]);
  });
});

describe('encodeMessage: GSM-7 part boundaries', () => {
  it.each([
    ['160 a', a(160), [160]],
    ['161 a', a(161), [153, 8]],
    ['306 a', a(306), [153, 153]],
    ['307 a', a(307), [153, 153, 1]],
    ['158 a + €', a(158) + '€', [160]],
    ['159 a + €', a(159) + '€', [153, 8]],
  ])('%s: parts of %j septets', (_label, text, sizes) => {
    const encoded = encodeMessage(text, { reference: 7 });
    expect(encoded.parts.map((p) => bodyOf(p).length)).toEqual(sizes);
    expect(reassemble(encoded)).toBe(text);
  });

  it('never splits an escape sequence: a € that would straddle the boundary moves to the next part', () => {
    const text = a(152) + '€' + a(10);
    const encoded = encodeMessage(text);
    const [first, second] = encoded.parts;
    expect(first.text).toBe(a(152));
    expect(bodyOf(first)).toHaveLength(152);
    expect(bodyOf(first)[151]).not.toBe(0x1b);
    expect([...bodyOf(second).subarray(0, 2)]).toEqual([0x1b, 0x65]);
    expect(reassemble(encoded)).toBe(text);
  });

  it('fills a part exactly when the escape ends on its last septet', () => {
    const encoded = encodeMessage(a(151) + '€' + a(10));
    expect(bodyOf(encoded.parts[0])).toHaveLength(153);
    expect(encoded.parts[0].text).toBe(a(151) + '€');
  });

  it('accepts 10 parts and rejects 11 with the default limit', () => {
    expect(encodeMessage(a(1530)).parts).toHaveLength(10);
    expect(() => encodeMessage(a(1531))).toThrow('The message has 11 parts; the limit is 10 (Max Parts)');
    expect(encodeMessage(a(1531), { maxParts: 11 }).parts).toHaveLength(11);
  });

  it('applies maxParts to message_payload too (the SMSC still bills each part)', () => {
    expect(() => encodeMessage(a(1531), { concat: 'payload' })).toThrow(EncodingError);
    expect(encodeMessage(a(1530), { concat: 'payload' }).parts).toHaveLength(1);
  });
});

describe('encodeMessage: concatenation methods', () => {
  const text = a(200);

  it('udh8: 05 00 03 ref total seq', () => {
    const encoded = encodeMessage(text, { concat: 'udh8', reference: 0xab });
    expect(encoded.parts.map((p) => udhOf(p)?.toString('hex'))).toEqual(['050003ab0201', '050003ab0202']);
    expect(encoded.parts.every((p) => p.udhi && p.sar === undefined && p.messagePayload === undefined)).toBe(true);
    expect(encoded.parts[0].shortMessage).toHaveLength(159);
  });

  it('udh16: 06 08 04 ref(2) total seq, 152 septets per part', () => {
    const encoded = encodeMessage(text, { concat: 'udh16', reference: 0x1234 });
    expect(encoded.parts.map((p) => udhOf(p)?.toString('hex'))).toEqual(['06080412340201', '06080412340202']);
    expect(bodyOf(encoded.parts[0])).toHaveLength(152);
  });

  it('sar: no UDH, SAR values per part, 153 septets per part (the SMSC adds the UDH)', () => {
    const encoded = encodeMessage(text, { concat: 'sar', reference: 40000 });
    expect(encoded.parts.map((p) => p.sar)).toEqual([
      { refNum: 40000, totalSegments: 2, seqNum: 1 },
      { refNum: 40000, totalSegments: 2, seqNum: 2 },
    ]);
    expect(encoded.parts.map((p) => [p.udhi, p.shortMessage.length])).toEqual([
      [false, 153],
      [false, 47],
    ]);
  });

  it('payload: one PDU, empty short_message, whole text in message_payload', () => {
    const encoded = encodeMessage(text, { concat: 'payload' });
    expect(encoded.parts).toHaveLength(1);
    const [part] = encoded.parts;
    expect(part.shortMessage).toHaveLength(0);
    expect(part.messagePayload).toHaveLength(200);
    expect(part.udhi).toBe(false);
    expect(part.text).toBe(text);
  });

  it('a single-part message carries no concat information with any method', () => {
    for (const concat of ['udh8', 'udh16', 'sar'] as const) {
      const [part] = encodeMessage('short', { concat }).parts;
      expect([part.udhi, part.sar]).toEqual([false, undefined]);
    }
  });

  it('picks a random reference in range when none is given', () => {
    const refs = new Set<number>();
    for (let i = 0; i < 50; i++) refs.add(udhOf(encodeMessage(text).parts[0])![3]);
    expect(refs.size).toBeGreaterThan(1);
    const sarRef = encodeMessage(text, { concat: 'sar' }).parts[0].sar!.refNum;
    expect(sarRef).toBeGreaterThanOrEqual(0);
    expect(sarRef).toBeLessThanOrEqual(0xffff);
  });
});

describe('encodeMessage: message class and flash', () => {
  it.each([
    [{ messageClass: 0 }, 'Hi', 0xf0],
    [{ messageClass: 1 }, 'Hi', 0xf1],
    [{ messageClass: 3 }, 'Hi', 0xf3],
    [{ messageClass: 0 }, 'Привет', 0x18],
    [{ messageClass: 2 }, 'Привет', 0x1a],
    [{ messageClass: 1, encoding: 'binary' }, '0102', 0xf5],
    [{}, 'Привет', 0x08],
    [{ encoding: 'latin1' }, 'café', 0x03],
    [{ encoding: 'binary' }, '0102', 0x04],
  ] as const)('%j %s -> data_coding %i', (options, text, dataCoding) => {
    const encoded = encodeMessage(text, options);
    expect(encoded.dataCoding).toBe(dataCoding);
    expect(encoded.parts.every((p) => p.dataCoding === dataCoding)).toBe(true);
  });

  it('rejects a class with latin1, which has no class-bearing data_coding', () => {
    expect(() => encodeMessage('café', { encoding: 'latin1', messageClass: 0 })).toThrow(expect.objectContaining({ field: 'messageClass' }));
  });
});
