/** Shared parsing of the characters people type around phone numbers. */
import { isSupportedCountry } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { PHONE_REASONS, PhoneNumberError } from './phone-number-error';

/** Digits with the separators people type: spaces, dashes, brackets, dots, slashes; an optional leading +. */
const NUMERIC_INPUT = /^\+?[\d\s\-()./]+$/;
const SEPARATORS = /[\s\-()./]/g;
/** Kept here: a regular expression literal inside a function is a new RegExp object per call. */
const A_DIGIT = /\d/;

export function looksNumeric(input: string): boolean {
  return NUMERIC_INPUT.test(input) && A_DIGIT.test(input);
}

/**
 * '+4915...' for input written internationally (+ or 00 prefix), else the bare digits.
 * Call only after looksNumeric().
 */
export function compactNumber(input: string): { digits: string; international: boolean } {
  const compact = input.replace(SEPARATORS, '');
  if (compact.startsWith('+')) return { digits: compact.slice(1), international: true };
  if (compact.startsWith('00')) return { digits: compact.slice(2), international: true };
  return { digits: compact, international: false };
}

export function resolveDefaultCountry(defaultCountry: string | undefined): CountryCode | undefined {
  if (defaultCountry === undefined || defaultCountry.trim() === '') return undefined;
  const code = defaultCountry.trim().toUpperCase();
  if (!isSupportedCountry(code)) {
    throw new PhoneNumberError(
      'defaultCountry',
      `"${defaultCountry}" is not a known country: use a two-letter ISO 3166 code such as DE or US`,
      PHONE_REASONS.invalidDefaultCountry,
    );
  }
  return code;
}

/** libphonenumber-js error codes and length verdicts -> our reasons. */
export function reasonFromLibraryCode(code: string | undefined): string {
  switch (code) {
    case 'INVALID_COUNTRY':
      return PHONE_REASONS.invalidCountryCode;
    case 'TOO_SHORT':
      return PHONE_REASONS.tooShort;
    case 'TOO_LONG':
      return PHONE_REASONS.tooLong;
    case 'INVALID_LENGTH':
      return PHONE_REASONS.invalidLength;
    case 'NOT_A_NUMBER':
      return PHONE_REASONS.notANumber;
    default:
      return PHONE_REASONS.invalidNumber;
  }
}
