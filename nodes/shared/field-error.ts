/** A bad value in a credential or parameter: `field` names it, the message says what is wrong. */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'FieldError';
  }
}
