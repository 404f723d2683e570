/** What other layers use of src/errors/: nodes/ and credentials/ import it only through this file. */
export { FieldError } from './field-error';
