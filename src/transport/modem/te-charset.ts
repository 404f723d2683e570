/**
 * Strings in the TE character set of AT+CSCS (TS 27.007 5.5), as text mode shows texts and
 * addresses: "UCS2" is hex of UTF-16, "HEX" hex of GSM 7-bit codes, "GSM" the GSM 7-bit codes
 * as bytes (so '@' is 0x00 and '{' is ESC 0x28), "IRA" plain ASCII. Writing a text to the
 * "> " prompt is only safe when none of its bytes ends or cancels the prompt (Ctrl-Z, Esc) or
 * starts a new line (CR, LF): the hex sets always are; GSM and IRA are checked, and a text that
 * cannot be typed is refused with the characters named, never written.
 */
import { septetsToText, textToSeptets } from '../../encoding';
import { describeCharacters } from '../../encoding/encoding-error';
import { PduError } from './pdu';

const CTRL_Z = 0x1a;
const ESC = 0x1b;
const UNTYPEABLE = new Set([CTRL_Z, ESC, 0x0a, 0x0d]);

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
const isHex = (value: string, unit: number): boolean => value.length % unit === 0 && /^[0-9A-Fa-f]*$/.test(value);

function ucs2Hex(text: string): string {
  return hexOf(Buffer.from(text, 'utf16le').swap16());
}

/** `text` in the TE character set, to write (an address, or a GSM-7 text after the prompt). */
export function encodeTe(text: string, charset: string, field = 'text'): string {
  if (charset === 'UCS2') return ucs2Hex(text);
  const untypeable = new Set<string>();
  if (charset === 'IRA') {
    for (const char of text) if (!/^[\x20-\x7e]$/.test(char)) untypeable.add(char);
    if (untypeable.size === 0) return text;
  } else {
    let septets: number[];
    try {
      septets = textToSeptets(text);
    } catch (err) {
      throw new PduError(`${field}: ${(err as Error).message}`, field);
    }
    if (charset === 'HEX') return hexOf(Uint8Array.from(septets));
    const chars = [...text];
    for (const char of chars) if (textToSeptets(char).some((s) => UNTYPEABLE.has(s))) untypeable.add(char);
    if (untypeable.size === 0) return String.fromCharCode(...septets);
  }
  throw new PduError(
    `this modem offers only text mode in the ${charset} character set, in which ${describeCharacters([...untypeable])} cannot be typed (they would end, cancel or break the message): remove ${untypeable.size === 1 ? 'it' : 'them'}`,
    field,
  );
}

/** A text-mode text or address in the TE character set as a string; throws on hex that is not. */
export function decodeTe(value: string, charset: string): string {
  if (charset === 'UCS2') {
    if (!isHex(value, 4)) throw new Error(`"${value.slice(0, 20)}" is not UCS2 hex`);
    return Buffer.from(value, 'hex').swap16().toString('utf16le');
  }
  if (charset === 'HEX') {
    if (!isHex(value, 2)) throw new Error(`"${value.slice(0, 20)}" is not hex`);
    return septetsToText(Buffer.from(value, 'hex'));
  }
  if (charset === 'GSM') return septetsToText(Buffer.from(value, 'latin1'));
  return value;
}

/**
 * An address field (<oa>, <da>, <ra>): in the TE character set on a real modem ("002B0034..."
 * after AT+CSCS="UCS2"), as plain digits on others; whichever reads as an address. `numeric`
 * (from <tooa>, when shown): true for a phone number, false for an alphanumeric sender name.
 */
export function decodeTeAddress(value: string, charset: string, numeric?: boolean): string {
  if (charset !== 'UCS2' && charset !== 'HEX') return value;
  let decoded: string;
  try {
    decoded = decodeTe(value, charset);
  } catch {
    return value; // not in the character set: this modem shows addresses as they are
  }
  if (numeric === true) return /^\+?[0-9*#]+$/.test(decoded) ? decoded : value;
  if (numeric === false) return decoded;
  return decoded.length > 0 && /^[\x20-\x7e\u00a0-\u024f]+$/.test(decoded) ? decoded : value;
}

/** Octets shown as hex in text mode (8-bit and UCS2 data, or anything with a user data header). */
export function hexToOctets(value: string): Buffer {
  if (!isHex(value, 2)) throw new Error(`"${value.slice(0, 20)}" is not hex`);
  return Buffer.from(value, 'hex');
}

export { hexOf };
