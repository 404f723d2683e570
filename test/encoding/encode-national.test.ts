import { encodeMessage, estimateMessage } from '../../src/encoding';
import { bodyOf, reassemble, udhOf } from './reassemble';

const TURKISH =
  'Çocuklar bahçede oynuyor. Işık, ağaç, şeker, üzüm, göz, İzmir, Iğdır. Yarın sabah erkenden yola çıkacağız, ' +
  'hazır olun lütfen! Öğretmenimiz çok güzel bir ders anlattı.';
const SPANISH =
  '¿Dónde está la estación de autobuses? Mañana salimos a las ocho. Información y reservas: llámenos. ' + 'Él está aquí, ella también. ¡Buen viaje, José!';
const PORTUGUESE =
  'Atenção: a reunião será amanhã às 10h. Não se esqueça de trazer o relatório e os documentos. ' + 'Obrigado pela colaboração, João. Você é ótimo!';

describe('national language shift tables (3GPP TS 23.038 Annex A)', () => {
  it.each([
    ['Turkish', TURKISH, 'tr'],
    ['Spanish', SPANISH, 'es'],
    ['Portuguese', PORTUGUESE, 'pt'],
  ] as const)('%s text goes GSM-7 with fewer parts than UCS-2', (_name, text, language) => {
    const ucs2 = encodeMessage(text, { encoding: 'ucs2' });
    const national = encodeMessage(text);
    expect(national.encoding).toBe('gsm7');
    expect(national.nationalLanguage).toBe(language);
    expect(national.parts.length).toBeLessThan(ucs2.parts.length);
    expect(reassemble(national)).toBe(text);
    expect(estimateMessage(text)).toMatchObject({ encoding: 'gsm7', parts: national.parts.length, nationalLanguage: language });
  });

  it('signals the tables in the UDH: 0x25 locking shift, 0x24 single shift, language id', () => {
    const [part] = encodeMessage('şşş', { nationalLanguage: 'tr' }).parts; // Turkish locking table has ş as one septet
    expect(part.udhi).toBe(true);
    expect(udhOf(part)?.toString('hex')).toBe('03250101');
    expect([...bodyOf(part)]).toEqual([0x1d, 0x1d, 0x1d]);
    const [spanish] = encodeMessage('á', { nationalLanguage: 'es' }).parts; // Spanish has only a single shift table
    expect(udhOf(spanish)?.toString('hex')).toBe('03240102');
    expect([...bodyOf(spanish)]).toEqual([0x1b, 0x61]);
  });

  it('shrinks the part capacity by the shift IE: 155 septets alone, 149 with an 8-bit concat UDH', () => {
    expect(encodeMessage('ş'.repeat(155)).parts).toHaveLength(1);
    const split = encodeMessage('ş'.repeat(156), { reference: 9 });
    expect(split.parts.map((p) => bodyOf(p).length)).toEqual([149, 7]);
    expect(udhOf(split.parts[0])?.toString('hex')).toBe('080003090201250101');
  });

  it('148 septets per part with a 16-bit reference and one shift IE (UDH of 10 octets)', () => {
    const split = encodeMessage('ş'.repeat(200), { concat: 'udh16', nationalLanguage: 'tr' });
    expect(split.parts.map((p) => bodyOf(p).length)).toEqual([148, 52]);
  });

  it('146 septets per part with both shift IEs (UDH of 12 octets), 152 for one part', () => {
    const text = '1º Σ'; // º is only in the Portuguese locking table, Σ only in its single shift table
    const [single] = encodeMessage(text, { nationalLanguage: 'pt' }).parts;
    expect(udhOf(single)?.toString('hex')).toBe('06250103240103');
    expect(encodeMessage('º'.repeat(150) + 'Σ', { nationalLanguage: 'pt' }).parts).toHaveLength(1); // 152 septets
    expect(encodeMessage('º'.repeat(151) + 'Σ', { nationalLanguage: 'pt' }).parts).toHaveLength(2); // 153
    const long = '1º Σ '.repeat(40); // 40 * 6 septets = 240
    const split = encodeMessage(long, { nationalLanguage: 'pt' });
    expect(split.parts.map((p) => bodyOf(p).length)).toEqual([146, 94]);
    expect(reassemble(split)).toBe(long);
  });

  it('never splits an escape sequence under a single shift table', () => {
    const text = 'á'.repeat(100); // 200 septets, 149 per part: 74 escapes fit (148), not 74.5
    const encoded = encodeMessage(text, { nationalLanguage: 'es' });
    expect(encoded.parts.map((p) => bodyOf(p).length)).toEqual([148, 52]);
    expect(encoded.parts.map((p) => p.text.length)).toEqual([74, 26]);
    expect(reassemble(encoded)).toBe(text);
  });

  it("'auto' keeps UCS-2 when a shift table would not save parts", () => {
    const text = 'ş'; // one part either way: UCS-2 is better supported by handsets
    expect(encodeMessage(text).encoding).toBe('ucs2');
    expect(encodeMessage(text, { nationalLanguage: 'tr' }).encoding).toBe('gsm7');
  });

  it("'none' never uses national tables", () => {
    expect(encodeMessage(TURKISH, { nationalLanguage: 'none' }).encoding).toBe('ucs2');
    expect(() => encodeMessage(TURKISH, { encoding: 'gsm7', nationalLanguage: 'none' })).toThrow(/"ş" \(U\+015F\)/);
  });

  it("'auto' adds no UDH with SAR or message_payload; an explicit language does", () => {
    expect(encodeMessage(TURKISH, { concat: 'sar' }).encoding).toBe('ucs2');
    const sar = encodeMessage(TURKISH, { concat: 'sar', nationalLanguage: 'tr' });
    expect(sar.encoding).toBe('gsm7');
    expect(sar.parts.every((p) => p.udhi && p.sar !== undefined && udhOf(p)?.toString('hex') === '03250101')).toBe(true);
    expect(reassemble(sar)).toBe(TURKISH);
    const payload = encodeMessage(TURKISH, { concat: 'payload', nationalLanguage: 'tr' });
    expect(payload.parts[0].udhi).toBe(true);
    expect(reassemble(payload)).toBe(TURKISH);
  });

  it('forced gsm7 uses a national table when the default alphabet cannot carry the text', () => {
    const encoded = encodeMessage('Işık', { encoding: 'gsm7' });
    expect(encoded.nationalLanguage).toBe('tr');
    expect(reassemble(encoded)).toBe('Işık');
  });

  it('forced gsm7 names only the characters no table can carry', () => {
    expect(() => encodeMessage('Işık 你', { encoding: 'gsm7' })).toThrow(expect.objectContaining({ field: 'message', unsupportedCharacters: ['你'] }));
    expect(estimateMessage('Işık 你', { encoding: 'gsm7' })).toMatchObject({ unsupportedCharacters: ['你'], nationalLanguage: 'tr' });
  });

  it('prefers the default alphabet when it fits (no UDH overhead)', () => {
    const encoded = encodeMessage('Ça va? Ü ö ä ñ é', { nationalLanguage: 'tr' });
    expect(encoded.nationalLanguage).toBeUndefined();
    expect(encoded.parts[0].udhi).toBe(false);
  });
});
