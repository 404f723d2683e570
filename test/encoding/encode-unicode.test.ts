import { encodeMessage } from '../../src/encoding';
import { bodyOf, reassemble } from './reassemble';

const x = (n: number): string => 'ж'.repeat(n); // Cyrillic: forces UCS-2, one UTF-16 unit each

function endsWithHighSurrogate(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}

describe('encodeMessage: UCS-2', () => {
  it.each([
    ['Greek', 'Καλημέρα! Το ραντεβού σας είναι αύριο στις 10:00.'],
    ['Arabic', 'مرحبا، رمز التحقق الخاص بك هو 4821'],
    ['Hindi', 'नमस्ते, आपका सत्यापन कोड 4821 है। कृपया इसे किसी के साथ साझा न करें।'],
    ['Chinese', '您的验证码是4821，请勿告诉他人。'],
    ['Amharic', 'ሰላም፣ የማረጋገጫ ኮድዎ 4821 ነው።'],
  ])('%s goes out as UTF-16BE with data_coding 8', (_script, text) => {
    const encoded = encodeMessage(text);
    expect(encoded.encoding).toBe('ucs2');
    expect(encoded.dataCoding).toBe(8);
    expect(encoded.septetsOrOctets).toBe(text.length * 2);
    const bytes = Buffer.concat(encoded.parts.map(bodyOf));
    expect(bytes.equals(Buffer.from(text, 'utf16le').swap16())).toBe(true);
    expect(reassemble(encoded)).toBe(text);
  });

  it.each([
    ['70', x(70), [70]],
    ['71', x(71), [67, 4]],
    ['134', x(134), [67, 67]],
    ['135', x(135), [67, 67, 1]],
  ])('%s characters: parts of %j UTF-16 units', (_label, text, sizes) => {
    const encoded = encodeMessage(text);
    expect(encoded.parts.map((p) => bodyOf(p).length / 2)).toEqual(sizes);
  });

  it('66 units per part with a 16-bit reference', () => {
    expect(encodeMessage(x(100), { concat: 'udh16' }).parts.map((p) => bodyOf(p).length / 2)).toEqual([66, 34]);
  });

  it('never splits a surrogate pair: an emoji straddling the boundary moves to the next part', () => {
    const text = x(66) + '😀' + x(10);
    const encoded = encodeMessage(text);
    expect(encoded.parts.map((p) => p.text)).toEqual([x(66), '😀' + x(10)]);
    expect(encoded.parts.some((p) => endsWithHighSurrogate(p.text))).toBe(false);
    expect(reassemble(encoded)).toBe(text);
  });

  it('an emoji that ends exactly on the boundary stays in the first part', () => {
    const encoded = encodeMessage(x(65) + '😀' + x(10));
    expect(encoded.parts[0].text).toBe(x(65) + '😀');
  });

  it('keeps emoji sequences whole: skin tone, ZWJ family, flag, keycap', () => {
    for (const emoji of ['👍🏽', '👨‍👩‍👧', '🇩🇪', '1️⃣']) {
      for (let fill = 60; fill <= 67; fill++) {
        const text = x(fill) + emoji + x(20);
        const encoded = encodeMessage(text);
        expect(encoded.parts.some((p) => p.text.includes(emoji))).toBe(true);
        expect(reassemble(encoded)).toBe(text);
      }
    }
  });

  it('keeps a letter with its combining accent or vowel sign', () => {
    const text = x(66) + 'कि' + x(5); // क + vowel sign i (U+093F)
    const encoded = encodeMessage(text);
    expect(encoded.parts[1].text.startsWith('कि')).toBe(true);
  });

  it('mixed emoji and GSM text goes UCS-2 and counts code points', () => {
    const text = 'Party tonight 🎉🎉 bring 🍕 and {drinks}!';
    const encoded = encodeMessage(text);
    expect(encoded.encoding).toBe('ucs2');
    expect(encoded.characters).toBe(Array.from(text).length);
    expect(encoded.septetsOrOctets).toBe(text.length * 2);
    expect(reassemble(encoded)).toBe(text);
  });

  it('forced ucs2 sends plain ASCII as UCS-2', () => {
    const encoded = encodeMessage('Hi', { encoding: 'ucs2' });
    expect(encoded.parts[0].shortMessage.toString('hex')).toBe('00480069');
  });
});

describe('encodeMessage: latin1', () => {
  it('one octet per character, 140 / 134 per part, data_coding 3', () => {
    const text = 'Café crème, ß, ÿ. ' + 'é'.repeat(130);
    const encoded = encodeMessage(text, { encoding: 'latin1' });
    expect(encoded.dataCoding).toBe(3);
    expect(encoded.parts.map((p) => bodyOf(p).length)).toEqual([134, 14]);
    expect(bodyOf(encoded.parts[0]).subarray(0, 4).toString('latin1')).toBe('Café');
    expect(reassemble(encoded)).toBe(text);
    expect(encodeMessage('é'.repeat(140), { encoding: 'latin1' }).parts).toHaveLength(1);
  });

  it('rejects characters above U+00FF, naming them', () => {
    expect(() => encodeMessage('Price: 5€ 😀', { encoding: 'latin1' })).toThrow(/cannot be encoded as Latin-1: "€" \(U\+20AC\), "😀" \(U\+1F600\) are not/);
  });
});

describe('encodeMessage: binary', () => {
  it('takes hex (spaces allowed), 140 / 134 octets per part, data_coding 4', () => {
    const hex = '0a1B 2c3d'.repeat(40); // 160 bytes
    const encoded = encodeMessage(hex, { encoding: 'binary', reference: 1 });
    expect(encoded.dataCoding).toBe(4);
    expect(encoded.characters).toBe(160);
    expect(encoded.parts.map((p) => bodyOf(p).length)).toEqual([134, 26]);
    expect(bodyOf(encoded.parts[0]).subarray(0, 4).toString('hex')).toBe('0a1b2c3d');
    expect(encoded.parts.map((p) => p.text).join('')).toBe(hex.replace(/ /g, ''));
    expect(reassemble(encoded)).toBe(hex.replace(/ /g, '').toLowerCase());
  });

  it('names the bad hex and its position', () => {
    expect(() => encodeMessage('0102zz', { encoding: 'binary' })).toThrow(
      'The message is not valid hex for a binary SMS: "z" at position 4 is not a hex digit',
    );
    expect(() => encodeMessage('010', { encoding: 'binary' })).toThrow(/odd number of hex digits \(3\)/);
    expect(() => encodeMessage('   ', { encoding: 'binary' })).toThrow(/empty/);
  });
});
