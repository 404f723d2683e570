/** Measures (and encodes) a text in one GSM charset: one pass, lookups only. */
import { ESCAPED, GsmCharset, NOT_IN_CHARSET, gsmCode } from './gsm-charset';
import { GSM_ESCAPE } from './gsm-tables';
import type { MeasuredText } from './measured-text';
import { TRANSLITERATIONS } from './transliteration';

export interface GsmMeasuredText extends MeasuredText {
  charset: GsmCharset;
  /** Every septet of the text, escapes included; unit i is septets[offset[i] .. offset[i+1]). */
  septets: number[];
  /** How many characters were replaced by a look-alike. */
  transliterated: number;
  /** Code points replaced by a look-alike (each once). */
  transliteratedCodePoints: number[];
  /** Set when measuring stopped at the first unsupported character (stopAtUnsupported). */
  stoppedAt?: number;
}

const QUESTION_MARK = 0x3f;

/**
 * With `stopAtUnsupported` the pass ends at the first character the charset lacks (a quick
 * "does it fit" check): the result then covers only the text before it.
 */
export function measureGsm(text: string, charset: GsmCharset, transliterate: boolean, stopAtUnsupported = false): GsmMeasuredText {
  const sourceStart: number[] = [];
  const offset: number[] = [];
  const septets: number[] = [];
  let unsupported: Set<string> | undefined;
  let transliterated = 0;
  let transliteratedCodePoints: Set<number> | undefined;
  let stoppedAt: number | undefined;
  const length = text.length;
  let i = 0;
  while (i < length) {
    let codePoint = text.charCodeAt(i);
    let width = 1;
    if (codePoint >= 0xd800 && codePoint <= 0xdbff && i + 1 < length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = ((codePoint - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    sourceStart.push(i);
    offset.push(septets.length);
    const code = gsmCode(charset, codePoint);
    if (code !== NOT_IN_CHARSET) {
      pushCode(septets, code);
    } else if (!(transliterate && pushLookAlike(septets, charset, codePoint))) {
      (unsupported ??= new Set()).add(text.slice(i, i + width));
      if (stopAtUnsupported) {
        stoppedAt = i;
        break;
      }
      septets.push(QUESTION_MARK); // a stand-in so an estimate still counts the character
    } else {
      transliterated++;
      (transliteratedCodePoints ??= new Set()).add(codePoint);
    }
    i += width;
  }
  if (stoppedAt !== undefined) {
    sourceStart.pop(); // the unit of the unsupported character was opened before the lookup
    offset.pop();
  }
  sourceStart.push(stoppedAt ?? length);
  offset.push(septets.length);
  return {
    count: sourceStart.length - 1,
    sourceStart,
    offset,
    unsupported: unsupported ? [...unsupported] : [],
    charset,
    septets,
    transliterated,
    transliteratedCodePoints: transliteratedCodePoints ? [...transliteratedCodePoints] : [],
    ...(stoppedAt === undefined ? {} : { stoppedAt }),
  };
}

function pushCode(septets: number[], code: number): void {
  if (code & ESCAPED) septets.push(GSM_ESCAPE, code & 0x7f);
  else septets.push(code);
}

/** Pushes the look-alike's septets if it has one that this charset can encode entirely. */
function pushLookAlike(septets: number[], charset: GsmCharset, codePoint: number): boolean {
  const replacement = TRANSLITERATIONS.get(codePoint);
  if (replacement === undefined) return false;
  const codes: number[] = [];
  for (let k = 0; k < replacement.length; k++) {
    const code = gsmCode(charset, replacement.charCodeAt(k));
    if (code === NOT_IN_CHARSET) return false;
    codes.push(code);
  }
  for (const code of codes) pushCode(septets, code);
  return true;
}
