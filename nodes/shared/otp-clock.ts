/**
 * The clock the OTP nodes read (ms since epoch). Process-wide so a test can move time for the
 * node code it runs (expiry, resend intervals, TOTP steps) without sleeping; production code
 * never changes it.
 */
import { processWide } from '../../src/registry/shared-resource-pool';

interface OtpClockSlot {
  now: () => number;
}

function slot(): OtpClockSlot {
  return processWide<OtpClockSlot>('otpClock', () => ({ now: Date.now }));
}

/** The current time as the OTP nodes see it. */
export function otpNow(): number {
  return slot().now();
}

/** Replaces the OTP nodes' clock (tests only); returns a function that restores the real one. */
export function setOtpClock(now: () => number): () => void {
  slot().now = now;
  return resetOtpClock;
}

export function resetOtpClock(): void {
  slot().now = Date.now;
}
