/** Issue, verify, resend, expiry, cancel and channels, on the memory store and on real Redis. */
import { OtpRefusedError } from '../../src/otp';
import type { OtpStore } from '../../src/otp';
import { memoryBackend, redisBackend } from './helpers/otp-backends';
import type { Backend } from './helpers/otp-backends';
import { makeService, OTHER_PHONE, PHONE, wrongCode } from './helpers/service-factory';

const backends: Backend[] = [memoryBackend(), redisBackend()];
afterAll(async () => {
  for (const backend of backends) await backend.close();
});

async function refusalOf(promise: Promise<unknown>): Promise<OtpRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof OtpRefusedError)) throw new Error(`expected an OtpRefusedError, got ${String(error)}`);
  return error;
}

describe.each(backends.map((b) => [b.name, b] as const))('OTP lifecycle on the %s store', (_name, backend) => {
  let store: OtpStore;
  beforeEach(() => {
    store = backend.newStore();
  });

  test('issue then verify the right code approves', async () => {
    const { service, clock } = makeService(store);
    const issued = await service.issue(PHONE, 'login');
    expect(issued.code).toMatch(/^\d{6}$/);
    expect(issued).toMatchObject({ status: 'pending', sendCount: 1, sendsLeft: 4, resent: false });
    expect(issued.sid).toMatch(/^VE[0-9a-f]{32}$/);
    expect(issued.expiresAt.getTime()).toBe(clock.now() + 600_000);
    expect((await service.status(PHONE, 'login')).status).toBe('pending');

    const result = await service.verify(PHONE, issued.code, 'login');
    expect(result).toEqual({ approved: true, status: 'approved', attemptsLeft: 4, sid: issued.sid });
    expect((await service.status(PHONE, 'login')).status).toBe('approved');
  });

  test('a wrong code is rejected and the right one then approves', async () => {
    const { service } = makeService(store);
    const { code } = await service.issue(PHONE);
    expect(await service.verify(PHONE, wrongCode(code))).toMatchObject({
      approved: false,
      status: 'pending',
      reason: 'invalid_code',
      attemptsLeft: 4,
    });
    expect(await service.verify(PHONE, code)).toMatchObject({ approved: true, status: 'approved', attemptsLeft: 3 });
  });

  test('five wrong codes end the verification; the right code is then refused', async () => {
    const { service } = makeService(store);
    const { code } = await service.issue(PHONE);
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await service.verify(PHONE, wrongCode(code)));
    expect(results.map((r) => r.attemptsLeft)).toEqual([4, 3, 2, 1, 0]);
    expect(results.map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'max_attempts_reached']);
    expect(results.every((r) => r.reason === 'invalid_code')).toBe(true);
    expect(await service.verify(PHONE, code)).toMatchObject({
      approved: false,
      status: 'max_attempts_reached',
      reason: 'max_attempts_reached',
      attemptsLeft: 0,
    });
  });

  test('a code expires after the lifetime (injected clock) and is forgotten one lifetime later', async () => {
    const { service, clock } = makeService(store, { policy: { lifetimeSeconds: 120 } });
    const { code } = await service.issue(PHONE);
    clock.advanceSeconds(120);
    expect(await service.verify(PHONE, code)).toMatchObject({ approved: false, status: 'expired', reason: 'expired' });
    expect((await service.status(PHONE)).status).toBe('expired');
    expect(await service.cancel(PHONE)).toEqual({ canceled: false, status: 'expired' });
    clock.advanceSeconds(120);
    expect(await service.verify(PHONE, code)).toMatchObject({ approved: false, status: 'not_found', reason: 'not_found' });
    // A new issue after expiry starts a fresh verification.
    const fresh = await service.issue(PHONE);
    expect(fresh).toMatchObject({ resent: false, sendCount: 1 });
  });

  test('one second before expiry the code still approves', async () => {
    const { service, clock } = makeService(store, { policy: { lifetimeSeconds: 120 } });
    const { code } = await service.issue(PHONE);
    clock.advanceSeconds(119);
    expect((await service.verify(PHONE, code)).approved).toBe(true);
  });

  test('a resend sends the same code and counts sends; too soon is refused with the wait', async () => {
    const { service, clock } = makeService(store);
    const first = await service.issue(PHONE);
    clock.advanceSeconds(10);
    const early = await refusalOf(service.issue(PHONE));
    expect(early.code).toBe('resend_too_soon');
    expect(early.retryAfterSeconds).toBe(20);
    clock.advanceSeconds(20);
    const second = await service.issue(PHONE);
    expect(second).toMatchObject({ code: first.code, sid: first.sid, sendCount: 2, sendsLeft: 3, resent: true });
    expect(second.expiresAt).toEqual(first.expiresAt);
    expect((await service.status(PHONE)).sendCount).toBe(2);
    expect((await service.verify(PHONE, first.code)).approved).toBe(true);
  });

  test('the sixth send of one verification is refused until it expires', async () => {
    const { service, clock } = makeService(store);
    for (let send = 1; send <= 5; send += 1) {
      expect((await service.issue(PHONE)).sendCount).toBe(send);
      clock.advanceSeconds(30);
    }
    const refused = await refusalOf(service.issue(PHONE));
    expect(refused.code).toBe('max_sends_reached');
    expect(refused.retryAfterSeconds).toBe(600 - 150);
    expect((await store.refusalStats()).max_sends_reached).toBe(1);
  });

  test('newCodeOnResend sends a different code and the old one no longer works', async () => {
    const { service, clock } = makeService(store, { policy: { newCodeOnResend: true, codeLength: 10 } });
    const first = await service.issue(PHONE);
    clock.advanceSeconds(30);
    const second = await service.issue(PHONE);
    expect(second.code).toMatch(/^\d{10}$/);
    expect(second.code).not.toBe(first.code);
    expect(await service.verify(PHONE, first.code)).toMatchObject({ approved: false, reason: 'invalid_code' });
    expect((await service.verify(PHONE, second.code)).approved).toBe(true);
  });

  test('an approved code cannot be used again', async () => {
    const { service } = makeService(store);
    const { code } = await service.issue(PHONE);
    expect((await service.verify(PHONE, code)).approved).toBe(true);
    expect(await service.verify(PHONE, code)).toMatchObject({ approved: false, status: 'approved', reason: 'already_used' });
  });

  test('cancel ends a pending verification; a later issue starts a new one', async () => {
    const { service } = makeService(store);
    const { code, sid } = await service.issue(PHONE);
    expect(await service.cancel(PHONE)).toEqual({ canceled: true, status: 'canceled' });
    expect(await service.cancel(PHONE)).toEqual({ canceled: false, status: 'canceled' });
    expect(await service.verify(PHONE, code)).toMatchObject({ approved: false, status: 'canceled', reason: 'canceled' });
    expect(await service.cancel(OTHER_PHONE)).toEqual({ canceled: false, status: 'not_found' });
    const next = await service.issue(PHONE);
    expect(next.sid).not.toBe(sid);
    expect(next).toMatchObject({ resent: false, sendCount: 1 });
  });

  test('two channels of one number are independent', async () => {
    const { service } = makeService(store);
    const login = await service.issue(PHONE, 'login');
    const payment = await service.issue(PHONE, 'payment');
    expect(payment.sid).not.toBe(login.sid);
    expect(payment.resent).toBe(false);
    await service.verify(PHONE, wrongCode(login.code), 'login');
    expect((await service.verify(PHONE, login.code, 'login')).approved).toBe(true);
    expect(await service.status(PHONE, 'payment')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await service.status(PHONE)).toMatchObject({ status: 'not_found' });
    expect((await service.verify(PHONE, payment.code, 'payment')).approved).toBe(true);
  });

  test('a service with another server key cannot approve the code', async () => {
    const { service, clock } = makeService(store);
    const { code } = await service.issue(PHONE);
    const stranger = makeService(store, { clock, serverKey: 'another-server-key-0123456789' }).service;
    expect(await stranger.verify(PHONE, code)).toMatchObject({ approved: false, reason: 'invalid_code' });
  });

  test('issue through one service and verify through another on its own connection', async () => {
    const { service: issuer, clock } = makeService(store);
    const { service: verifier } = makeService(backend.sibling(store), { clock });
    const { code } = await issuer.issue(PHONE, 'login');
    expect(await verifier.verify(PHONE, wrongCode(code), 'login')).toMatchObject({ reason: 'invalid_code', attemptsLeft: 4 });
    expect((await verifier.verify(PHONE, code, 'login')).approved).toBe(true);
    expect((await issuer.status(PHONE, 'login')).status).toBe('approved');
  });
});
