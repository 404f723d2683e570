/**
 * Lookup structures for one pair of GSM tables (locking shift + single shift), built once and
 * cached: encoding a character is an array read for ASCII and one Map read otherwise.
 */
import { GSM_ESCAPE, LockingShiftTable, SingleShiftTable, hasLockingShiftTable, lockingShiftTable, singleShiftTableFor } from './gsm-tables';
import type { NationalLanguage } from './types';

/** Which national tables to use; an absent entry means the default alphabet / extension table. */
export interface GsmTables {
  lockingShift?: NationalLanguage;
  singleShift?: NationalLanguage;
}

/** A code of the form ESCAPED | septet stands for the two septets ESC, septet. */
export const ESCAPED = 0x100;
export const NOT_IN_CHARSET = -1;

export interface GsmCharset {
  /** The tables in use, normalised: lockingShift only for a language that has a locking table. */
  readonly tables: Readonly<GsmTables>;
  readonly locking: LockingShiftTable;
  readonly single: SingleShiftTable;
  /** Code point (< 128) -> septet code, or NOT_IN_CHARSET. */
  readonly ascii: Int16Array;
  /** Code point (>= 128) -> septet code. */
  readonly others: ReadonlyMap<number, number>;
}

const cache = new Map<string, GsmCharset>();

export function gsmCharset(tables: GsmTables = {}): GsmCharset {
  const locking = tables.lockingShift && hasLockingShiftTable(tables.lockingShift) ? tables.lockingShift : undefined;
  const single = tables.singleShift;
  const key = `${locking ?? '-'}/${single ?? '-'}`;
  let charset = cache.get(key);
  if (!charset) {
    charset = buildCharset({ lockingShift: locking, singleShift: single });
    cache.set(key, charset);
  }
  return charset;
}

function buildCharset(tables: GsmTables): GsmCharset {
  const locking = lockingShiftTable(tables.lockingShift);
  const single = singleShiftTableFor(tables.singleShift);
  const codes = new Map<number, number>();
  // Escaped entries first, so a character present in both tables takes the one-septet code.
  for (const [septet, char] of single) codes.set(char.charCodeAt(0), ESCAPED | septet);
  locking.forEach((char, septet) => {
    if (septet !== GSM_ESCAPE) codes.set(char.charCodeAt(0), septet);
  });
  const ascii = new Int16Array(128).fill(NOT_IN_CHARSET);
  const others = new Map<number, number>();
  for (const [codePoint, code] of codes) {
    if (codePoint < 128) ascii[codePoint] = code;
    else others.set(codePoint, code);
  }
  const normalized: GsmTables = {};
  if (tables.lockingShift) normalized.lockingShift = tables.lockingShift;
  if (tables.singleShift) normalized.singleShift = tables.singleShift;
  return { tables: Object.freeze(normalized), locking, single, ascii, others };
}

/** The septet code of a code point in this charset, or NOT_IN_CHARSET. */
export function gsmCode(charset: GsmCharset, codePoint: number): number {
  if (codePoint < 128) return charset.ascii[codePoint];
  return charset.others.get(codePoint) ?? NOT_IN_CHARSET;
}
