import { FieldError } from '../errors/field-error';

/** A whole-number parameter in [min, max]; the error names the field by its label and shows the value. */
export function readWholeNumber(value: unknown, field: string, label: string, min: number, max: number): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new FieldError(field, `${label} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value) ?? 'nothing'})`);
  }
  return number;
}
