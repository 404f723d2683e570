import { EncodingError, encodeMessage, estimateMessage } from '../../src/encoding';

describe('estimateMessage', () => {
  it.each([
    ['short GSM', 'Hello', {}, { encoding: 'gsm7', parts: 1, charactersPerPart: 160, characters: 5, unsupportedCharacters: [] }],
    ['long GSM', 'a'.repeat(200), {}, { encoding: 'gsm7', parts: 2, charactersPerPart: 153, characters: 200 }],
    ['UCS-2', 'Привет'.repeat(20), {}, { encoding: 'ucs2', parts: 2, charactersPerPart: 67, characters: 120 }],
    ['udh16 UCS-2', 'Привет'.repeat(20), { concat: 'udh16' }, { parts: 2, charactersPerPart: 66 }],
    ['payload', 'a'.repeat(200), { concat: 'payload' }, { parts: 2, charactersPerPart: 153 }],
    ['binary 140', '00'.repeat(140), { encoding: 'binary' }, { encoding: 'binary', parts: 1, charactersPerPart: 140, characters: 140 }],
    ['binary 141', '00'.repeat(141), { encoding: 'binary' }, { encoding: 'binary', parts: 2, charactersPerPart: 134, characters: 141 }],
    ['latin1', 'é'.repeat(140), { encoding: 'latin1' }, { encoding: 'latin1', parts: 1, charactersPerPart: 140 }],
    ['Turkish', 'ş'.repeat(200), {}, { encoding: 'gsm7', parts: 2, charactersPerPart: 149, nationalLanguage: 'tr' }],
  ] as const)('%s', (_name, text, options, expected) => {
    expect(estimateMessage(text, options)).toMatchObject(expected);
  });

  it('lists characters forced gsm7 cannot carry instead of throwing, counting each as one septet', () => {
    expect(estimateMessage('Hi “there” … 你好', { encoding: 'gsm7' })).toEqual({
      encoding: 'gsm7',
      parts: 1,
      charactersPerPart: 160,
      characters: 15,
      unsupportedCharacters: ['“', '”', '…', '你', '好'],
    });
  });

  it('lists bad hex for binary and characters outside Latin-1', () => {
    expect(estimateMessage('01zz02', { encoding: 'binary' }).unsupportedCharacters).toEqual(['z']);
    expect(estimateMessage('a€', { encoding: 'latin1' }).unsupportedCharacters).toEqual(['€']);
  });

  it('reports more parts than maxParts without throwing (a cost estimate)', () => {
    expect(estimateMessage('a'.repeat(2000)).parts).toBe(14);
  });

  it('throws for an empty text', () => {
    expect(() => estimateMessage('')).toThrow(new EncodingError('message', 'The message is empty; there is nothing to send'));
  });
});

describe('transliteration', () => {
  const text = 'It’s “great” — really… see you at 5\u00A0pm';

  it('is off by default: auto goes UCS-2, forced gsm7 lists the characters', () => {
    expect(encodeMessage(text).encoding).toBe('ucs2');
    expect(() => encodeMessage(text, { encoding: 'gsm7' })).toThrow(
      /"’" \(U\+2019\), "“" \(U\+201C\), "”" \(U\+201D\), "—" \(U\+2014\), "…" \(U\+2026\), U\+00A0 NO-BREAK SPACE \(invisible\) are not/,
    );
  });

  it('names what the panel calls the options, and invisible characters in words', () => {
    // A heart with its emoji presentation selector: the selector is the character nobody can see.
    expect(() => encodeMessage('I \u2764\uFE0F you', { encoding: 'gsm7' })).toThrow(
      'The message cannot be encoded as GSM-7: "\u2764" (U+2764), U+FE0F VARIATION SELECTOR-16 (invisible) are not in its character set ' +
        '(set Encoding to Automatic or UCS-2 to send them, or turn on Replace Look-Alike Characters)',
    );
    expect(() => encodeMessage('a\u200Db', { encoding: 'latin1' })).toThrow(
      'U+200D ZERO WIDTH JOINER (invisible) is not in its character set (set Encoding to Automatic or UCS-2 to send them)',
    );
  });

  it('replaces look-alikes when on, keeping the original slice in part.text', () => {
    const encoded = encodeMessage(text, { transliterate: true });
    expect(encoded.encoding).toBe('gsm7');
    expect(encoded.parts[0].text).toBe(text);
    expect(Buffer.from(encoded.parts[0].shortMessage).toString('latin1')).toBe('It\'s "great" - really... see you at 5 pm');
  });

  it('still falls back to UCS-2 for characters without a look-alike', () => {
    expect(encodeMessage('“你好”', { transliterate: true }).encoding).toBe('ucs2');
    expect(() => encodeMessage('“你好”', { encoding: 'gsm7', transliterate: true })).toThrow(/"你" \(U\+4F60\), "好" \(U\+597D\) are not/);
  });

  it('prefers a national table (exact text) over transliteration', () => {
    const encoded = encodeMessage('ş'.repeat(100), { transliterate: true });
    expect(encoded.nationalLanguage).toBe('tr');
  });
});

describe('option and input errors name the field', () => {
  it.each([
    ['empty text', '', {}, 'message', 'The message is empty; there is nothing to send'],
    ['bad encoding', 'x', { encoding: 'utf8' }, 'encoding', 'encoding must be one of auto, gsm7, ucs2, latin1, binary (got "utf8")'],
    ['bad concat', 'x', { concat: 'udh' }, 'concat', 'concat must be one of udh8, udh16, sar, payload (got "udh")'],
    ['maxParts 0', 'x', { maxParts: 0 }, 'maxParts', 'maxParts must be an integer from 1 to 255 (got 0)'],
    ['maxParts 256', 'x', { maxParts: 256 }, 'maxParts', 'maxParts must be an integer from 1 to 255 (got 256)'],
    ['maxParts 1.5', 'x', { maxParts: 1.5 }, 'maxParts', 'maxParts must be an integer from 1 to 255 (got 1.5)'],
    ['class 4', 'x', { messageClass: 4 }, 'messageClass', 'messageClass must be an integer from 0 to 3 (0 = flash) (got 4)'],
    ['udh8 ref 256', 'x', { reference: 256 }, 'reference', "reference must be an integer from 0 to 255 for concat 'udh8' (got 256)"],
    ['language', 'x', { nationalLanguage: 'de' }, 'nationalLanguage', 'nationalLanguage must be one of none, auto, tr, es, pt (got "de")'],
    ['transliterate', 'x', { transliterate: 'yes' }, 'transliterate', 'transliterate must be true or false (got "yes")'],
  ])('%s', (_name, text, options, field, message) => {
    let error: unknown;
    try {
      encodeMessage(text, options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EncodingError);
    expect(error).toMatchObject({ field, message });
  });

  it('accepts 16-bit references with udh16 and sar', () => {
    expect(encodeMessage('a'.repeat(200), { concat: 'udh16', reference: 65535 }).parts[0].shortMessage.subarray(3, 5).toString('hex')).toBe('ffff');
    expect(encodeMessage('a'.repeat(200), { concat: 'sar', reference: 65535 }).parts[0].sar?.refNum).toBe(65535);
  });

  it('rejects a non-string message', () => {
    expect(() => encodeMessage(42 as unknown as string)).toThrow('The message must be text (got number)');
  });
});
