/** Measures a text for UCS-2 (grapheme-aware units) and for Latin-1 (one octet per character). */
import { gluesToPrevious, isRegionalIndicator } from './grapheme-glue';
import type { MeasuredText } from './measured-text';

/**
 * Longest cluster kept whole, in UTF-16 units: far below the smallest UCS-2 part (66 units), so a
 * cluster always fits; pathological stacks of combining marks are cut at code point boundaries.
 */
const MAX_CLUSTER_UNITS = 32;

/** Units are grapheme clusters (approximated); cost = UTF-16 code units, so offset === sourceStart. */
export function measureUcs2(text: string): MeasuredText {
  const starts: number[] = [];
  const length = text.length;
  let previous = -1;
  let clusterStart = 0;
  let regionalRun = 0; // regional indicators seen in a row: pairs form one flag
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
    let glued = i > 0 && gluesToPrevious(codePoint, previous);
    if (isRegionalIndicator(codePoint)) {
      glued = glued || regionalRun % 2 === 1;
      regionalRun++;
    } else {
      regionalRun = 0;
    }
    if (glued && i + width - clusterStart > MAX_CLUSTER_UNITS) glued = false;
    if (!glued) {
      starts.push(i);
      clusterStart = i;
    }
    previous = codePoint;
    i += width;
  }
  starts.push(length);
  return { count: starts.length - 1, sourceStart: starts, offset: starts, unsupported: [] };
}

/** One unit per character; characters above U+00FF are unsupported (counted as one octet). */
export function measureLatin1(text: string): MeasuredText {
  const starts: number[] = [];
  const offset: number[] = [];
  let unsupported: Set<string> | undefined;
  let i = 0;
  while (i < text.length) {
    const codeUnit = text.charCodeAt(i);
    const width = codeUnit >= 0xd800 && codeUnit <= 0xdbff && i + 1 < text.length ? 2 : 1;
    starts.push(i);
    offset.push(offset.length);
    if (codeUnit > 0xff) (unsupported ??= new Set()).add(text.slice(i, i + width));
    i += width;
  }
  starts.push(text.length);
  offset.push(offset.length);
  return { count: starts.length - 1, sourceStart: starts, offset, unsupported: unsupported ? [...unsupported] : [] };
}
