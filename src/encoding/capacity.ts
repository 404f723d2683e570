/**
 * Capacity of one SMS part: 140 octets of user data minus the UDH. GSM-7 counts septets
 * (floor(octets * 8 / 7): 160 without UDH, 153 with an 8-bit concat UDH), UCS-2 counts UTF-16
 * units (70 / 67), 8-bit encodings count octets (140 / 134).
 */
import { CONCAT_16BIT_IE_OCTETS, CONCAT_8BIT_IE_OCTETS, NATIONAL_SHIFT_IE_OCTETS } from './udh';
import type { ConcatMethod, MessageEncoding } from './types';

export const USER_DATA_OCTETS = 140;

export interface PartCapacity {
  /** When the whole message fits one part (no concat element). */
  single: number;
  /** Per part when the message is split. */
  multi: number;
  /** UDH octets (UDHL included; 0 = no UDH) in each case, as the handset receives it. */
  singleUdhOctets: number;
  multiUdhOctets: number;
}

function unitsIn(encoding: MessageEncoding, octets: number): number {
  if (encoding === 'gsm7') return Math.floor((octets * 8) / 7);
  if (encoding === 'ucs2') return Math.floor(octets / 2);
  return octets;
}

function udhOctets(elementOctets: number): number {
  return elementOctets === 0 ? 0 : 1 + elementOctets;
}

/**
 * SAR and message_payload carry no UDH from us, but the SMSC adds an 8-bit concat UDH when it
 * delivers the parts, so a part holds what a 'udh8' part holds.
 */
export function partCapacity(encoding: MessageEncoding, concat: ConcatMethod, nationalShiftIes: number): PartCapacity {
  const national = nationalShiftIes * NATIONAL_SHIFT_IE_OCTETS;
  const concatIe = concat === 'udh16' ? CONCAT_16BIT_IE_OCTETS : CONCAT_8BIT_IE_OCTETS;
  const singleUdhOctets = udhOctets(national);
  const multiUdhOctets = udhOctets(national + concatIe);
  return {
    single: unitsIn(encoding, USER_DATA_OCTETS - singleUdhOctets),
    multi: unitsIn(encoding, USER_DATA_OCTETS - multiUdhOctets),
    singleUdhOctets,
    multiUdhOctets,
  };
}
