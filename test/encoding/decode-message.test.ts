import { decodeMessage, textToSeptets } from '../../src/encoding';

const UDHI = 0x40;
const septetBytes = (text: string): Buffer => Buffer.from(textToSeptets(text));
const ucs2 = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

describe('decodeMessage: data_coding values', () => {
  it.each([
    ['0 SMSC default = GSM-7 unpacked', 0x00, septetBytes('Hello @ €'), 'Hello @ €', 'gsm7', undefined],
    ['1 IA5 / ASCII', 0x01, Buffer.from('Hello'), 'Hello', 'ascii', undefined],
    ['3 Latin-1', 0x03, Buffer.from('café', 'latin1'), 'café', 'latin1', undefined],
    ['8 UCS-2', 0x08, ucs2('你好 😀'), '你好 😀', 'ucs2', undefined],
    ['4 binary', 0x04, Buffer.from([0xde, 0xad]), 'dead', 'binary', undefined],
    ['2 binary', 0x02, Buffer.from([0x01]), '01', 'binary', undefined],
    ['0xF0 GSM-7 class 0 (flash)', 0xf0, septetBytes('Flash'), 'Flash', 'gsm7', 0],
    ['0xF1 GSM-7 class 1', 0xf1, septetBytes('x'), 'x', 'gsm7', 1],
    ['0xF6 8-bit class 2', 0xf6, Buffer.from([0xff]), 'ff', 'binary', 2],
    ['0x10 GSM-7 class 0', 0x10, septetBytes('x'), 'x', 'gsm7', 0],
    ['0x11 GSM-7 class 1', 0x11, septetBytes('x'), 'x', 'gsm7', 1],
    ['0x15 8-bit class 1', 0x15, Buffer.from([0x7f]), '7f', 'binary', 1],
    ['0x18 UCS-2 class 0', 0x18, ucs2('Ω'), 'Ω', 'ucs2', 0],
    ['0x1B UCS-2 class 3', 0x1b, ucs2('Ω'), 'Ω', 'ucs2', 3],
    ['0x08|0x40 auto-deletion group UCS-2', 0x48, ucs2('Ω'), 'Ω', 'ucs2', undefined],
    ['0xE0 message waiting, UCS-2', 0xe0, ucs2('Ω'), 'Ω', 'ucs2', undefined],
    ['0xC0 message waiting, GSM-7', 0xc0, septetBytes('vm'), 'vm', 'gsm7', undefined],
    ['0x06 Cyrillic ISO-8859-5', 0x06, Buffer.from([0xbf, 0xe0, 0xd8]), 'При', 'latin1', undefined],
  ] as const)('%s', (_name, dataCoding, shortMessage, text, encoding, messageClass) => {
    const decoded = decodeMessage({ dataCoding, esmClass: 0, shortMessage });
    expect(decoded.text).toBe(text);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.messageClass).toBe(messageClass);
  });

  it('returns compressed user data (23.038 bit 5) as binary hex', () => {
    expect(decodeMessage({ dataCoding: 0x30, esmClass: 0, shortMessage: Buffer.from([0x12]) })).toMatchObject({
      text: '12',
      encoding: 'binary',
    });
  });
});

