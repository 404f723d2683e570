import { FieldError } from '../errors';
import { invisibleCharacterName } from './character-names';

/**
 * The error every encoding function throws for bad input. `field` names the input at fault
 * ('message' for the text itself, or the option name such as 'maxParts'), so a node can point
 * the user at the right parameter.
 */
export class EncodingError extends FieldError {
  /** Set when the text has characters the chosen encoding cannot carry (each listed once). */
  readonly unsupportedCharacters?: string[];

  constructor(field: string, problem: string, unsupportedCharacters?: string[]) {
    super(field, problem);
    this.name = 'EncodingError';
    if (unsupportedCharacters) this.unsupportedCharacters = unsupportedCharacters;
  }
}

/**
 * `"€" (U+20AC)`, or for a character nobody can see, its name: `U+FE0F VARIATION SELECTOR-16
 * (invisible)`, so the user knows what to delete.
 */
export function describeCharacter(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  const invisible = invisibleCharacterName(char);
  return invisible ? `U+${hex} ${invisible} (invisible)` : `${JSON.stringify(char)} (U+${hex})`;
}

export function describeCharacters(chars: readonly string[], limit = 10): string {
  const shown = chars.slice(0, limit).map(describeCharacter).join(', ');
  return chars.length > limit ? `${shown} and ${chars.length - limit} more` : shown;
}
