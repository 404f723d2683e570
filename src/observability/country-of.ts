import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { compiledNumberingPlans } from '../phone/compiled-numbering-plans';

/** Numbers the fast path could not place, with the library's answer (bounded: emptied when full). */
const SLOW_ANSWERS_MAX = 10_000;
const slowAnswers = new Map<string, string>();

/**
 * The ISO 3166 country of a handset number as a receipt gives it (international digits, with
 * or without '+'), or 'unknown'. Called per receipt: a valid number is placed on the compiled
 * numbering plans (src/phone/compiled-numbering-plans.ts, the verdict of libphonenumber-js/max
 * without its per-match RegExp building); only the rest go to the library, remembered.
 */
export function countryOf(number: string, ton?: number): string {
  // TON 1 is international; other numbers are tried as international too (carriers often leave TON 0).
  if (ton !== undefined && ton !== 0 && ton !== 1) return 'unknown';
  const digits = plainDigits(number);
  if (digits.length < 6) return 'unknown';
  const fast = compiledNumberingPlans.validInternational(digits)?.country;
  if (fast !== undefined) return fast;
  let answer = slowAnswers.get(digits);
  if (answer === undefined) {
    const parsed = parsePhoneNumberFromString(`+${digits}`);
    // A range newer than the library's metadata has no exact country: the calling code's first one (+44 -> GB) still sorts it right.
    answer = parsed?.country ?? parsed?.getPossibleCountries()[0] ?? 'unknown';
    if (slowAnswers.size >= SLOW_ANSWERS_MAX) slowAnswers.clear();
    slowAnswers.set(digits, answer);
  }
  return answer;
}

/** The digits of `number` ('+447700...' -> '447700...'); receipts mostly carry plain digits already. */
function plainDigits(number: string): string {
  let plain = true;
  for (let i = 0; i < number.length; i++) {
    const c = number.charCodeAt(i);
    if (c < 48 || c > 57) {
      plain = false;
      break;
    }
  }
  return plain ? number : number.replace(/\D/g, '');
}
