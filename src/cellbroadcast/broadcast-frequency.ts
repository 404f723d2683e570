import { BroadcastInputError } from './cell-broadcast-errors';
import { FrequencyUnit } from './smpp5-definitions';

/** broadcast_frequency_interval value as node-smpp's filter takes and gives it. */
export interface FrequencyInterval {
  unit: number;
  interval: number;
}

const UNIT_SECONDS: Array<[unit: number, seconds: number]> = [
  [FrequencyUnit.seconds, 1],
  [FrequencyUnit.minutes, 60],
  [FrequencyUnit.hours, 3600],
  [FrequencyUnit.days, 86_400],
  [FrequencyUnit.weeks, 604_800],
];

/**
 * Seconds between repetitions as broadcast_frequency_interval: 0 = as often as possible, else the
 * smallest unit in which the interval is a whole number that fits 16 bits (so 90 s stays 90
 * seconds, 2 days becomes 2880 minutes).
 */
export function encodeFrequency(seconds: unknown, field = 'frequencySeconds'): FrequencyInterval {
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
    throw new BroadcastInputError(field, `must be a whole number of seconds, 0 or more (got ${JSON.stringify(seconds)})`);
  }
  if (seconds === 0) return { unit: FrequencyUnit.maxPossible, interval: 0 };
  for (const [unit, size] of UNIT_SECONDS) {
    if (seconds % size === 0 && seconds / size <= 0xffff) return { unit, interval: seconds / size };
  }
  throw new BroadcastInputError(field, `${seconds} s cannot be written as a 16-bit count of seconds, minutes, hours, days or weeks`);
}

/** Seconds of an interval read from a PDU (months and years counted as 30 and 365 days); null for an unknown unit. */
export function decodeFrequency(value: FrequencyInterval): number | null {
  if (value.unit === FrequencyUnit.maxPossible) return 0;
  const known = UNIT_SECONDS.find(([unit]) => unit === value.unit);
  if (known) return value.interval * known[1];
  if (value.unit === FrequencyUnit.months) return value.interval * 30 * 86_400;
  if (value.unit === FrequencyUnit.years) return value.interval * 365 * 86_400;
  return null;
}
