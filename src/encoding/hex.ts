/** Hex input for 'binary' messages: whitespace is ignored, anything else must be a hex digit. */
import { EncodingError } from './encoding-error';
import type { MeasuredText } from './measured-text';

export interface HexMeasuredText extends MeasuredText {
  /** The input without whitespace; unit i (one byte) is hex.slice(2i, 2i + 2). */
  hex: string;
  bytes: Buffer;
  /** The first problem found, for the error message (undefined when the input is valid hex). */
  problem?: string;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

export function measureHex(input: string): HexMeasuredText {
  let hex = '';
  let problem: string | undefined;
  const unsupported = new Set<string>();
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (isWhitespace(code)) continue;
    if (hexValue(code) < 0) {
      const char = String.fromCodePoint(input.codePointAt(i) ?? code);
      problem ??= `${JSON.stringify(char)} at position ${i} is not a hex digit`;
      unsupported.add(char);
      if (char.length === 2) i++;
      continue;
    }
    hex += input[i];
  }
  if (!problem && hex.length % 2 === 1) {
    problem = `it has an odd number of hex digits (${hex.length}); each byte needs two`;
  }
  const count = hex.length >> 1;
  const bytes = Buffer.alloc(count);
  const sourceStart: number[] = [];
  const offset: number[] = [];
  for (let b = 0; b < count; b++) {
    bytes[b] = (hexValue(hex.charCodeAt(2 * b)) << 4) | hexValue(hex.charCodeAt(2 * b + 1));
    sourceStart.push(2 * b);
    offset.push(b);
  }
  sourceStart.push(2 * count);
  offset.push(count);
  return { count, sourceStart, offset, unsupported: [...unsupported], hex, bytes, problem };
}

export function assertValidHex(measured: HexMeasuredText): void {
  if (measured.problem) {
    throw new EncodingError('message', `The message is not valid hex for a binary SMS: ${measured.problem}`, measured.unsupported);
  }
}
