/** Phone numbers and countries for the OTP nodes: E.164 in, so Issue and Verify key the same way. */
import { isSupportedCountry } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import { normalizePhoneNumber } from '../../../src/phone';
import { FieldError } from '../errors/field-error';

/** An ISO 3166 alpha-2 code, upper-cased; undefined when empty. `label` names the field in errors. */
export function readCountryCode(value: unknown, field: string, label: string): string | undefined {
  const text = String(value ?? '')
    .trim()
    .toUpperCase();
  if (text === '') return undefined;
  if (!/^[A-Z]{2}$/.test(text) || !isSupportedCountry(text as CountryCode)) {
    throw new FieldError(field, `${label} "${String(value)}" is not a known country: use a two-letter ISO 3166 code such as DE or US`);
  }
  return text;
}

export interface OtpPhoneOptions {
  defaultCountry?: string;
  mobileOnly?: boolean;
}

/**
 * The number in E.164 ('+4915112345678'). National numbers need the default country; the
 * same number written either way gives the same verification.
 */
export function otpPhoneNumber(value: unknown, options: OtpPhoneOptions = {}): string {
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FieldError('phoneNumber', 'Phone Number is empty: give the number in international format, e.g. +4915112345678');
  }
  return normalizePhoneNumber(value, { defaultCountry: options.defaultCountry, mobileOnly: options.mobileOnly, field: 'phoneNumber' }).e164;
}
