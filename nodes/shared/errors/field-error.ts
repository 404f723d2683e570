// The class is defined in src/ so that the core can throw it too (src/ never imports nodes/).
export { FieldError } from '../../../src/errors';
