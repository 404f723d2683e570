/**
 * The clock the OTP nodes read (ms since epoch). Process-wide so a test can move time for the
 * node code it runs (expiry, resend intervals, TOTP steps) without sleeping; production code
 * never changes it.
 */
import { processWide } from '../../../src/process-wide';

interface OtpClockSlot {
  now: () => number;
  /** Set by setOtpClock: a test moves time. */
  replaced: boolean;
}

function slot(): OtpClockSlot {
  return processWide<OtpClockSlot>('otpClock', () => ({ now: Date.now, replaced: false }));
}

/** The current time as the OTP nodes see it. */
export function otpNow(): number {
  return slot().now();
}

/**
 * The test's clock when a test replaced it, else undefined: the Redis authenticator store then
 * decides on Redis's own clock (TIME), as in production, where processes' clocks differ.
 */
export function otpTestNow(): number | undefined {
  const current = slot();
  return current.replaced ? current.now() : undefined;
}

/** Replaces the OTP nodes' clock (tests only); returns a function that restores the real one. */
export function setOtpClock(now: () => number): () => void {
  Object.assign(slot(), { now, replaced: true });
  return resetOtpClock;
}

export function resetOtpClock(): void {
  Object.assign(slot(), { now: Date.now, replaced: false });
}
