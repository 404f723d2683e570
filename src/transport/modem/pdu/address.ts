/**
 * Address fields (3GPP TS 23.040 9.1.2.5): TP-DA / TP-OA / TP-RA, and the SMSC address that
 * precedes the TPDU in PDU mode (TS 27.005 3.1: its length counts octets, not digits).
 */
import { packSeptets, septetsToText, textToSeptets, unpackSeptets } from '../../../encoding';
import type { EncodingError } from '../../../encoding';
import type { OctetReader } from './octet-reader';
import { PduError } from './pdu-error';
import { decodeSemiOctets, encodeSemiOctets } from './semi-octets';

export const TON_UNKNOWN = 0;
export const TON_INTERNATIONAL = 1;
export const TON_NATIONAL = 2;
export const TON_ALPHANUMERIC = 5;
export const NPI_ISDN = 1;

export interface PduAddress {
  /** Digits (with a leading '+' when international) or the alphanumeric text. */
  address: string;
  /** Type of number (0-7) and numbering plan (0-15) from the type-of-address octet. */
  ton: number;
  npi: number;
}

function typeOfAddress(ton: number, npi: number): number {
  return 0x80 | ((ton & 0x07) << 4) | (npi & 0x0f);
}

/**
 * Encodes an address field. A number may start with '+' (then TON 1 is used unless given).
 * TON 5 encodes `address` as packed GSM-7 (at most 11 characters).
 */
export function encodeAddress(address: string, options: { ton?: number; npi?: number; field?: string } = {}): Buffer {
  const field = options.field ?? 'address';
  if (options.ton === TON_ALPHANUMERIC) {
    let septets: number[];
    try {
      septets = textToSeptets(address);
    } catch (err) {
      throw new PduError(`${field} ${JSON.stringify(address)}: ${(err as EncodingError).message}`, field);
    }
    if (septets.length > 11) throw new PduError(`${field} ${JSON.stringify(address)} is longer than 11 GSM characters`, field);
    const packed = packSeptets(septets);
    const semiOctets = Math.ceil((septets.length * 7) / 4);
    return Buffer.concat([Buffer.from([semiOctets, typeOfAddress(TON_ALPHANUMERIC, options.npi ?? 0)]), packed]);
  }
  const international = address.startsWith('+');
  const digits = international ? address.slice(1) : address;
  if (digits.length === 0) throw new PduError(`${field} is empty`, field);
  if (digits.length > 20) throw new PduError(`${field} ${JSON.stringify(address)} has more than 20 digits`, field);
  const ton = options.ton ?? (international ? TON_INTERNATIONAL : TON_UNKNOWN);
  return Buffer.concat([Buffer.from([digits.length, typeOfAddress(ton, options.npi ?? NPI_ISDN)]), encodeSemiOctets(digits, field)]);
}

/** Reads an address field: length in useful semi-octets, type of address, value. */
export function readAddress(reader: OctetReader, field: string): PduAddress {
  const semiOctets = reader.u8(`${field} length`);
  const toa = reader.u8(`${field} type`);
  const ton = (toa >> 4) & 0x07;
  const npi = toa & 0x0f;
  const value = reader.bytes(field, Math.ceil(semiOctets / 2));
  if (ton === TON_ALPHANUMERIC) {
    const septets = Math.floor((semiOctets * 4) / 7);
    return { address: septetsToText(unpackSeptets(value, septets)), ton, npi };
  }
  const digits = decodeSemiOctets(value, semiOctets);
  return { address: ton === TON_INTERNATIONAL ? `+${digits}` : digits, ton, npi };
}

/** The SMSC address before the TPDU: `00` means "use the SMSC stored in the modem". */
export function encodeSmscAddress(address?: string): Buffer {
  if (!address) return Buffer.from([0]);
  const international = address.startsWith('+');
  const digits = international ? address.slice(1) : address;
  if (!/^\d{1,20}$/.test(digits)) throw new PduError(`SMSC number ${JSON.stringify(address)} must be digits with an optional leading +`, 'smsc');
  const value = encodeSemiOctets(digits, 'smsc');
  return Buffer.concat([Buffer.from([value.length + 1, typeOfAddress(international ? TON_INTERNATIONAL : TON_UNKNOWN, NPI_ISDN)]), value]);
}

export function readSmscAddress(reader: OctetReader): PduAddress | undefined {
  const octets = reader.u8('SMSC address length');
  if (octets === 0) return undefined;
  const toa = reader.u8('SMSC address type');
  const ton = (toa >> 4) & 0x07;
  const digits = decodeSemiOctets(reader.bytes('SMSC address', octets - 1));
  return { address: ton === TON_INTERNATIONAL ? `+${digits}` : digits, ton, npi: toa & 0x0f };
}
