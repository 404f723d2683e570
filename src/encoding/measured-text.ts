/**
 * A text cut into indivisible units (a character with its escape, a surrogate pair, a grapheme
 * cluster, one byte), each with its start in the source and its cost in part capacity. Parts
 * are cut only between units.
 */
export interface MeasuredText {
  /** Number of units. */
  count: number;
  /** sourceStart[i]: index in the source string where unit i starts; sourceStart[count] = source length. */
  sourceStart: number[];
  /** offset[i]: capacity used by the units before unit i (septets / UTF-16 units / octets); offset[count] = total. */
  offset: number[];
  /** Characters the encoding cannot carry, each listed once (counted as one septet/octet each). */
  unsupported: string[];
}

export function totalCost(measured: MeasuredText): number {
  return measured.offset[measured.count];
}
