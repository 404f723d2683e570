import fc from 'fast-check';
import { ConcatMethod, EncodeOptions, MessagePart, encodeMessage, gsmFillBits } from '../../src/encoding';
import { DEFAULT_ALPHABET, DEFAULT_EXTENSION } from '../../src/encoding/gsm-tables';
import { decodePart, reassemble } from './reassemble';

const STRINGS: ReadonlyArray<[string, string]> = [
  ['ASCII', 'Hello, world! Your code is 123456.'],
  ['GSM extension', 'Price {now}: [10€] ~ a|b ^ c\\d\fpage'],
  ['GSM 160', 'b'.repeat(160)],
  ['GSM 161', 'b'.repeat(161)],
  ['escape at boundary', 'c'.repeat(152) + '€' + 'd'.repeat(200)],
  ['long GSM', 'The quick brown fox jumps over the lazy dog. '.repeat(20)],
  ['Turkish', 'Işık, ağaç, şeker, İzmir, Iğdır; yarın sabah çıkacağız. '.repeat(4)],
  ['Spanish', '¿Dónde está la estación? Información: llámenos. '.repeat(4)],
  ['Portuguese', 'Atenção: a reunião será amanhã. Não se esqueça! '.repeat(4)],
  ['Greek', 'Καλημέρα! Το ραντεβού σας είναι αύριο στις 10:00. '.repeat(3)],
  ['Arabic', 'مرحبا، رمز التحقق الخاص بك هو 4821. '.repeat(4)],
  ['Hindi', 'नमस्ते, आपका सत्यापन कोड 4821 है। '.repeat(4)],
  ['Chinese', '您的验证码是4821，请勿告诉他人。'.repeat(6)],
  ['Amharic', 'ሰላም፣ የማረጋገጫ ኮድዎ 4821 ነው። '.repeat(5)],
  ['emoji at boundary', 'e'.repeat(66) + '😀' + 'f'.repeat(66) + '👨‍👩‍👧🇩🇪👍🏽'],
  ['mixed emoji and GSM', 'Party 🎉 at {8pm} — bring 🍕 & €5! '.repeat(5)],
];

/** User data octets on the air: GSM-7 septets are packed there (SMPP carries them unpacked). */
function airOctets(part: MessagePart, encoding: string): number {
  if (part.messagePayload) return 0; // the SMSC splits message_payload itself
  if (encoding !== 'gsm7') return part.shortMessage.length;
  const udh = part.udhi ? part.shortMessage[0] + 1 : 0;
  const septets = part.shortMessage.length - udh;
  return udh + Math.ceil((septets * 7 + gsmFillBits(udh)) / 8);
}

const CONCATS: readonly ConcatMethod[] = ['udh8', 'udh16', 'sar', 'payload'];

describe('round trip: encode, split, decode every part, join', () => {
  for (const [name, text] of STRINGS) {
    it.each(CONCATS)(`${name} with %s`, (concat) => {
      const encoded = encodeMessage(text, { concat, maxParts: 20 });
      expect(reassemble(encoded)).toBe(text);
      expect(encoded.parts.map((p) => p.text).join('')).toBe(text);
      for (const part of encoded.parts) expect(decodePart(part)).toBe(part.text);
      for (const part of encoded.parts) expect(airOctets(part, encoded.encoding)).toBeLessThanOrEqual(140);
    });
  }

  it('every GSM text in forced gsm7 and every text in forced ucs2', () => {
    for (const [, text] of STRINGS) {
      expect(reassemble(encodeMessage(text, { encoding: 'ucs2', maxParts: 30 }))).toBe(text);
    }
    for (const [, text] of STRINGS.slice(0, 9)) {
      expect(reassemble(encodeMessage(text, { encoding: 'gsm7', maxParts: 20 }))).toBe(text);
    }
  });
});

describe('round trip: generated texts (fast-check)', () => {
  const options = (concat: ConcatMethod): EncodeOptions => ({ concat, maxParts: 255 });
  const concat = fc.constantFrom<ConcatMethod>(...CONCATS);

  it('any Unicode text (including astral characters)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 400 }), concat, (text, method) => {
        const encoded = encodeMessage(text, options(method));
        expect(reassemble(encoded)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('any text from the GSM alphabet and extension table stays GSM-7', () => {
    const gsmChars = [...DEFAULT_ALPHABET.filter((c) => c !== ''), ...DEFAULT_EXTENSION.values()];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...gsmChars), minLength: 1, maxLength: 700 }), concat, (text, method) => {
        const encoded = encodeMessage(text, options(method));
        expect(encoded.encoding).toBe('gsm7');
        expect(reassemble(encoded)).toBe(text);
        for (const part of encoded.parts) {
          const body = part.udhi ? part.shortMessage.subarray(part.shortMessage[0] + 1) : part.shortMessage;
          expect(body[body.length - 1]).not.toBe(0x1b); // no part ends inside an escape
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any mix of Turkish / Portuguese / Spanish letters with national tables', () => {
    const letters = [...'abcçğışİöüÇĞŞãõáéíóúâêôÁÍÓÚ€{}º Σ'];
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...letters), minLength: 1, maxLength: 500 }),
        fc.constantFrom('auto', 'tr', 'es', 'pt') as fc.Arbitrary<'auto' | 'tr' | 'es' | 'pt'>,
        (text, nationalLanguage) => {
          expect(reassemble(encodeMessage(text, { nationalLanguage, maxParts: 255 }))).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
