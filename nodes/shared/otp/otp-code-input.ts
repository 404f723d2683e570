/**
 * Checks the code a user typed before it reaches the OTP core. Errors say what is wrong with
 * it (empty, not digits, length) but never repeat it: it may be a real code.
 */
import { FieldError } from '../errors/field-error';

export const MIN_CODE_LENGTH = 4;
export const MAX_CODE_LENGTH = 10;

/** Digits of the code: spaces people type inside it ('123 456') are dropped. */
export function readCodeInput(value: unknown, expectedLength?: number): string {
  if (value === undefined || value === null || value === '') {
    throw new FieldError('code', 'Code is empty: map the code the user entered, e.g. {{ $json.code }}');
  }
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new FieldError('code', 'Code must be a whole number of digits');
    // A number loses leading zeros ("012345" -> 12345): say so when the length is then wrong.
    text = String(value);
    if (expectedLength !== undefined && text.length !== expectedLength) {
      throw new FieldError('code', `Code must be ${expectedLength} digits, got a number with ${text.length}; pass the code as text so leading zeros are kept`);
    }
  } else if (typeof value === 'string') {
    text = value.replace(/\s+/g, '');
  } else {
    throw new FieldError('code', `Code must be text of digits, got ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  if (!/^\d+$/.test(text)) throw new FieldError('code', `Code must contain digits only (got ${text.length} characters with letters or symbols)`);
  if (expectedLength !== undefined && text.length !== expectedLength) {
    throw new FieldError('code', `Code must be ${expectedLength} digits, got ${text.length}`);
  }
  if (text.length < MIN_CODE_LENGTH || text.length > MAX_CODE_LENGTH) {
    throw new FieldError('code', `Code must be ${MIN_CODE_LENGTH}-${MAX_CODE_LENGTH} digits, got ${text.length}`);
  }
  return text;
}
