/** Validates EncodeOptions and fills in defaults; errors name the option and the bad value. */
import { EncodingError } from './encoding-error';
import type { ConcatMethod, EncodeOptions, EncodingChoice, NationalLanguageOption } from './types';

export interface ResolvedOptions {
  encoding: EncodingChoice;
  concat: ConcatMethod;
  maxParts: number;
  transliterate: boolean;
  nationalLanguage: NationalLanguageOption;
  messageClass?: 0 | 1 | 2 | 3;
  reference?: number;
}

const ENCODINGS: readonly EncodingChoice[] = ['auto', 'gsm7', 'ucs2', 'latin1', 'binary'];
const CONCATS: readonly ConcatMethod[] = ['udh8', 'udh16', 'sar', 'payload'];
const LANGUAGES: readonly NationalLanguageOption[] = ['none', 'auto', 'tr', 'es', 'pt'];
/** The part count and sequence number are one octet in the UDH and in the SAR TLVs. */
export const MAX_PARTS_LIMIT = 255;

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new EncodingError(field, `${field} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

function integerIn(field: string, value: unknown, min: number, max: number, hint = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new EncodingError(field, `${field} must be an integer from ${min} to ${max}${hint} (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function resolveOptions(options: EncodeOptions = {}): ResolvedOptions {
  const encoding = oneOf('encoding', options.encoding, ENCODINGS, 'auto');
  const concat = oneOf('concat', options.concat, CONCATS, 'udh8');
  const nationalLanguage = oneOf('nationalLanguage', options.nationalLanguage, LANGUAGES, 'auto');
  const maxParts = options.maxParts === undefined ? 10 : integerIn('maxParts', options.maxParts, 1, MAX_PARTS_LIMIT);
  if (options.transliterate !== undefined && typeof options.transliterate !== 'boolean') {
    throw new EncodingError('transliterate', `transliterate must be true or false (got ${JSON.stringify(options.transliterate)})`);
  }
  const resolved: ResolvedOptions = {
    encoding,
    concat,
    maxParts,
    transliterate: options.transliterate === true,
    nationalLanguage,
  };
  if (options.messageClass !== undefined) {
    resolved.messageClass = integerIn('messageClass', options.messageClass, 0, 3, ' (0 = flash)') as 0 | 1 | 2 | 3;
  }
  if (options.reference !== undefined) {
    const max = concat === 'udh8' ? 0xff : 0xffff;
    resolved.reference = integerIn('reference', options.reference, 0, max, ` for concat '${concat}'`);
  }
  return resolved;
}

export function randomReference(concat: ConcatMethod): number {
  return Math.floor(Math.random() * (concat === 'udh8' ? 0x100 : 0x10000));
}
