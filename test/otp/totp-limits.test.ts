/**
 * Authenticator codes under attack, on the memory store and the real Redis: guesses per user
 * are limited, a used code is refused, the secret is kept sealed. TOTP has 10^6 codes and, with
 * ±1 step, 3 of them are right at any moment: unlimited guessing finds one in ~333,000 tries.
 */
import { TotpService } from '../../src/otp';
import { base32Plugin } from '../../src/otp/otplib-plugins';
import { ManualClock } from './helpers/manual-clock';
import { enrolConfirmed, useTotpSetups } from './helpers/totp-stores';
import { authenticatorCode, guessesRightOnesLast } from '../fixtures/otp/authenticator-app';

const SERVER_KEY = 'totp-limits-test-signing-key-0123456789';
const NOW = Date.UTC(2030, 0, 1, 12, 0, 10); // 10 s into a 30 s step

/** Every guess costs a round trip on Redis: 100,000 from two connections at once is the race that matters there. */
const GUESSES = { memory: 1_000_000, redis: 100_000 };

const setups = useTotpSetups();

describe.each(setups)('authenticator codes under attack (%s store)', (_name, setup) => {
  let clock: ManualClock;
  let service: TotpService;
  beforeEach(() => {
    clock = new ManualClock(NOW);
    service = new TotpService({ store: setup.store(clock), serverKey: SERVER_KEY, now: clock.now });
  });

  test(`${GUESSES[setup.name].toLocaleString('en-US')} guessed authenticator codes, every right one included, are stopped after 5: none approved`, async () => {
    const secret = await enrolConfirmed(service, 'alice', NOW);
    // Two "processes" share the store: half the guesses through each, all at once.
    const other = new TotpService({ store: setup.sibling(clock), serverKey: SERVER_KEY, now: clock.now });
    // Every code but the right ones (±1 step), then those: the limit is what stops them.
    const guesses = guessesRightOnesLast(secret, NOW, GUESSES[setup.name]);
    const reasons = new Map<string, number>();
    let approved = 0;
    const count = (r: { approved: boolean; reason?: string }): void => {
      if (r.approved) approved++;
      else reasons.set(r.reason!, (reasons.get(r.reason!) ?? 0) + 1);
    };
    if (setup.name === 'memory') {
      // One process: every call completes before the next starts anyway.
      for (const code of guesses) count(await service.verify('alice', code));
    } else {
      for (let start = 0; start < guesses.length; start += 2_000) {
        const batch = guesses.slice(start, start + 2_000);
        (await Promise.all(batch.map((code, i) => (i % 2 === 0 ? service : other).verify('alice', code)))).forEach(count);
      }
    }
    expect(approved).toBe(0);
    expect(Object.fromEntries(reasons)).toEqual({ invalid_code: 5, too_many_attempts: guesses.length - 5 });
    // The right code now is refused too, unevaluated, until the 15 minutes are over...
    const right = authenticatorCode(secret, clock.now());
    expect(await service.verify('alice', right)).toEqual({ approved: false, reason: 'too_many_attempts', attemptsLeft: 0, retryAfterSeconds: 900 });
    clock.advanceSeconds(899);
    expect(await service.verify('alice', authenticatorCode(secret, clock.now()))).toMatchObject({ reason: 'too_many_attempts', retryAfterSeconds: 1 });
    // ...then the user gets in.
    clock.advanceSeconds(1);
    expect(await service.verify('alice', authenticatorCode(secret, clock.now()))).toMatchObject({ approved: true, attemptsLeft: 5 });
  }, 120_000);

  test('a code accepted once is refused when replayed, also by a second process at the same moment', async () => {
    const { secret } = await service.enrol('bob', { issuer: 'ACME', label: 'bob' });
    const other = new TotpService({ store: setup.sibling(clock), serverKey: SERVER_KEY, now: clock.now });
    const code = authenticatorCode(secret, NOW);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? service : other).verify('bob', code)));
    expect(results.filter((r) => r.approved)).toHaveLength(1);
    expect(results.filter((r) => r.reason === 'already_used')).toHaveLength(19 - results.filter((r) => r.reason === 'too_many_attempts').length);
    // The previous step's code is older than the accepted one: refused as used too.
    expect(await service.verify('bob', authenticatorCode(secret, NOW - 30_000))).toMatchObject({ approved: false });
    // The next step's code is accepted once the clock gets there.
    clock.advanceSeconds(30);
    expect(await service.verify('bob', authenticatorCode(secret, clock.now()), { maxFailures: 100 })).toMatchObject({ approved: true });
  });

  test('replay refusal can be turned off; the wrong-code limit and its period are settable', async () => {
    const { secret } = await service.enrol('carol', { issuer: 'ACME', label: 'carol' });
    const code = authenticatorCode(secret, NOW);
    expect(await service.verify('carol', code)).toMatchObject({ approved: true });
    expect(await service.verify('carol', code, { rejectReplay: false })).toMatchObject({ approved: true });
    const limits = { maxFailures: 2, periodSeconds: 60 };
    expect(await service.verify('carol', '000000', limits)).toMatchObject({ reason: 'invalid_code', attemptsLeft: 1 });
    expect(await service.verify('carol', '000001', limits)).toMatchObject({ reason: 'invalid_code', attemptsLeft: 0 });
    expect(await service.verify('carol', code, limits)).toMatchObject({ reason: 'too_many_attempts', retryAfterSeconds: 60 });
  });

  test('verify needs only the user: unknown users are not enrolled; the store never holds the secret in the clear', async () => {
    const enrolment = await service.enrol('dave@example.com', { issuer: 'ACME', label: 'dave@example.com' });
    expect(enrolment.secretHint).toBe(`**** **** **** **** **** **** **** ${enrolment.secret.slice(-4)}`);
    expect(await service.verify('erin', '123456')).toEqual({ approved: false, reason: 'not_enrolled', attemptsLeft: 0 });
    const dump = await setup.dump();
    expect(dump.length).toBeGreaterThan(0);
    expect(dump).not.toContain(enrolment.secret);
    expect(dump).not.toContain('dave@example.com');
    // Another signing key cannot open it.
    const otherKey = new TotpService({ store: setup.sibling(clock), serverKey: 'another-signing-key-0123456789', now: clock.now });
    expect(await otherKey.verify('dave@example.com', authenticatorCode(enrolment.secret, NOW))).toMatchObject({ reason: 'not_enrolled' });
  });

  test('a secret passed by the workflow (OTP Verify version 1) is limited and replay-protected too', async () => {
    const secret = base32Plugin.encode(Buffer.from('a secret the workflow stored!'));
    const code = authenticatorCode(secret, NOW);
    expect(await service.verifyWithSecret(secret, code)).toMatchObject({ approved: true });
    expect(await service.verifyWithSecret(secret, code)).toMatchObject({ approved: false, reason: 'already_used' });
    for (let i = 0; i < 4; i++) await service.verifyWithSecret(secret, String(i).padStart(6, '0'));
    clock.advanceSeconds(30);
    expect(await service.verifyWithSecret(secret, authenticatorCode(secret, clock.now()))).toMatchObject({ reason: 'too_many_attempts' });
  });
});
