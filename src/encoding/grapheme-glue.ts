/**
 * Which code points must stay in the same SMS part as the one before them, so a split never
 * separates an emoji from its skin tone, a ZWJ sequence (family emoji), a flag's two regional
 * indicators, or a letter from its combining accent / vowel sign. A cheap approximation of
 * Unicode grapheme clusters with O(1) checks (no regex per character).
 */
const ZWJ = 0x200d;

/** Bit set over the BMP: 1 = combining mark (general category M). Built on first use. */
let bmpMarks: Uint8Array | undefined;

function buildBmpMarks(): Uint8Array {
  const bits = new Uint8Array(0x10000 >> 3);
  // One regex pass over a string of every non-surrogate BMP character (done once, a few ms).
  let all = '';
  for (let cp = 0x300; cp < 0x10000; cp++) {
    if (cp < 0xd800 || cp > 0xdfff) all += String.fromCharCode(cp);
  }
  for (const match of all.matchAll(/\p{M}/gu)) {
    const cp = match[0].charCodeAt(0);
    bits[cp >> 3] |= 1 << (cp & 7);
  }
  return bits;
}

function isBmpMark(codePoint: number): boolean {
  bmpMarks ??= buildBmpMarks();
  return (bmpMarks[codePoint >> 3] & (1 << (codePoint & 7))) !== 0;
}

export function isRegionalIndicator(codePoint: number): boolean {
  return codePoint >= 0x1f1e6 && codePoint <= 0x1f1ff;
}

/** True when `codePoint` belongs with the code point before it (regional indicators aside). */
export function gluesToPrevious(codePoint: number, previous: number): boolean {
  if (previous === ZWJ || codePoint === ZWJ) return true;
  if (codePoint < 0x300) return false;
  if (codePoint <= 0xffff) return isBmpMark(codePoint);
  return (
    (codePoint >= 0x1f3fb && codePoint <= 0x1f3ff) || // skin tone modifiers
    (codePoint >= 0xe0020 && codePoint <= 0xe007f) || // tag characters (subdivision flags)
    (codePoint >= 0xe0100 && codePoint <= 0xe01ef) // variation selectors supplement
  );
}
