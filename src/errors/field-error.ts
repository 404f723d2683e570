/**
 * A bad value in a credential or parameter: `field` names it (as in the node or credential
 * description), the message says what is wrong, and `credential` is the credential type the field
 * belongs to (absent for the node's own parameters). nodes/shared/field-label.ts says where it is
 * in the panel's words. It lives in src/ (the bottom layer) so that core code reading credential
 * fields throws it without importing nodes/.
 */
export class FieldError extends Error {
  constructor(readonly field: string, message: string, readonly credential?: string) {
    super(message);
    this.name = 'FieldError';
  }
}