describe('decodeMessage: UDH and concatenation', () => {
  it('strips an 8-bit concat UDH and reports ref/total/seq', () => {
    const shortMessage = Buffer.concat([Buffer.from('0500032a0302', 'hex'), septetBytes('part two')]);
    expect(decodeMessage({ dataCoding: 0, esmClass: UDHI, shortMessage })).toEqual({
      text: 'part two',
      encoding: 'gsm7',
      charset: 'gsm-03.38',
      concat: { ref: 0x2a, total: 3, seq: 2, refBits: 8 },
      // A later part also says how it reads after an escape ending the part before it (an
      // escape split across parts); 'p' has no extension character, so it reads the same.
      textAfterEscape: 'part two',
    });
  });

  it('strips a 16-bit concat UDH from UCS-2', () => {
    const shortMessage = Buffer.concat([Buffer.from('06080412340201', 'hex'), ucs2('Привет')]);
    expect(decodeMessage({ dataCoding: 8, esmClass: UDHI | 0x04, shortMessage })).toMatchObject({
      text: 'Привет',
      concat: { ref: 0x1234, total: 2, seq: 1, refBits: 16 },
    });
  });

  it('reads national shift IEs and decodes with those tables', () => {
    // UDH: locking shift Turkish (25 01 01), single shift Turkish (24 01 01); 0x07 = ı, ESC 0x47 = Ğ
    const shortMessage = Buffer.concat([Buffer.from('06250101240101', 'hex'), Buffer.from([0x07, 0x1b, 0x47, 0x1d])]);
    expect(decodeMessage({ dataCoding: 0, esmClass: UDHI, shortMessage })).toMatchObject({
      text: 'ıĞş',
      nationalLanguage: { lockingShift: 1, singleShift: 1 },
    });
  });

  it('takes SAR values as concat info with refBits 0', () => {
    const decoded = decodeMessage({
      dataCoding: 0,
      esmClass: 0,
      shortMessage: septetBytes('x'),
      sar: { refNum: 500, totalSegments: 4, seqNum: 4 },
    });
    expect(decoded.concat).toEqual({ ref: 500, total: 4, seq: 4, refBits: 0 });
  });

  it('reads message_payload when short_message is empty', () => {
    const decoded = decodeMessage({ dataCoding: 8, esmClass: 0, shortMessage: Buffer.alloc(0), messagePayload: ucs2('long text') });
    expect(decoded.text).toBe('long text');
  });

  it('ignores a concat IE with seq 0 or seq > total, and skips unknown IEs', () => {
    const bad = Buffer.concat([Buffer.from('050003010200', 'hex'), septetBytes('a')]);
    expect(decodeMessage({ dataCoding: 0, esmClass: UDHI, shortMessage: bad }).concat).toBeUndefined();
    const withPort = Buffer.concat([Buffer.from('0b050400000000' + '0003070201', 'hex'), septetBytes('b')]);
    expect(decodeMessage({ dataCoding: 0, esmClass: UDHI, shortMessage: withPort })).toMatchObject({
      text: 'b',
      concat: { ref: 7, total: 2, seq: 1 },
    });
  });
});

describe('decodeMessage: garbage in, best effort out (never throws)', () => {
  it.each([
    ['UDH length past the end', { dataCoding: 0, esmClass: UDHI, shortMessage: Buffer.from([0x20, 0x41]) }, ' A'],
    ['odd-length UCS-2', { dataCoding: 8, esmClass: 0, shortMessage: Buffer.from([0x00, 0x41, 0x00]) }, 'A\uFFFD'],
    ['septet above 127', { dataCoding: 0, esmClass: 0, shortMessage: Buffer.from([0x41, 0xc8]) }, 'A\uFFFD'],
    ['ASCII above 127', { dataCoding: 1, esmClass: 0, shortMessage: Buffer.from([0x41, 0xe9]) }, 'A\uFFFD'],
    ['empty', { dataCoding: 0, esmClass: UDHI, shortMessage: Buffer.alloc(0) }, ''],
    ['data_coding out of range', { dataCoding: 0x1ff, esmClass: 0, shortMessage: Buffer.from([0x41]) }, '41'],
  ])('%s', (_name, input, text) => {
    expect(decodeMessage(input).text).toBe(text);
  });

  it('survives inputs outside the declared types', () => {
    const garbage = { dataCoding: 0, esmClass: 0, shortMessage: 42 } as unknown as Parameters<typeof decodeMessage>[0];
    expect(() => decodeMessage(garbage)).not.toThrow();
  });

  it('does not modify the caller buffer when decoding UCS-2', () => {
    const shortMessage = ucs2('AB');
    const copy = Buffer.from(shortMessage);
    decodeMessage({ dataCoding: 8, esmClass: 0, shortMessage });
    expect(shortMessage.equals(copy)).toBe(true);
  });
});
