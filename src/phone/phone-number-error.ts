import { FieldError } from '../errors';
/**
 * Thrown for a phone number or sender address that cannot be used. `field` names the input
 * ('to', 'from', ...), `reason` is a short stable phrase (e.g. 'invalid country code', 'too
 * short', 'not a mobile number'), and the message names the value and its problem.
 */
export class PhoneNumberError extends FieldError {
  /** Why, as one of PHONE_REASONS (for callers that count or translate them). */
  readonly reason: string;

  constructor(field: string, problem: string, reason: string) {
    super(field, problem);
    this.name = 'PhoneNumberError';
    this.reason = reason;
  }
}

export const PHONE_REASONS = {
  empty: 'empty',
  notANumber: 'not a number',
  tooShort: 'too short',
  tooLong: 'too long',
  invalidLength: 'invalid length',
  invalidCountryCode: 'invalid country code',
  missingCountryCode: 'missing country code',
  invalidNumber: 'invalid number',
  notMobile: 'not a mobile number',
  invalidDefaultCountry: 'invalid default country',
  notGsm: 'characters outside the GSM alphabet',
} as const;
