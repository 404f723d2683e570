/**
 * Sender addresses (source_addr) with the SMPP TON/NPI each kind needs:
 *   alphanumeric  'MyShop'        TON 5 (alphanumeric) / NPI 0 (unknown); at most 11 GSM septets
 *   shortcode     '12345'         TON 3 (network specific) / NPI 0: a short code only means
 *                                 something inside the carrier's network, which TON 3 says
 *   international '+4915112345678' TON 1 / NPI 1, sent as digits without '+'
 *   national      '0151 12345678' (with a default country) TON 2 / NPI 1, sent as the national
 *                                 significant number without the trunk prefix (TS 23.040 9.1.2.5)
 */
import { getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { gsmCharset } from '../encoding/gsm-charset';
import { measureGsm } from '../encoding/gsm-measure';
import { PHONE_REASONS, PhoneNumberError } from './phone-number-error';
import { compactNumber, looksNumeric, resolveDefaultCountry } from './phone-text';

export interface SenderAddress {
  address: string;
  kind: 'alphanumeric' | 'shortcode' | 'international' | 'national';
  ton: number;
  npi: number;
}

export interface SenderOptions {
  defaultCountry?: string;
  /** Named in errors; default 'from'. */
  field?: string;
}

export const MAX_ALPHANUMERIC_SEPTETS = 11;
export const SHORT_CODE_DIGITS = { min: 3, max: 8 } as const;
/** E.164 allows at most 15 digits. */
const MAX_E164_DIGITS = 15;

function senderError(field: string, input: string, reason: string, detail: string): never {
  throw new PhoneNumberError(field, `${JSON.stringify(input)} is not a valid sender: ${detail}`, reason);
}

function alphanumeric(input: string, trimmed: string, field: string): SenderAddress {
  const measured = measureGsm(trimmed, gsmCharset(), false);
  if (measured.unsupported.length > 0) {
    senderError(
      field,
      input,
      PHONE_REASONS.notGsm,
      `an alphanumeric sender ID may only use GSM characters; ${measured.unsupported.map((c) => JSON.stringify(c)).join(', ')} cannot be sent`,
    );
  }
  const septets = measured.septets.length;
  if (septets > MAX_ALPHANUMERIC_SEPTETS) {
    const escaped = septets !== measured.count ? ` (characters such as € [ ] { } count as two)` : '';
    senderError(
      field,
      input,
      PHONE_REASONS.tooLong,
      `it is ${septets} characters long${escaped}; an alphanumeric sender ID has at most ${MAX_ALPHANUMERIC_SEPTETS}`,
    );
  }
  return { address: trimmed, kind: 'alphanumeric', ton: 5, npi: 0 };
}

function international(digits: string): SenderAddress {
  return { address: digits, kind: 'international', ton: 1, npi: 1 };
}

/**
 * The number read in the default country's national format, if valid there. Digits that start
 * with the country's calling code and are also a valid international number ("4915112345678"
 * with DE) are read as international: that is how people write a full number without '+'.
 */
function asNational(digits: string, country: CountryCode | undefined, asInternational?: PhoneNumber): PhoneNumber | undefined {
  if (!country) return undefined;
  const phone = parsePhoneNumberFromString(digits, country);
  if (!phone || !phone.isValid() || phone.country !== country) return undefined;
  if (asInternational?.isValid() && digits.startsWith(getCountryCallingCode(country))) return undefined;
  return phone;
}

function numeric(input: string, trimmed: string, country: CountryCode | undefined, field: string): SenderAddress {
  const { digits, international: written } = compactNumber(trimmed);
  if (digits.length > MAX_E164_DIGITS) {
    senderError(field, input, PHONE_REASONS.tooLong, `it has ${digits.length} digits; a phone number has at most ${MAX_E164_DIGITS}`);
  }
  if (written) {
    const phone = parsePhoneNumberFromString(`+${digits}`);
    if (!phone || !phone.isPossible()) {
      const reason = phone ? PHONE_REASONS.invalidLength : PHONE_REASONS.invalidCountryCode;
      senderError(field, input, reason, `not a possible international number (${reason})`);
    }
    return international(digits);
  }
  const asInternational = parsePhoneNumberFromString(`+${digits}`);
  const national = asNational(digits, country, asInternational);
  if (national) return { address: national.nationalNumber, kind: 'national', ton: 2, npi: 1 };
  if (digits.length < SHORT_CODE_DIGITS.min) {
    senderError(
      field,
      input,
      PHONE_REASONS.tooShort,
      `it has ${digits.length} digit${digits.length === 1 ? '' : 's'}; a short code has ${SHORT_CODE_DIGITS.min} to ${SHORT_CODE_DIGITS.max}`,
    );
  }
  if (digits.length <= SHORT_CODE_DIGITS.max) return { address: digits, kind: 'shortcode', ton: 3, npi: 0 };
  // Longer digits without + or a matching default country: an international number without its '+'.
  if (asInternational && asInternational.isPossible()) return international(digits);
  const options = country ? `a possible international number nor a valid number in ${country}` : 'nor a possible international number (start it with +)';
  return senderError(field, input, PHONE_REASONS.invalidNumber, `${digits.length} digits are neither a short code (3-8 digits), ${options}`);
}

export function parseSenderAddress(input: string, options: SenderOptions = {}): SenderAddress {
  const field = options.field ?? 'from';
  if (typeof input !== 'string') {
    throw new PhoneNumberError(field, `The sender must be text (got ${typeof input})`, PHONE_REASONS.notANumber);
  }
  const trimmed = input.trim();
  if (trimmed === '') throw new PhoneNumberError(field, 'The sender is empty', PHONE_REASONS.empty);
  const country = resolveDefaultCountry(options.defaultCountry);
  return looksNumeric(trimmed) ? numeric(input, trimmed, country, field) : alphanumeric(input, trimmed, field);
}
