/**
 * Enrolments as an authenticator product keeps them, on the memory store and the real Redis:
 * enrolling again never silently replaces a user's authenticator, a new one is pending until its
 * first good code, a replacement needs the caller to ask and leaves the old one working until
 * then, and a check commits only if the secret it checked is still the stored one.
 */
import { TotpEnrolRefusedError, TotpService } from '../../src/otp';
import type { TotpStore } from '../../src/otp';
import { authenticatorCode } from '../fixtures/otp/authenticator-app';
import { ManualClock } from './helpers/manual-clock';
import { enrolConfirmed, useTotpSetups } from './helpers/totp-stores';

const SERVER_KEY = 'totp-enrolment-test-signing-key-0123456789';
const NOW = Date.UTC(2030, 0, 1, 12, 0, 10); // 10 s into a 30 s step
const app = (label: string) => ({ issuer: 'ACME', label });

const setups = useTotpSetups();

describe.each(setups)('authenticator enrolments (%s store)', (_name, setup) => {
  let clock: ManualClock;
  let store: TotpStore;
  let service: TotpService;
  beforeEach(() => {
    clock = new ManualClock(NOW);
    store = setup.store(clock);
    service = new TotpService({ store, serverKey: SERVER_KEY, now: clock.now });
  });

  it("an attacker who runs Enrol for a confirmed User ID is refused: the victim's app keeps working, the attacker's secret never does", async () => {
    const victim = await enrolConfirmed(service, 'alice', NOW);
    const attempt = service.enrol('alice', app('attacker@evil.example'));
    await expect(attempt).rejects.toThrow(TotpEnrolRefusedError);
    await expect(attempt).rejects.toThrow(/already has a confirmed authenticator: it was kept/);
    clock.advanceSeconds(30);
    expect(await service.verify('alice', authenticatorCode(victim, clock.now()))).toMatchObject({ approved: true });
    expect(await service.status('alice')).toEqual({ status: 'enrolled', pending: false });
  });

  it('a new enrolment is pending until its first good code; it lapses unconfirmed', async () => {
    const { secret, status, confirmBefore, replacing } = await service.enrol('bob', app('bob'), { confirmWithinSeconds: 600 });
    expect({ status, confirmBefore, replacing }).toEqual({ status: 'pending', confirmBefore: new Date(NOW + 600_000), replacing: false });
    expect(await service.status('bob')).toEqual({ status: 'pending', pending: true, confirmBefore: new Date(NOW + 600_000) });
    // A pending enrolment may be started again (the user scanned nothing yet): the newest one counts.
    const again = await service.enrol('bob', app('bob'));
    expect(await service.verify('bob', authenticatorCode(secret, NOW))).toMatchObject({ approved: false, reason: 'invalid_code' });
    const confirmed = await service.verify('bob', authenticatorCode(again.secret, NOW));
    expect(confirmed).toMatchObject({ approved: true, confirmed: true });
    expect(await service.verify('bob', authenticatorCode(again.secret, NOW))).toMatchObject({ approved: false, reason: 'already_used' });
    expect(await service.status('bob')).toEqual({ status: 'enrolled', pending: false });

    const lapsed = await service.enrol('carl', app('carl'), { confirmWithinSeconds: 600 });
    clock.advanceSeconds(600);
    expect(await service.verify('carl', authenticatorCode(lapsed.secret, clock.now()))).toEqual({ approved: false, reason: 'not_enrolled', attemptsLeft: 0 });
    expect(await service.status('carl')).toEqual({ status: 'none', pending: false });
  });

  it('"replace" keeps the old authenticator working until the new one\'s first good code, then only the new one', async () => {
    const old = await enrolConfirmed(service, 'dora', NOW);
    const fresh = await service.enrol('dora', app('dora-new-phone'), { replace: true });
    expect(fresh).toMatchObject({ status: 'pending', replacing: true });
    expect(await service.status('dora')).toMatchObject({ status: 'enrolled', pending: true });
    clock.advanceSeconds(30);
    expect(await service.verify('dora', authenticatorCode(old, clock.now()))).toMatchObject({ approved: true });
    clock.advanceSeconds(30);
    expect(await service.verify('dora', authenticatorCode(fresh.secret, clock.now()))).toMatchObject({ approved: true, confirmed: true });
    clock.advanceSeconds(30);
    expect(await service.verify('dora', authenticatorCode(old, clock.now()))).toMatchObject({ approved: false, reason: 'invalid_code' });
    expect(await service.verify('dora', authenticatorCode(fresh.secret, clock.now()))).toMatchObject({ approved: true });
  });

  it('remove forgets the authenticator; its wrong codes keep counting, so remove and enrol again gives no fresh guesses', async () => {
    const secret = await enrolConfirmed(service, 'eve', NOW);
    for (let i = 0; i < 5; i++) await service.verify('eve', wrongCode(secret, i));
    expect(await service.remove('eve')).toBe(true);
    expect(await service.remove('eve')).toBe(false);
    expect(await service.status('eve')).toEqual({ status: 'none', pending: false });
    expect(await service.verify('eve', authenticatorCode(secret, NOW))).toMatchObject({ reason: 'not_enrolled' });
    const again = await service.enrol('eve', app('eve'));
    expect(await service.verify('eve', authenticatorCode(again.secret, NOW))).toMatchObject({ reason: 'too_many_attempts', retryAfterSeconds: 900 });
    const dump = await setup.dump();
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(again.secret);
  });

  it.each(['removed and enrolled again', 'replaced and the new one confirmed'])(
    'a code of a stolen authenticator checked while it is %s is refused: the check commits only against the stored secret',
    async (change) => {
      const stolen = await enrolConfirmed(service, 'frank', NOW);
      const admin = new TotpService({ store: setup.sibling(clock), serverKey: SERVER_KEY, now: clock.now });
      // The thief's check reads the stolen secret and matches the code; the owner's change lands before it commits.
      let gate: (() => Promise<unknown>) | null = async () => {
        gate = null;
        if (change.startsWith('removed')) {
          await admin.remove('frank');
          return admin.enrol('frank', app('frank-new-phone'));
        }
        const fresh = await admin.enrol('frank', app('frank-new-phone'), { replace: true });
        return admin.verify('frank', authenticatorCode(fresh.secret, clock.now()));
      };
      const racing = new Proxy(store, {
        get: (target, property, receiver) => {
          if (property !== 'commitCheck') return Reflect.get(target, property, receiver) as unknown;
          return async (...args: Parameters<TotpStore['commitCheck']>) => {
            if (gate) await gate();
            return target.commitCheck(...args);
          };
        },
      });
      clock.advanceSeconds(30);
      const thief = new TotpService({ store: racing, serverKey: SERVER_KEY, now: clock.now });
      const result = await thief.verify('frank', authenticatorCode(stolen, clock.now()));
      expect(result).toMatchObject({ approved: false, reason: 'invalid_code' });
    },
  );
});

/** A 6-digit code that is none of the right ones around NOW. */
function wrongCode(secret: string, i: number): string {
  const right = new Set([-1, 0, 1].map((step) => authenticatorCode(secret, NOW + step * 30_000)));
  for (let n = i; ; n += 7) {
    const code = String(n).padStart(6, '0');
    if (!right.has(code)) return code;
  }
}
