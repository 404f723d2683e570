/**
 * GSM 03.38 character tables (3GPP TS 23.038 section 6.2.1 and Annex A): the default alphabet,
 * its extension table, and the national locking/single shift tables we support.
 *
 * A locking shift table replaces the whole 7-bit alphabet; a single shift table is reached through
 * the escape septet 0x1B and replaces the extension table. Spanish defines only a single shift
 * table (its locking table is the default alphabet).
 */
import type { NationalLanguage } from './types';

export const GSM_ESCAPE = 0x1b;

/** 128 characters indexed by septet; index 0x1B (escape) holds ''. */
export type LockingShiftTable = readonly string[];
/** Characters reachable as ESC + septet. */
export type SingleShiftTable = ReadonlyMap<number, string>;

/** Builds a locking table from 8 rows of 16 characters (`~` cannot stand for ESC, so '\x1b' does). */
function lockingTable(name: string, rows: readonly string[]): LockingShiftTable {
  const chars = Array.from(rows.join(''));
  if (rows.length !== 8 || chars.length !== 128) {
    throw new Error(`GSM table ${name} must have 128 characters, has ${chars.length}`);
  }
  chars[GSM_ESCAPE] = '';
  return Object.freeze(chars);
}

/** The characters every single shift table shares: form feed, ^ { } \ [ ~ ] | */
const COMMON_SINGLE_SHIFT: ReadonlyArray<[number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
];

function singleShiftTable(entries: ReadonlyArray<[number, string]>): SingleShiftTable {
  return new Map<number, string>([...COMMON_SINGLE_SHIFT, ...entries]);
}

export const DEFAULT_ALPHABET = lockingTable('default', [
  '@£$¥èéùìòÇ\nØø\rÅå',
  'Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ',
  ' !"#¤%&\'()*+,-./',
  '0123456789:;<=>?',
  '¡ABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÄÖÑÜ§',
  '¿abcdefghijklmno',
  'pqrstuvwxyzäöñüà',
]);

export const DEFAULT_EXTENSION: SingleShiftTable = singleShiftTable([[0x65, '€']]);

const TURKISH_LOCKING = lockingTable('tr', [
  '@£$¥€éùıòÇ\nĞğ\rÅå',
  'Δ_ΦΓΛΩΠΨΣΘΞ\x1bŞşßÉ',
  ' !"#¤%&\'()*+,-./',
  '0123456789:;<=>?',
  'İABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÄÖÑÜ§',
  'çabcdefghijklmno',
  'pqrstuvwxyzäöñüà',
]);

const PORTUGUESE_LOCKING = lockingTable('pt', [
  '@£$¥êéúíóç\nÔô\rÁá',
  'Δ_ªÇÀ∞^\\€Ó|\x1bÂâÊÉ',
  ' !"#º%&\'()*+,-./',
  '0123456789:;<=>?',
  'ÍABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÃÕÚÜ§',
  '~abcdefghijklmno',
  'pqrstuvwxyzãõ`üà',
]);

const TURKISH_SINGLE = singleShiftTable([
  [0x47, 'Ğ'],
  [0x49, 'İ'],
  [0x53, 'Ş'],
  [0x63, 'ç'],
  [0x65, '€'],
  [0x67, 'ğ'],
  [0x69, 'ı'],
  [0x73, 'ş'],
]);

const SPANISH_SINGLE = singleShiftTable([
  [0x09, 'ç'],
  [0x41, 'Á'],
  [0x49, 'Í'],
  [0x4f, 'Ó'],
  [0x55, 'Ú'],
  [0x61, 'á'],
  [0x65, '€'],
  [0x69, 'í'],
  [0x6f, 'ó'],
  [0x75, 'ú'],
]);

const PORTUGUESE_SINGLE = singleShiftTable([
  [0x05, 'ê'],
  [0x09, 'ç'],
  [0x0b, 'Ô'],
  [0x0c, 'ô'],
  [0x0e, 'Á'],
  [0x0f, 'á'],
  [0x12, 'Φ'],
  [0x13, 'Γ'],
  [0x15, 'Ω'],
  [0x16, 'Π'],
  [0x17, 'Ψ'],
  [0x18, 'Σ'],
  [0x19, 'Θ'],
  [0x1f, 'Ê'],
  [0x41, 'À'],
  [0x49, 'Í'],
  [0x4f, 'Ó'],
  [0x55, 'Ú'],
  [0x5b, 'Ã'],
  [0x5c, 'Õ'],
  [0x61, 'Â'],
  [0x65, '€'],
  [0x69, 'í'],
  [0x6f, 'ó'],
  [0x75, 'ú'],
  [0x7b, 'ã'],
  [0x7c, 'õ'],
  [0x7f, 'â'],
]);

/** National Language Identifiers of 3GPP TS 23.038 table 6.2.1.2.4.1. */
export const NATIONAL_LANGUAGE_IDS: Readonly<Record<NationalLanguage, number>> = { tr: 1, es: 2, pt: 3 };

const LANGUAGE_BY_ID: ReadonlyMap<number, NationalLanguage> = new Map([
  [1, 'tr'],
  [2, 'es'],
  [3, 'pt'],
]);

export function nationalLanguageById(id: number): NationalLanguage | undefined {
  return LANGUAGE_BY_ID.get(id);
}

const LOCKING_TABLES: Readonly<Partial<Record<NationalLanguage, LockingShiftTable>>> = {
  tr: TURKISH_LOCKING,
  pt: PORTUGUESE_LOCKING,
};

const SINGLE_TABLES: Readonly<Record<NationalLanguage, SingleShiftTable>> = {
  tr: TURKISH_SINGLE,
  es: SPANISH_SINGLE,
  pt: PORTUGUESE_SINGLE,
};

/** The default alphabet when the language has no locking table (Spanish) or none is asked. */
export function lockingShiftTable(language?: NationalLanguage): LockingShiftTable {
  return (language && LOCKING_TABLES[language]) || DEFAULT_ALPHABET;
}

export function singleShiftTableFor(language?: NationalLanguage): SingleShiftTable {
  return language ? SINGLE_TABLES[language] : DEFAULT_EXTENSION;
}

export function hasLockingShiftTable(language: NationalLanguage): boolean {
  return LOCKING_TABLES[language] !== undefined;
}
