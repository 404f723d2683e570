/**
 * Picks the GSM tables for a text: the default alphabet when it fits, else the national
 * locking/single shift tables (3GPP TS 23.038 Annex A) that need the fewest parts.
 */
import { PartCapacity, partCapacity } from './capacity';
import { GsmTables, gsmCharset } from './gsm-charset';
import { GsmMeasuredText, measureGsm } from './gsm-measure';
import type { ResolvedOptions } from './options';
import { partCount } from './segmentation';
import type { NationalLanguage } from './types';

export interface GsmCandidate {
  measured: GsmMeasuredText;
  capacity: PartCapacity;
  parts: number;
  language?: NationalLanguage;
  /** National shift elements in the UDH (0, 1 or 2). */
  shiftElements: number;
}

export interface GsmChoice {
  /** The best candidate that encodes every character, if any. */
  best?: GsmCandidate;
  /** The candidate with the fewest unsupported characters, for error messages and estimates. */
  closest(): GsmCandidate;
}

const TABLE_COMBINATIONS: Readonly<Record<NationalLanguage, readonly GsmTables[]>> = {
  tr: [{ singleShift: 'tr' }, { lockingShift: 'tr' }, { lockingShift: 'tr', singleShift: 'tr' }],
  es: [{ singleShift: 'es' }],
  pt: [{ singleShift: 'pt' }, { lockingShift: 'pt' }, { lockingShift: 'pt', singleShift: 'pt' }],
};

const coverageCache = new Map<NationalLanguage, ReadonlySet<number>>();

/** Every code point that some combination of this language's tables (or the default ones) encodes. */
function languageCoverage(language: NationalLanguage): ReadonlySet<number> {
  let coverage = coverageCache.get(language);
  if (!coverage) {
    const codePoints = new Set<number>();
    for (const tables of [{}, ...TABLE_COMBINATIONS[language]]) {
      const charset = gsmCharset(tables);
      charset.ascii.forEach((code, codePoint) => code >= 0 && codePoints.add(codePoint));
      for (const codePoint of charset.others.keys()) codePoints.add(codePoint);
    }
    coverage = codePoints;
    coverageCache.set(language, coverage);
  }
  return coverage;
}

/** A language can help only if its tables have every character the default alphabet lacks. */
function worthTrying(language: NationalLanguage, standard: GsmMeasuredText): boolean {
  const coverage = languageCoverage(language);
  for (const char of standard.unsupported) {
    if (!coverage.has(char.codePointAt(0) ?? 0)) return false;
  }
  if (standard.unsupported.length > 0) return true;
  // The default alphabet fits through look-alikes: a national table helps if it has one exactly.
  return standard.transliteratedCodePoints.some((codePoint) => coverage.has(codePoint));
}

function candidate(text: string, tables: GsmTables, options: ResolvedOptions, language?: NationalLanguage, quick = false): GsmCandidate {
  const measured = measureGsm(text, gsmCharset(tables), options.transliterate, quick);
  const shiftElements = (tables.lockingShift ? 1 : 0) + (tables.singleShift ? 1 : 0);
  const capacity = partCapacity('gsm7', options.concat, shiftElements);
  return { measured, capacity, parts: partCount(measured, capacity), language, shiftElements };
}

/** Languages whose tables may be tried under these options. */
function languagesToTry(options: ResolvedOptions): NationalLanguage[] {
  const choice = options.nationalLanguage;
  if (choice === 'none') return [];
  if (choice !== 'auto') return [choice];
  // 'auto' adds a UDH only where we build it ourselves (not SAR / message_payload).
  return options.concat === 'udh8' || options.concat === 'udh16' ? ['tr', 'es', 'pt'] : [];
}

/** Exact text beats transliterated text, then fewer parts, then a smaller UDH, then fewer septets. */
function better(a: GsmCandidate, b: GsmCandidate): boolean {
  if (a.measured.transliterated !== b.measured.transliterated) return a.measured.transliterated < b.measured.transliterated;
  if (a.parts !== b.parts) return a.parts < b.parts;
  if (a.shiftElements !== b.shiftElements) return a.shiftElements < b.shiftElements;
  return a.measured.septets.length < b.measured.septets.length;
}

/**
 * `acceptNational` decides whether a fitting national candidate may be used (with encoding
 * 'auto' and nationalLanguage 'auto': only when it needs fewer parts than UCS-2).
 */
export function chooseGsmTables(text: string, options: ResolvedOptions, acceptNational: (candidate: GsmCandidate) => boolean): GsmChoice {
  const standard = candidate(text, {}, options);
  if (standard.measured.unsupported.length === 0 && standard.measured.transliterated === 0) {
    return { best: standard, closest: () => standard };
  }
  let best = standard.measured.unsupported.length === 0 ? standard : undefined;
  const languages = languagesToTry(options);
  for (const language of languages) {
    if (!worthTrying(language, standard.measured)) continue;
    for (const tables of TABLE_COMBINATIONS[language]) {
      const national = candidate(text, tables, options, language, true);
      if (national.measured.stoppedAt !== undefined || !acceptNational(national)) continue;
      if (!best || better(national, best)) best = national;
    }
  }
  // Only for error messages and estimates of text GSM-7 cannot carry: full passes are fine here.
  const closest = (): GsmCandidate => {
    let result = standard;
    for (const language of languages) {
      for (const tables of TABLE_COMBINATIONS[language]) {
        const full = candidate(text, tables, options, language);
        if (full.measured.unsupported.length < result.measured.unsupported.length) result = full;
      }
    }
    return result;
  };
  return { best, closest };
}
