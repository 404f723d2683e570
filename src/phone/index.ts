/** Phone numbers (E.164 destinations) and sender addresses with their SMPP TON/NPI. */
export { normalizePhoneNumber } from './normalize-phone-number';
export type { NormalizedNumber, NormalizeOptions } from './normalize-phone-number';
export { parseSenderAddress, MAX_ALPHANUMERIC_SEPTETS, SHORT_CODE_DIGITS } from './sender-address';
export type { SenderAddress, SenderOptions } from './sender-address';
export { PhoneNumberError, PHONE_REASONS } from './phone-number-error';
// Used by nodes/ and credentials/.
export { resolveDefaultCountry } from './phone-text';
