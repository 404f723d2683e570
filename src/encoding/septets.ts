/**
 * Text <-> septet values (one number 0-127 per septet, escapes included), for the SMPP encoder
 * and for the GSM modem's PDU codec.
 */
import { EncodingError, describeCharacters } from './encoding-error';
import { ESCAPED, GsmTables, NOT_IN_CHARSET, gsmCharset, gsmCode } from './gsm-charset';
import { GSM_ESCAPE } from './gsm-tables';

/** Septets of `text`; throws EncodingError (field 'message') listing characters the tables lack. */
export function textToSeptets(text: string, tables?: GsmTables): number[] {
  const charset = gsmCharset(tables);
  const septets: number[] = [];
  const unsupported = new Set<string>();
  for (const char of text) {
    const code = gsmCode(charset, char.codePointAt(0) ?? 0);
    if (code === NOT_IN_CHARSET) unsupported.add(char);
    else if (code & ESCAPED) septets.push(GSM_ESCAPE, code & 0x7f);
    else septets.push(code);
  }
  if (unsupported.size > 0) {
    const chars = [...unsupported];
    throw new EncodingError(
      'message',
      `The message cannot be encoded as GSM-7: ${describeCharacters(chars)} ${chars.length === 1 ? 'is' : 'are'} not in the GSM alphabet`,
      chars,
    );
  }
  return septets;
}

/**
 * Text of septet values. Never throws: a value above 127 becomes U+FFFD; an escape followed by a
 * code the single shift table lacks shows the locking table's character (3GPP TS 23.038 6.2.1.1);
 * ESC ESC (reserved for a further table) shows a space; a trailing lone escape is dropped.
 */
export function septetsToText(septets: ArrayLike<number>, tables?: GsmTables): string {
  const { locking, single } = gsmCharset(tables);
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const septet = septets[i];
    if (septet > 0x7f || septet < 0) {
      text += '\uFFFD';
    } else if (septet !== GSM_ESCAPE) {
      text += locking[septet];
    } else if (i + 1 < septets.length) {
      const next = septets[++i];
      if (next === GSM_ESCAPE) text += ' ';
      else if (next > 0x7f || next < 0) text += '\uFFFD';
      else text += single.get(next) ?? locking[next];
    }
  }
  return text;
}
