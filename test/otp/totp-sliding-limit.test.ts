/**
 * The wrong-code limit is "at most N in any sliding period", not a fixed period started by the
 * first wrong code (which let 9 guesses be evaluated within 1 ms around its end), and on Redis it
 * is decided on Redis's clock: n8n processes whose clocks are 20 minutes apart still share one
 * limit, one last accepted step and one pending deadline.
 */
import Redis from 'ioredis';
import { TotpService } from '../../src/otp';
import { createRedisTotpStore } from '../../src/otp/totp-redis-store';
import { authenticatorCode } from '../fixtures/otp/authenticator-app';
import { ManualClock } from './helpers/manual-clock';
import { REDIS_URL, uniquePrefix } from './helpers/otp-backends';
import { enrolConfirmed, useTotpSetups } from './helpers/totp-stores';

const SERVER_KEY = 'totp-sliding-test-signing-key-0123456789';
const NOW = Date.UTC(2030, 0, 1, 12, 0, 10);
const PERIOD_MS = 900_000;

const setups = useTotpSetups();

/** Codes that match none of the steps around `atMs` (±1), `count` of them. */
function wrongCodes(secret: string, atMs: number, count: number): string[] {
  const right = new Set([-1, 0, 1].map((step) => authenticatorCode(secret, atMs + step * 30_000)));
  const codes: string[] = [];
  for (let n = 0; codes.length < count; n++) if (!right.has(String(n).padStart(6, '0'))) codes.push(String(n).padStart(6, '0'));
  return codes;
}

/** The most evaluated wrong codes (times, ascending) in any half-open window of `periodMs`. */
function busiestPeriod(times: number[], periodMs: number): number {
  let most = 0;
  for (let end = 0, start = 0; end < times.length; end++) {
    while (times[end] - times[start] >= periodMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe.each(setups)('wrong codes in any sliding 15 minutes (%s store)', (_name, setup) => {
  it('9 guesses in the 1 ms around the end of the first period (1 at t0, 4 at t0+899.999 s, 4 more at t0+900 s): at most 5 evaluated in any 15 minutes', async () => {
    const clock = new ManualClock(NOW);
    const service = new TotpService({ store: setup.store(clock), serverKey: SERVER_KEY, now: clock.now });
    const secret = await enrolConfirmed(service, 'victim', NOW);
    const guesses = wrongCodes(secret, NOW, 10);
    const evaluated: number[] = [];
    const guess = async (code: string): Promise<string | undefined> => {
      const result = await service.verify('victim', code);
      if (result.reason === 'invalid_code') evaluated.push(clock.now());
      return result.reason;
    };
    await guess(guesses[0]);
    clock.set(NOW + PERIOD_MS - 1);
    for (const code of guesses.slice(1, 5)) await guess(code);
    expect(await guess(guesses[5])).toBe('too_many_attempts');
    clock.set(NOW + PERIOD_MS);
    const atBoundary = [];
    for (const code of guesses.slice(6, 10)) atBoundary.push(await guess(code));
    // Only the wrong code of t0 stopped counting: one more is evaluated, then the rest wait.
    expect(atBoundary).toEqual(['invalid_code', 'too_many_attempts', 'too_many_attempts', 'too_many_attempts']);
    expect(evaluated.filter((t) => t >= NOW + PERIOD_MS - 1)).toHaveLength(5);
    expect(busiestPeriod(evaluated, PERIOD_MS)).toBe(5);
    // The next one may come when the oldest of those five is 15 minutes old.
    expect(await service.verify('victim', guesses[9])).toMatchObject({ reason: 'too_many_attempts', retryAfterSeconds: 900 });
  });

  it('3,000 guesses at random moments over 6 hours: never more than 5 evaluated in any 15 minutes, and no fewer than the limit allows', async () => {
    const clock = new ManualClock(NOW);
    const service = new TotpService({ store: setup.store(clock), serverKey: SERVER_KEY, now: clock.now });
    const secret = await enrolConfirmed(service, 'target', NOW);
    const evaluated: number[] = [];
    let seed = 42;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 3_000; i++) {
      clock.set(clock.now() + Math.floor(random() * 14_400));
      const [code] = wrongCodes(secret, clock.now(), 1 + (i % 3));
      const result = await service.verify('target', code);
      if (result.reason === 'invalid_code') evaluated.push(clock.now());
    }
    expect(busiestPeriod(evaluated, PERIOD_MS)).toBe(5);
    const hours = (clock.now() - NOW) / 3_600_000;
    expect(evaluated.length).toBeLessThanOrEqual(5 * (hours * 4 + 1));
    expect(evaluated.length).toBeGreaterThanOrEqual(5 * Math.floor(hours * 4) * 0.5);
  }, 60_000);
});

describe("on Redis, decisions follow Redis's clock, not the n8n process's", () => {
  const setup = setups[1][1];
  const TWENTY_MINUTES = 20 * 60_000;
  const skewed = (offsetMs: number, sibling: boolean) =>
    new TotpService({ store: sibling ? setup.sibling() : setup.store(), serverKey: SERVER_KEY, now: () => Date.now() + offsetMs });

  it('two processes whose clocks are 20 minutes apart: the code the app shows now is accepted once, and of 200 alternating guesses only 4 more are evaluated (5 wrong in all)', async () => {
    const behind = skewed(-TWENTY_MINUTES, false);
    const ahead = skewed(TWENTY_MINUTES, true);
    const { secret } = await behind.enrol('gail', { issuer: 'ACME', label: 'gail' });
    const code = authenticatorCode(secret, Date.now());
    expect(await ahead.verify('gail', code)).toMatchObject({ approved: true, confirmed: true });
    expect(await behind.verify('gail', code)).toMatchObject({ approved: false, reason: 'already_used' });
    const reasons: Record<string, number> = {};
    for (const [i, guess] of wrongCodes(secret, Date.now(), 200).entries()) {
      const result = await (i % 2 === 0 ? behind : ahead).verify('gail', guess);
      reasons[result.reason ?? 'approved'] = (reasons[result.reason ?? 'approved'] ?? 0) + 1;
    }
    // The refused replay was the first of the five wrong codes.
    expect(reasons).toEqual({ invalid_code: 4, too_many_attempts: 196 });
    const waits = [await behind.verify('gail', '000000'), await ahead.verify('gail', '000000')].map((r) => r.retryAfterSeconds ?? 0);
    for (const wait of waits) expect(wait).toBeGreaterThan(880);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(900);
  });

  it("a pending enrolment's deadline is Redis's now + 15 minutes, whatever the enrolling process's clock says", async () => {
    const ahead = skewed(60 * 60_000, false);
    const before = Date.now();
    const { confirmBefore } = await ahead.enrol('hugo', { issuer: 'ACME', label: 'hugo' });
    expect(confirmBefore.getTime()).toBeGreaterThanOrEqual(before + PERIOD_MS);
    expect(confirmBefore.getTime()).toBeLessThanOrEqual(Date.now() + PERIOD_MS);
  });

  it('the store names no clock of the caller in production: without a test clock it reads Redis TIME', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const { now } = await createRedisTotpStore(redis, { keyPrefix: uniquePrefix() }).read('nobody');
      expect(Math.abs(now - Date.now())).toBeLessThan(5_000);
    } finally {
      await redis.quit();
    }
  });
});
