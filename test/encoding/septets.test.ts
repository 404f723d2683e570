import { EncodingError, gsmFillBits, packSeptets, septetsToText, textToSeptets, unpackSeptets } from '../../src/encoding';
import { DEFAULT_ALPHABET, DEFAULT_EXTENSION, lockingShiftTable, singleShiftTableFor } from '../../src/encoding/gsm-tables';

describe('packSeptets / unpackSeptets against published vectors', () => {
  it.each([
    ['hellohello', 'e8329bfd4697d9ec37'], // 3GPP TS 23.040 example, also in most PDU tutorials
    ['How are you?', 'c8f71d14969741f977fd07'], // the SMS-DELIVER example of the PDU-mode guides
  ])('%s packs to %s and back', (text, hex) => {
    const septets = textToSeptets(text);
    expect(packSeptets(septets).toString('hex')).toBe(hex);
    expect(septetsToText(unpackSeptets(Buffer.from(hex, 'hex'), septets.length))).toBe(text);
  });

  it('puts fill bits first (hand-computed)', () => {
    expect(packSeptets([0x41], 1).toString('hex')).toBe('82'); // 1000001 then one zero bit
    expect(packSeptets([0x41], 6).toString('hex')).toBe('4010'); // 0x41 << 6 = 0x1040
    expect(unpackSeptets(Buffer.from('4010', 'hex'), 1, 6)).toEqual([0x41]);
  });

  it('round-trips every fill bit count for all 128 septet values', () => {
    const septets = Array.from({ length: 128 }, (_, i) => i);
    for (let fill = 0; fill <= 6; fill++) {
      const packed = packSeptets(Uint8Array.from(septets), fill);
      expect(packed.length).toBe(Math.ceil((fill + 7 * 128) / 8));
      expect(unpackSeptets(packed, 128, fill)).toEqual(septets);
    }
  });

  it('computes fill bits after a UDH so septets start on a septet boundary', () => {
    expect(gsmFillBits(6)).toBe(1); // 8-bit concat UDH: 48 bits + 1 = 49 = 7 septets
    expect(gsmFillBits(7)).toBe(0); // 16-bit concat UDH: 56 bits
    expect(gsmFillBits(9)).toBe(5); // concat + one national shift IE: 72 + 5 = 77
    expect(gsmFillBits(0)).toBe(0);
  });

  it('rejects an impossible fill bit count and stops at the end of a short buffer', () => {
    expect(() => packSeptets([1], 7)).toThrow(RangeError);
    expect(unpackSeptets(Buffer.from([0xff]), 5)).toEqual([0x7f]);
  });
});

describe('textToSeptets / septetsToText', () => {
  it('maps every default-alphabet character to its own septet', () => {
    DEFAULT_ALPHABET.forEach((char, septet) => {
      if (septet === 0x1b) return;
      expect(textToSeptets(char)).toEqual([septet]);
    });
  });

  it('escapes every extension character with 0x1B', () => {
    const expected: Record<string, number> = { '\f': 0x0a, '^': 0x14, '{': 0x28, '}': 0x29, '\\': 0x2f, '[': 0x3c, '~': 0x3d, ']': 0x3e, '|': 0x40, '€': 0x65 };
    expect(DEFAULT_EXTENSION.size).toBe(10);
    for (const [char, septet] of Object.entries(expected)) {
      expect(textToSeptets(char)).toEqual([0x1b, septet]);
      expect(septetsToText([0x1b, septet])).toBe(char);
    }
  });

  it('uses national tables when asked', () => {
    expect(textToSeptets('ış', { lockingShift: 'tr' })).toEqual([0x07, 0x1d]);
    expect(textToSeptets('ış', { singleShift: 'tr' })).toEqual([0x1b, 0x69, 0x1b, 0x73]);
    expect(textToSeptets('ção', { lockingShift: 'pt' })).toEqual([0x09, 0x7b, 0x6f]);
    expect(textToSeptets('á', { singleShift: 'es' })).toEqual([0x1b, 0x61]);
    expect(septetsToText([0x04, 0x1b, 0x49], { lockingShift: 'tr', singleShift: 'tr' })).toBe('€İ');
  });

  it('throws EncodingError naming every character outside the tables', () => {
    let error: unknown;
    try {
      textToSeptets('Hi 你好 😀');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EncodingError);
    expect((error as EncodingError).field).toBe('message');
    expect((error as EncodingError).unsupportedCharacters).toEqual(['你', '好', '😀']);
    expect((error as EncodingError).message).toContain('"你" (U+4F60)');
  });

  it('decodes garbage without throwing', () => {
    expect(septetsToText([0x80, 0x48, 0x1b, 0x1b, 0x1b])).toBe('\uFFFDH '); // bad value, ESC ESC, trailing ESC
    expect(septetsToText([0x1b, 0x41])).toBe('A'); // unknown escape shows the main table character
  });
});

describe('national tables match node-smpp (an independent transcription of TS 23.038)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const defs = require('smpp/lib/defs') as { gsmCoder?: Record<string, { chars: string }> };
  const coder = defs.gsmCoder ?? {};
  it.each([
    ['default', undefined, 'GSM'],
    ['tr', 'tr', 'GSM_TR'],
    ['pt', 'pt', 'GSM_PT'],
  ] as const)('%s locking shift table', (_name, language, key) => {
    const theirs = Array.from(coder[key]?.chars ?? '');
    expect(theirs).toHaveLength(128);
    const ours = lockingShiftTable(language).map((char, septet) => (septet === 0x1b ? '\x1b' : char));
    expect(ours).toEqual(theirs);
  });

  it('single shift tables hold the letters of Annex A', () => {
    expect([...singleShiftTableFor('tr').values()].join('')).toContain('ĞİŞç€ğış');
    expect([...singleShiftTableFor('es').values()].join('')).toContain('ÁÍÓÚá€íóú');
    expect(singleShiftTableFor('pt').get(0x7f)).toBe('â');
    expect(singleShiftTableFor('es').get(0x09)).toBe('ç');
  });
});
