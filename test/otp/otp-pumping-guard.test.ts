/** SMS-pumping protection: countries, hourly limits per number / prefix / globally, refusal stats. */
import { OtpRefusedError } from '../../src/otp';
import type { OtpStore } from '../../src/otp';
import { memoryBackend, redisBackend } from './helpers/otp-backends';
import type { Backend } from './helpers/otp-backends';
import { START_MS } from './helpers/manual-clock';
import { makeService, PHONE } from './helpers/service-factory';

const backends: Backend[] = [memoryBackend(), redisBackend()];
afterAll(async () => {
  for (const backend of backends) await backend.close();
});

/** Seconds from START_MS (10:00:05) to the end of its clock hour. */
const SECONDS_LEFT_IN_HOUR = 3600 - 5;

async function refusalOf(promise: Promise<unknown>): Promise<OtpRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof OtpRefusedError)) throw new Error(`expected an OtpRefusedError, got ${String(error)}`);
  return error;
}

describe.each(backends.map((b) => [b.name, b] as const))('pumping guard on the %s store', (_name, backend) => {
  let store: OtpStore;
  beforeEach(() => {
    store = backend.newStore();
  });

  test('only the default country is allowed unless configured otherwise', async () => {
    const { service } = makeService(store);
    const refused = await refusalOf(service.issue('+33612345678'));
    expect(refused.code).toBe('country_not_allowed');
    expect(refused.message).toContain('FR');
    expect(refused.message).toContain('DE');
    expect(refused.retryAfterSeconds).toBeUndefined();
    expect(await service.status('+33612345678')).toMatchObject({ status: 'not_found' });
    expect((await store.refusalStats()).country_not_allowed).toBe(1);
    await expect(service.issue(PHONE)).resolves.toMatchObject({ status: 'pending' });
  });

  test('countries can be allowed by ISO code or calling code; [] allows all', async () => {
    const byCallingCode = makeService(store, { guard: { allowedCountries: ['+33'] } }).service;
    await expect(byCallingCode.issue('+33612345678')).resolves.toMatchObject({ status: 'pending' });
    expect((await refusalOf(byCallingCode.issue(PHONE))).code).toBe('country_not_allowed');
    const byIso = makeService(store, { guard: { allowedCountries: ['ch'] } }).service;
    await expect(byIso.issue('+41791234567')).resolves.toMatchObject({ status: 'pending' });
    const anywhere = makeService(store, { guard: { allowedCountries: [] } }).service;
    await expect(anywhere.issue('+12025550123')).resolves.toMatchObject({ status: 'pending' });
    // A non-geographic number has no ISO country: only its calling code can allow it.
    expect((await refusalOf(byIso.issue('+80012345678'))).code).toBe('country_not_allowed');
  });

  test('per-number hourly limit counts resends and new verifications, and resets next hour', async () => {
    const { service, clock } = makeService(store, {
      guard: { perNumberPerHour: 3 },
      policy: { minResendIntervalSeconds: 0 },
    });
    await service.issue(PHONE);
    await service.issue(PHONE); // resend
    await service.cancel(PHONE);
    await service.issue(PHONE); // a new verification, same number
    const refused = await refusalOf(service.issue(PHONE));
    expect(refused.code).toBe('rate_limited_number');
    expect(refused.retryAfterSeconds).toBe(SECONDS_LEFT_IN_HOUR);
    expect(refused.message).toContain(`retry in ${SECONDS_LEFT_IN_HOUR} s`);
    // The refused send left the verification as it was.
    expect(await service.status(PHONE)).toMatchObject({ status: 'pending', sendCount: 1 });
    await expect(service.issue('+4915112345679')).resolves.toMatchObject({ sendCount: 1 });
    clock.set(START_MS + SECONDS_LEFT_IN_HOUR * 1000);
    await expect(service.issue(PHONE)).resolves.toMatchObject({ resent: false, sendCount: 1 });
  });

  test('per-prefix hourly limit stops a run of numbers in one range', async () => {
    const { service } = makeService(store, { guard: { perPrefixPerHour: 2, prefixLength: 9 } });
    await service.issue('+4915112345671');
    await service.issue('+4915112345672');
    const refused = await refusalOf(service.issue('+4915112345673'));
    expect(refused.code).toBe('rate_limited_prefix');
    expect(refused.retryAfterSeconds).toBe(SECONDS_LEFT_IN_HOUR);
    await expect(service.issue('+4916012345678')).resolves.toMatchObject({ status: 'pending' });
  });

  test('global hourly ceiling holds across services sharing the store', async () => {
    const guard = { globalPerHour: 3, allowedCountries: [] };
    const first = makeService(store, { guard });
    const second = makeService(backend.sibling(store), { guard, clock: first.clock });
    await first.service.issue('+4915112345671');
    await second.service.issue('+33612345678');
    await first.service.issue('+12025550123');
    const refused = await refusalOf(second.service.issue('+4915112345674'));
    expect(refused.code).toBe('global_limit');
    expect(refused.retryAfterSeconds).toBe(SECONDS_LEFT_IN_HOUR);
    first.clock.advanceSeconds(SECONDS_LEFT_IN_HOUR);
    await expect(second.service.issue('+4915112345674')).resolves.toMatchObject({ status: 'pending' });
  });

  test('a limit of 0 turns that limit off', async () => {
    const { service } = makeService(store, {
      guard: { perNumberPerHour: 0, perPrefixPerHour: 0, globalPerHour: 0 },
      policy: { minResendIntervalSeconds: 0, maxSends: 100 },
    });
    for (let i = 0; i < 30; i += 1) await service.issue(PHONE);
    expect((await service.status(PHONE)).sendCount).toBe(30);
  });

  test('every refusal is counted per reason', async () => {
    const { service, clock } = makeService(store, { guard: { perNumberPerHour: 2, globalPerHour: 4 }, policy: { maxSends: 2 } });
    await refusalOf(service.issue('+33612345678')); // country_not_allowed
    await service.issue(PHONE);
    await refusalOf(service.issue(PHONE)); // resend_too_soon
    clock.advanceSeconds(30);
    await service.issue(PHONE); // second send
    clock.advanceSeconds(30);
    await refusalOf(service.issue(PHONE)); // max_sends_reached
    await service.cancel(PHONE);
    await refusalOf(service.issue(PHONE)); // rate_limited_number
    await service.issue('+4915112345600');
    await service.issue('+4917012345600');
    await refusalOf(service.issue('+4917612345600')); // global_limit
    expect(await service.refusalStats()).toEqual({
      country_not_allowed: 1,
      resend_too_soon: 1,
      max_sends_reached: 1,
      rate_limited_number: 1,
      rate_limited_prefix: 0,
      global_limit: 1,
    });
  });
});
