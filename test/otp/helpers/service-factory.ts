/** Builds OtpServices for tests: German default country, a fixed server key, a manual clock. */
import { OtpService } from '../../../src/otp';
import type { OtpPolicy, OtpStore, PumpingGuardPolicy } from '../../../src/otp';
import { ManualClock, START_MS } from './manual-clock';

export const SERVER_KEY = 'test-server-key-not-a-real-secret-0123';
export const PHONE = '+4915112345678';
export const OTHER_PHONE = '+4915798765432';

export interface ServiceSetup {
  policy?: Partial<OtpPolicy>;
  guard?: Partial<PumpingGuardPolicy>;
  clock?: ManualClock;
  serverKey?: string;
}

export function makeService(store: OtpStore, setup: ServiceSetup = {}): { service: OtpService; clock: ManualClock } {
  const clock = setup.clock ?? new ManualClock(START_MS);
  const service = new OtpService({
    store,
    serverKey: setup.serverKey ?? SERVER_KEY,
    policy: setup.policy,
    guard: setup.guard,
    defaultCountry: 'DE',
    now: clock.now,
  });
  return { service, clock };
}

/** A code of the same length that differs from `code` in its last digit. */
export function wrongCode(code: string): string {
  const last = Number(code[code.length - 1]);
  return code.slice(0, -1) + String((last + 1) % 10);
}
