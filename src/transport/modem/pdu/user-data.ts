/**
 * TP-UDL / TP-UD (3GPP TS 23.040 9.2.3.16 and 9.2.3.24).
 *
 * We hand user data around "SMPP style": the UDH octets followed by one septet per octet for
 * GSM-7 (what src/encoding produces for submit_sm) or the raw octets for 8-bit / UCS-2. On the
 * air GSM-7 is packed, and after a UDH it starts on the next septet boundary (fill bits), while
 * TP-UDL counts septets, UDH included.
 */
import { gsmFillBits, packSeptets, unpackSeptets } from '../../../encoding';
import { PduError } from './pdu-error';
import type { PduAlphabet } from './tp-dcs';

export const MAX_USER_DATA_OCTETS = 140;

export interface EncodedUserData {
  /** TP-UDL: septets for GSM-7 (UDH and fill bits included), octets otherwise. */
  length: number;
  /** TP-UD octets. */
  data: Buffer;
}

function udhOctetsOf(userData: Uint8Array, field: string): number {
  if (userData.length === 0) throw new PduError(`${field} has the UDH indicator set but no header`, field);
  const octets = userData[0] + 1;
  if (octets > userData.length) throw new PduError(`${field} header length ${userData[0]} runs past the data`, field);
  return octets;
}

/** Packs SMPP-style user data for TP-UD. */
export function encodeUserData(userData: Uint8Array, alphabet: PduAlphabet, udhi: boolean): EncodedUserData {
  if (alphabet !== 'gsm7') {
    if (userData.length > MAX_USER_DATA_OCTETS) {
      throw new PduError(`user data is ${userData.length} octets; one SMS carries at most ${MAX_USER_DATA_OCTETS}`, 'userData');
    }
    return { length: userData.length, data: Buffer.from(userData) };
  }
  const udhOctets = udhi ? udhOctetsOf(userData, 'userData') : 0;
  const fill = udhi ? gsmFillBits(udhOctets) : 0;
  const septets = userData.subarray(udhOctets);
  for (const septet of septets) {
    if (septet > 0x7f) throw new PduError(`GSM-7 user data holds octet 0x${septet.toString(16)}, which is not a septet`, 'userData');
  }
  const data = Buffer.concat([Buffer.from(userData.subarray(0, udhOctets)), packSeptets(septets, fill)]);
  if (data.length > MAX_USER_DATA_OCTETS) {
    throw new PduError(`user data packs to ${data.length} octets; one SMS carries at most ${MAX_USER_DATA_OCTETS}`, 'userData');
  }
  return { length: udhi ? (udhOctets * 8 + fill) / 7 + septets.length : septets.length, data };
}

/**
 * Unpacks TP-UD to SMPP-style user data. Tolerant like a handset: data shorter than TP-UDL
 * gives what is there, extra octets are ignored.
 */
export function decodeUserData(length: number, data: Uint8Array, alphabet: PduAlphabet, udhi: boolean): Buffer {
  if (alphabet !== 'gsm7') return Buffer.from(data.subarray(0, length));
  if (!udhi) return Buffer.from(unpackSeptets(data, length));
  const udhOctets = udhOctetsOf(data, 'TP-UD');
  const fill = gsmFillBits(udhOctets);
  const bodySeptets = Math.max(0, length - (udhOctets * 8 + fill) / 7);
  return Buffer.concat([Buffer.from(data.subarray(0, udhOctets)), Buffer.from(unpackSeptets(data.subarray(udhOctets), bodySeptets, fill))]);
}
