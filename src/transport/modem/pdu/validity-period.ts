/** Relative TP-VP (3GPP TS 23.040 9.2.3.12.1): one octet, coarser the longer the period. */
import { PduError } from './pdu-error';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Seconds a relative TP-VP value stands for. */
export function relativeValiditySeconds(vp: number): number {
  if (vp <= 143) return (vp + 1) * 5 * MINUTE;
  if (vp <= 167) return 12 * HOUR + (vp - 143) * 30 * MINUTE;
  if (vp <= 196) return (vp - 166) * DAY;
  return (vp - 192) * WEEK;
}

/** The smallest TP-VP that keeps the message at least `seconds` (capped at 63 weeks). */
export function encodeRelativeValidity(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new PduError(`validity period must be a positive number of seconds (got ${seconds})`, 'validityPeriod');
  }
  if (seconds <= 12 * HOUR) return Math.max(0, Math.ceil(seconds / (5 * MINUTE)) - 1);
  if (seconds <= DAY) return 143 + Math.ceil((seconds - 12 * HOUR) / (30 * MINUTE));
  if (seconds <= 30 * DAY) return 166 + Math.max(2, Math.ceil(seconds / DAY));
  return Math.min(255, 192 + Math.max(5, Math.ceil(seconds / WEEK)));
}
