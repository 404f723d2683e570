/** Cuts measured units into parts: greedy, never inside a unit (escape, surrogate pair, cluster). */
import type { PartCapacity } from './capacity';
import type { MeasuredText } from './measured-text';

/** Unit indices where parts start, plus `count` at the end: [0, ..., count]. */
export function partBoundaries(measured: MeasuredText, capacity: PartCapacity): number[] {
  const { count, offset } = measured;
  if (offset[count] <= capacity.single) return [0, count];
  const boundaries = [0];
  let start = 0;
  while (start < count) {
    const limit = offset[start] + capacity.multi;
    let end = start + 1; // a unit is never larger than a part; take at least one to make progress
    while (end < count && offset[end + 1] <= limit) end++;
    boundaries.push(end);
    start = end;
  }
  return boundaries;
}

export function partCount(measured: MeasuredText, capacity: PartCapacity): number {
  return partBoundaries(measured, capacity).length - 1;
}
