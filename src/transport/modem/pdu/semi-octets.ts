/**
 * Semi-octet (swapped BCD) fields of 3GPP TS 23.040: address digits (9.1.2.3) and the service
 * centre time stamp (9.2.3.11).
 */
import { PduError } from './pdu-error';

/** Digit values 10-14 of the address alphabet (TS 24.008 table 10.5.118); 15 is the filler. */
const EXTRA_DIGITS = '*#abc';

function digitValue(char: string, field: string): number {
  if (char >= '0' && char <= '9') return char.charCodeAt(0) - 48;
  const extra = EXTRA_DIGITS.indexOf(char.toLowerCase());
  if (extra >= 0) return 10 + extra;
  throw new PduError(`${field} may only contain digits, *, #, a, b and c (got ${JSON.stringify(char)})`, field);
}

function digitChar(value: number): string {
  return value < 10 ? String(value) : EXTRA_DIGITS[value - 10];
}

/** '46708251358' -> 64 07 28 15 53 F8 (low nibble first, F fills an odd count). */
export function encodeSemiOctets(digits: string, field = 'address'): Buffer {
  const out = Buffer.alloc(Math.ceil(digits.length / 2), 0xff);
  for (let i = 0; i < digits.length; i++) {
    const value = digitValue(digits[i], field);
    const index = i >> 1;
    out[index] = i % 2 === 0 ? (out[index] & 0xf0) | value : (out[index] & 0x0f) | (value << 4);
  }
  return out;
}

/** Reads up to `count` digits (all when omitted); a filler nibble ends the digits. */
export function decodeSemiOctets(bytes: Uint8Array, count = bytes.length * 2): string {
  let digits = '';
  for (let i = 0; i < count && i < bytes.length * 2; i++) {
    const byte = bytes[i >> 1];
    const value = i % 2 === 0 ? byte & 0x0f : byte >> 4;
    if (value === 0x0f) break;
    digits += digitChar(value);
  }
  return digits;
}

export interface PduTimestamp {
  /** The instant, in UTC. */
  date: Date;
  /** The sender's local offset from UTC in minutes (quarters of an hour in the PDU). */
  utcOffsetMinutes: number;
}

function swappedBcd(byte: number): number {
  return (byte & 0x0f) * 10 + (byte >> 4);
}

function toSwappedBcd(value: number): number {
  return (value % 10 << 4) | Math.floor(value / 10);
}

/** Decodes a 7-octet TP-SCTS / TP-DT. Years 90-99 are read as 19xx, the rest as 20xx. */
export function decodeTimestamp(bytes: Uint8Array, field = 'timestamp'): PduTimestamp {
  if (bytes.length < 7) throw new PduError(`${field} needs 7 octets (got ${bytes.length})`, field);
  const yy = swappedBcd(bytes[0]);
  const year = yy >= 90 ? 1900 + yy : 2000 + yy;
  const tz = bytes[6];
  // The sign is bit 3 of the first (tens) digit; the rest is quarters of an hour in swapped BCD.
  const quarters = (tz & 0x07) * 10 + (tz >> 4);
  const utcOffsetMinutes = (tz & 0x08 ? -quarters : quarters) * 15;
  const localMs = Date.UTC(year, swappedBcd(bytes[1]) - 1, swappedBcd(bytes[2]), swappedBcd(bytes[3]), swappedBcd(bytes[4]), swappedBcd(bytes[5]));
  return { date: new Date(localMs - utcOffsetMinutes * 60_000), utcOffsetMinutes };
}

/** Encodes an instant as the sender's local time at `utcOffsetMinutes` (rounded to quarters). */
export function encodeTimestamp(date: Date, utcOffsetMinutes = 0): Buffer {
  const quarters = Math.round(utcOffsetMinutes / 15);
  if (Math.abs(quarters) > 79) throw new PduError(`time zone offset ${utcOffsetMinutes} minutes is out of range`, 'timestamp');
  const local = new Date(date.getTime() + quarters * 15 * 60_000);
  const tz = toSwappedBcd(Math.abs(quarters)) | (quarters < 0 ? 0x08 : 0);
  return Buffer.from([
    toSwappedBcd(local.getUTCFullYear() % 100),
    toSwappedBcd(local.getUTCMonth() + 1),
    toSwappedBcd(local.getUTCDate()),
    toSwappedBcd(local.getUTCHours()),
    toSwappedBcd(local.getUTCMinutes()),
    toSwappedBcd(local.getUTCSeconds()),
    tz,
  ]);
}
