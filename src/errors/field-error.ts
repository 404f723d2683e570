/** What a FieldError may say besides its field and problem. */
export interface FieldErrorOptions {
  /** The credential type the field belongs to (e.g. 'smppApi'); absent for a node's own parameters. */
  credential?: string;
  /** Advice under the message in place of "Check <field>", when checking the field is not what helps. */
  hint?: string;
  /** The whole message when it says more than the problem (e.g. "field: problem"); the problem by default. */
  message?: string;
}

/**
 * The user gave a bad value: `field` names it (as in the node or credential description),
 * `problem` says what is wrong with the value, `credential` is the credential type the field
 * belongs to (absent for the node's own parameters). Every error about a bad value extends it
 * (SmsRequestError, PhoneNumberError, EncodingError, OtpInputError, ...), so the node boundary
 * (nodes/shared/errors/node-error.ts) turns all of them into the same NodeOperationError naming the
 * field by its label on the panel. It lives in src/ (the bottom layer) so that every core module
 * throws it without importing nodes/ or n8n.
 */
export class FieldError extends Error {
  readonly field: string;
  readonly problem: string;
  // Declared, not defined: an error without them has no such keys at all.
  declare readonly credential?: string;
  declare readonly hint?: string;

  constructor(field: string, problem: string, options: FieldErrorOptions = {}) {
    super(options.message ?? problem);
    this.name = 'FieldError';
    this.field = field;
    this.problem = problem;
    if (options.credential !== undefined) this.credential = options.credential;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}
