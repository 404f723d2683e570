import { FieldError } from '../errors';
import type { SendRefusalCode } from './types';

/** A malformed argument or option. The message names the field; it never echoes a code or secret. */
export class OtpInputError extends FieldError {
  override readonly name = 'OtpInputError';
  constructor(field: string, problem: string) {
    super(field, problem, { message: `${field}: ${problem}` });
  }
}

/** A send refused by the per-verification limits or the SMS-pumping guard; nothing was sent. */
export class OtpRefusedError extends Error {
  override readonly name = 'OtpRefusedError';
  constructor(
    readonly code: SendRefusalCode,
    message: string,
    /** Whole seconds after which the same request may succeed; absent when waiting will not help. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** What to do next, in the panel's words: the refusal, when to retry, and that nothing went out. */
  get advice(): string {
    const wait = this.retryAfterSeconds === undefined ? 'Waiting will not help.' : `Retry in ${this.retryAfterSeconds} s.`;
    return `Refused: ${this.code}. ${wait} Nothing was sent.`;
  }
}

/** The store kept changing under us (many concurrent writers on one verification); try again. */
export class OtpConflictError extends Error {
  override readonly name = 'OtpConflictError';
}

/**
 * An authenticator enrolment refused: the user already has a confirmed authenticator and the
 * caller did not ask to replace it. The enrolled authenticator keeps working.
 */
export class TotpEnrolRefusedError extends Error {
  override readonly name = 'TotpEnrolRefusedError';
  readonly code = 'already_enrolled';

  /** What the refusal leaves as it was. */
  get advice(): string {
    return `Refused: ${this.code}. Nothing was enrolled; the user's authenticator keeps working.`;
  }
}
