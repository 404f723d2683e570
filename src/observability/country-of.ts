import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * The ISO 3166 country of a handset number as a receipt gives it (international digits, with
 * or without '+'), or 'unknown'. Called per receipt, not per submit.
 */
export function countryOf(number: string, ton?: number): string {
  const digits = number.replace(/[^\d+]/g, '');
  // TON 1 is international; other numbers are tried as international too (carriers often leave TON 0).
  if (digits.length < 6 || (ton !== undefined && ton !== 0 && ton !== 1)) return 'unknown';
  const parsed = parsePhoneNumberFromString(digits.startsWith('+') ? digits : `+${digits}`);
  // A range newer than the library's metadata has no exact country: the calling code's first one (+44 -> GB) still sorts it right.
  return parsed?.country ?? parsed?.getPossibleCountries()[0] ?? 'unknown';
}
