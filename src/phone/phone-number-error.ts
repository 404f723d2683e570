/**
 * Thrown for a phone number or sender address that cannot be used. `field` names the input
 * ('to', 'from', ...), `reason` is a short stable phrase (e.g. 'invalid country code', 'too
 * short', 'not a mobile number'), and the message names the value and its problem.
 */
export class PhoneNumberError extends Error {
  readonly field: string;
  readonly reason: string;

  constructor(field: string, reason: string, message: string) {
    super(message);
    this.name = 'PhoneNumberError';
    this.field = field;
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
