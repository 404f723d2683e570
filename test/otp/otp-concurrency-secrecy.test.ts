/** Races between services sharing a store, and proof that codes are neither stored nor in errors. */
import { OtpInputError, OtpRefusedError } from '../../src/otp';
import type { OtpStore } from '../../src/otp';
import { memoryBackend, redisBackend } from './helpers/otp-backends';
import type { Backend } from './helpers/otp-backends';
import { makeService, PHONE, wrongCode } from './helpers/service-factory';

const backends: Backend[] = [memoryBackend(), redisBackend()];
afterAll(async () => {
  for (const backend of backends) await backend.close();
});

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}

describe.each(backends.map((b) => [b.name, b] as const))('races and secrecy on the %s store', (_name, backend) => {
  let store: OtpStore;
  beforeEach(() => {
    store = backend.newStore();
  });

  test('twenty concurrent verifies of the right code from two services: exactly one approves', async () => {
    const a = makeService(store);
    const b = makeService(backend.sibling(store), { clock: a.clock });
    const { code } = await a.service.issue(PHONE);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).service.verify(PHONE, code)));
    expect(results.filter((r) => r.approved)).toHaveLength(1);
    expect(results.filter((r) => !r.approved).every((r) => r.reason === 'already_used')).toBe(true);
    expect((await a.service.status(PHONE)).attempts).toBe(1);
  });

  test('twenty concurrent wrong codes never count more than the five allowed attempts', async () => {
    const a = makeService(store);
    const b = makeService(backend.sibling(store), { clock: a.clock });
    const { code } = await a.service.issue(PHONE);
    const bad = wrongCode(code);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).service.verify(PHONE, bad)));
    expect(results.filter((r) => r.reason === 'invalid_code')).toHaveLength(5);
    expect(results.filter((r) => r.reason === 'max_attempts_reached')).toHaveLength(15);
    expect(await a.service.status(PHONE)).toMatchObject({ status: 'max_attempts_reached', attempts: 5 });
    expect((await b.service.verify(PHONE, code)).approved).toBe(false);
  });

  test('concurrent issues for one number make one verification and refuse the rest as too soon', async () => {
    const a = makeService(store);
    const b = makeService(backend.sibling(store), { clock: a.clock });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).service.issue(PHONE)));
    const issued = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(issued).toHaveLength(1);
    expect(refused.every((e) => e instanceof OtpRefusedError && e.code === 'resend_too_soon')).toBe(true);
    expect(await a.service.status(PHONE)).toMatchObject({ status: 'pending', sendCount: 1 });
  });

  test('the store never holds a code: not after issue, resend, a wrong check nor approval', async () => {
    // Ten digits, so a chance match against hex hashes or timestamps is out of the question.
    const { service, clock } = makeService(store, { policy: { codeLength: 10, newCodeOnResend: true } });
    const codes: string[] = [];
    codes.push((await service.issue(PHONE, 'login')).code);
    clock.advanceSeconds(30);
    codes.push((await service.issue(PHONE, 'login')).code);
    codes.push((await service.issue(PHONE, 'payment')).code);
    await service.verify(PHONE, wrongCode(codes[1]), 'login');
    const before = await backend.dump(store);
    await service.verify(PHONE, codes[1], 'login');
    const after = await backend.dump(store);
    for (const code of codes) {
      expect(before).not.toContain(code);
      expect(after).not.toContain(code);
    }
    expect(after).toContain('v:+4915112345678:login'); // the dump does see the records
    // Control: a code planted in the store is found by the same dump.
    await backend.plant(store, `leak-${codes[2]}`);
    expect(await backend.dump(store)).toContain(codes[2]);
  });

  test('error messages never contain the code', async () => {
    // Ten digits, so the code cannot turn up by chance inside the phone number or a wait time.
    const { service, clock } = makeService(store, { guard: { perNumberPerHour: 2 }, policy: { codeLength: 10 } });
    const { code } = await service.issue(PHONE);
    const errors: Error[] = [];
    errors.push(await errorOf(service.issue(PHONE))); // resend too soon
    clock.advanceSeconds(30);
    await service.issue(PHONE);
    clock.advanceSeconds(30);
    errors.push(await errorOf(service.issue(PHONE))); // per-number limit
    errors.push(await errorOf(service.verify(PHONE, `${code}1`))); // wrong length
    errors.push(await errorOf(service.verify(PHONE, `${code.slice(0, 9)}x`))); // not digits
    errors.push(await errorOf(service.verify(PHONE, `${code}${code}`))); // too long
    expect(errors.map((e) => e.constructor)).toEqual([OtpRefusedError, OtpRefusedError, OtpInputError, OtpInputError, OtpInputError]);
    for (const error of errors) {
      expect(error.message).not.toContain(code);
      expect(error.message).not.toContain(code.slice(0, 8));
      expect(JSON.stringify(error)).not.toContain(code.slice(0, 8));
    }
    expect((await service.verify(PHONE, code)).approved).toBe(true);
  });
});
