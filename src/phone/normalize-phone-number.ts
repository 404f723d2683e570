/** Destination numbers to E.164 (libphonenumber-js with full metadata, for number types). */
import { ParseError, parsePhoneNumberWithError, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { PHONE_REASONS, PhoneNumberError } from './phone-number-error';
import { compactNumber, looksNumeric, reasonFromLibraryCode, resolveDefaultCountry } from './phone-text';
import { compiledNumberingPlans } from './compiled-numbering-plans';

export interface NormalizedNumber {
  /** '+4915112345678' */
  e164: string;
  /** '4915112345678': what goes into destination_addr. */
  digits: string;
  /** ISO 3166 code when the number belongs to one country. */
  country?: string;
  /** libphonenumber-js type: 'MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE', ... */
  type?: string;
  /** SMPP TON 1 (international) and NPI 1 (E.164). */
  ton: number;
  npi: number;
}

export interface NormalizeOptions {
  /** ISO 3166 code used for numbers written without a country code. */
  defaultCountry?: string;
  /** Reject numbers that are not mobile (FIXED_LINE_OR_MOBILE counts as mobile: US/CA numbers). */
  mobileOnly?: boolean;
  /** Named in errors; default 'to'. */
  field?: string;
  /**
   * The caller reads no `type` (a broadcast keeps only the E.164 form): the result has none, and
   * no getter is defined per number (it made each result a slow dictionary object, ~0.7 KB).
   * mobileOnly still checks the type.
   */
  withoutType?: boolean;
}

const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

function fail(field: string, input: string, reason: string, detail = reason): never {
  throw new PhoneNumberError(field, `${JSON.stringify(input)} is not a valid phone number: ${detail}`, reason);
}

function parse(input: string, text: string, defaultCountry: CountryCode | undefined, field: string): PhoneNumber {
  try {
    return parsePhoneNumberWithError(text, defaultCountry ? { defaultCountry } : undefined);
  } catch (error: unknown) {
    const code = error instanceof ParseError ? error.message : undefined;
    return fail(field, input, reasonFromLibraryCode(code));
  }
}

export function normalizePhoneNumber(input: string, options: NormalizeOptions = {}): NormalizedNumber {
  const field = options.field ?? 'to';
  if (typeof input !== 'string') {
    throw new PhoneNumberError(field, `The phone number must be text (got ${typeof input})`, PHONE_REASONS.notANumber);
  }
  const trimmed = input.trim();
  if (trimmed === '') throw new PhoneNumberError(field, 'The phone number is empty', PHONE_REASONS.empty);
  if (!looksNumeric(trimmed)) {
    fail(field, input, PHONE_REASONS.notANumber, 'not a number (only digits, spaces, dashes, brackets, dots and a leading + or 00)');
  }
  const defaultCountry = resolveDefaultCountry(options.defaultCountry);
  const { digits, international } = compactNumber(trimmed);
  if (!international && !defaultCountry) {
    fail(field, input, PHONE_REASONS.missingCountryCode, 'missing country code (start it with + or 00, or set a default country)');
  }
  // Answered on compiled patterns with the library's verdict (see compiled-numbering-plans.ts);
  // what the fast path cannot decide goes to the library.
  const fast = international
    ? compiledNumberingPlans.validInternational(digits)
    : defaultCountry
      ? compiledNumberingPlans.validNationalInput(digits, defaultCountry)
      : null;
  if (fast) return withType(numberOf(`+${fast.digits}`, fast.digits, fast.country), input, options, null);
  const text = international ? `+${digits}` : digits;
  const phone = parse(input, text, defaultCountry, field);
  if (!phone.isValid()) {
    const lengthProblem = validatePhoneNumberLength(text, defaultCountry ? { defaultCountry } : undefined);
    const reason = reasonFromLibraryCode(lengthProblem);
    const where = phone.country ?? `+${phone.countryCallingCode}`;
    fail(field, input, reason, reason === PHONE_REASONS.invalidNumber ? `not a number in use in ${where}` : reason);
  }
  return withType(numberOf(phone.number, phone.number.slice(1), phone.country), input, options, phone);
}

/** One object literal per shape (with or without a country): no property added afterwards, no map transition per number. */
function numberOf(e164: string, digits: string, country: string | undefined): NormalizedNumber {
  return country ? { e164, digits, ton: 1, npi: 1, country } : { e164, digits, ton: 1, npi: 1 };
}

/**
 * Adds the number type. The type is the most expensive answer (every type's pattern is tried):
 * only mobileOnly needs it up front; otherwise it is computed when read. `parsed`: the library's
 * parse, or null when the compiled plans answered (they give the type too). No closure is made
 * unless the type is asked for (a broadcast normalises 1,000,000 numbers without one).
 */
function withType(result: NormalizedNumber, input: string, options: NormalizeOptions, parsed: PhoneNumber | null): NormalizedNumber {
  // Checked before typed(): a function whose closures capture its locals allocates their context
  // on entry, even when it returns before making one (~80 bytes per number in a broadcast).
  if (!options.mobileOnly && options.withoutType) return result;
  return typed(result, input, options, parsed);
}

function typed(result: NormalizedNumber, input: string, options: NormalizeOptions, parsed: PhoneNumber | null): NormalizedNumber {
  const getType = (): string | undefined => (parsed ? parsed.getType() : compiledNumberingPlans.typeOf(result.digits, result.country));
  if (options.mobileOnly) {
    const type = getType();
    if (!(type && MOBILE_TYPES.has(type))) {
      const kind = type ? `a ${type.toLowerCase().replace(/_/g, ' ')} number` : 'of an unknown type';
      throw new PhoneNumberError(
        options.field ?? 'to',
        `${JSON.stringify(input)} is not a mobile number (it is ${kind}) and mobileOnly is on`,
        PHONE_REASONS.notMobile,
      );
    }
    result.type = type;
    return result;
  }
  let lazy: string | undefined | null = null;
  Object.defineProperty(result, 'type', {
    enumerable: true,
    configurable: true,
    get: () => (lazy === null ? (lazy = getType()) : lazy),
  });
  return result;
}
