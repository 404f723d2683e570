/** User Data Header (3GPP TS 23.040 9.2.3.24): building and best-effort parsing. */
import type { ConcatInfo } from './types';

export const IEI_CONCAT_8BIT = 0x00;
export const IEI_CONCAT_16BIT = 0x08;
export const IEI_NATIONAL_SINGLE_SHIFT = 0x24;
export const IEI_NATIONAL_LOCKING_SHIFT = 0x25;

/** Octets each information element takes in a UDH (IEI + length + data). */
export const CONCAT_8BIT_IE_OCTETS = 5;
export const CONCAT_16BIT_IE_OCTETS = 6;
export const NATIONAL_SHIFT_IE_OCTETS = 3;

export interface UdhElement {
  id: number;
  data: Uint8Array;
}

/** [UDHL, IEI, IEDL, data..., ...]. */
export function buildUdh(elements: readonly UdhElement[]): Buffer {
  let length = 0;
  for (const element of elements) length += 2 + element.data.length;
  const udh = Buffer.alloc(1 + length);
  udh[0] = length;
  let position = 1;
  for (const element of elements) {
    udh[position++] = element.id;
    udh[position++] = element.data.length;
    udh.set(element.data, position);
    position += element.data.length;
  }
  return udh;
}

export function concatElement(refBits: 8 | 16, ref: number, total: number, seq: number): UdhElement {
  if (refBits === 8) return { id: IEI_CONCAT_8BIT, data: Uint8Array.of(ref & 0xff, total, seq) };
  return { id: IEI_CONCAT_16BIT, data: Uint8Array.of((ref >> 8) & 0xff, ref & 0xff, total, seq) };
}

export function nationalShiftElements(lockingShiftId?: number, singleShiftId?: number): UdhElement[] {
  const elements: UdhElement[] = [];
  if (lockingShiftId !== undefined) elements.push({ id: IEI_NATIONAL_LOCKING_SHIFT, data: Uint8Array.of(lockingShiftId) });
  if (singleShiftId !== undefined) elements.push({ id: IEI_NATIONAL_SINGLE_SHIFT, data: Uint8Array.of(singleShiftId) });
  return elements;
}

export interface ParsedUdh {
  /** Octets the UDH takes at the start of the user data, UDHL included. */
  length: number;
  elements: UdhElement[];
  concat?: ConcatInfo;
  lockingShift?: number;
  singleShift?: number;
}

/**
 * Parses the UDH at the start of `userData`. Undefined when the header length runs past the data.
 * An element that overruns the header ends parsing; a concat element with total 0, seq 0 or
 * seq > total is ignored, as 3GPP TS 23.040 9.2.3.24.1 says.
 */
export function parseUdh(userData: Uint8Array): ParsedUdh | undefined {
  if (userData.length < 1) return undefined;
  const headerLength = userData[0];
  if (1 + headerLength > userData.length) return undefined;
  const parsed: ParsedUdh = { length: 1 + headerLength, elements: [] };
  let position = 1;
  const end = 1 + headerLength;
  while (position + 2 <= end) {
    const id = userData[position];
    const dataLength = userData[position + 1];
    if (position + 2 + dataLength > end) break;
    const data = userData.subarray(position + 2, position + 2 + dataLength);
    parsed.elements.push({ id, data });
    readElement(parsed, id, data);
    position += 2 + dataLength;
  }
  return parsed;
}

function readElement(parsed: ParsedUdh, id: number, data: Uint8Array): void {
  if (id === IEI_CONCAT_8BIT && data.length === 3) {
    setConcat(parsed, { ref: data[0], total: data[1], seq: data[2], refBits: 8 });
  } else if (id === IEI_CONCAT_16BIT && data.length === 4) {
    setConcat(parsed, { ref: (data[0] << 8) | data[1], total: data[2], seq: data[3], refBits: 16 });
  } else if (id === IEI_NATIONAL_LOCKING_SHIFT && data.length === 1) {
    parsed.lockingShift = data[0];
  } else if (id === IEI_NATIONAL_SINGLE_SHIFT && data.length === 1) {
    parsed.singleShift = data[0];
  }
}

function setConcat(parsed: ParsedUdh, concat: ConcatInfo): void {
  if (concat.total === 0 || concat.seq === 0 || concat.seq > concat.total) return;
  parsed.concat = concat;
}
