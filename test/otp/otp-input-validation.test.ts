/** Malformed input and options give an OtpInputError that names the field. */
import { createMemoryOtpStore, OtpInputError, OtpService } from '../../src/otp';
import type { OtpServiceOptions } from '../../src/otp';
import { makeService, PHONE, SERVER_KEY } from './helpers/service-factory';

function inputErrorOf(run: () => unknown): OtpInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof OtpInputError) return error;
    throw error;
  }
  throw new Error('expected an OtpInputError');
}

async function asyncInputErrorOf(promise: Promise<unknown>): Promise<OtpInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof OtpInputError)) throw new Error(`expected an OtpInputError, got ${String(error)}`);
  return error;
}

describe('OTP input validation', () => {
  const { service } = makeService(createMemoryOtpStore());

  test.each([
    ['4915112345678', 'E.164'],
    ['+49 151 12345678', 'E.164'],
    ['+0491511234567', 'E.164'],
    ['+999123456789', 'not a possible phone number'],
    ['+4912', 'E.164'],
  ])('phone %j is refused', async (phone, problem) => {
    const error = await asyncInputErrorOf(service.issue(phone));
    expect(error.field).toBe('phone');
    expect(error.message).toContain(problem);
  });

  test.each(['a b', 'login!', 'x'.repeat(65), 'ü'])('channel %j is refused', async (channel) => {
    const error = await asyncInputErrorOf(service.issue(PHONE, channel));
    expect(error.field).toBe('channel');
    expect(error.message).toMatch(/^channel: must be 1-64 letters/);
  });

  test.each([
    ['12a456', 'digits only'],
    ['123', '4-10 digits'],
    ['12345678901', '4-10 digits'],
    ['', 'digits only'],
  ])('code %j is refused without echoing it', async (code, problem) => {
    const error = await asyncInputErrorOf(service.verify(PHONE, code));
    expect(error.field).toBe('code');
    expect(error.message).toContain(problem);
    if (code) expect(error.message).not.toContain(code);
  });

  test('a code of the wrong length for the verification is refused and costs no attempt', async () => {
    const { service: own } = makeService(createMemoryOtpStore());
    await own.issue(PHONE);
    const error = await asyncInputErrorOf(own.verify(PHONE, '12345678'));
    expect(error.message).toBe('code: must be 6 digits for this verification, got 8');
    expect((await own.status(PHONE)).attempts).toBe(0);
  });

  const base: OtpServiceOptions = { store: createMemoryOtpStore(), serverKey: SERVER_KEY, defaultCountry: 'DE' };

  test.each([
    [{ policy: { codeLength: 3 } }, 'policy.codeLength', 'from 4 to 10, got 3'],
    [{ policy: { codeLength: 11 } }, 'policy.codeLength', 'got 11'],
    [{ policy: { codeLength: 6.5 } }, 'policy.codeLength', 'integer'],
    [{ policy: { lifetimeSeconds: 0 } }, 'policy.lifetimeSeconds', 'got 0'],
    [{ policy: { maxCheckAttempts: -1 } }, 'policy.maxCheckAttempts', 'got -1'],
    [{ policy: { maxSends: 0 } }, 'policy.maxSends', 'got 0'],
    [{ guard: { prefixLength: 2 } }, 'guard.prefixLength', 'got 2'],
    [{ guard: { perNumberPerHour: -5 } }, 'guard.perNumberPerHour', 'got -5'],
    [{ guard: { allowedCountries: ['XX'] } }, 'guard.allowedCountries[0]', '"XX"'],
    [{ guard: { allowedCountries: ['DE', '49'] } }, 'guard.allowedCountries[1]', '"49"'],
    [{ serverKey: 'short' }, 'serverKey', 'at least 16 bytes, got 5'],
    [{ defaultCountry: undefined }, 'guard.allowedCountries', 'defaultCountry'],
  ] as Array<[Partial<OtpServiceOptions>, string, string]>)('option %j is refused', (options, field, problem) => {
    const error = inputErrorOf(() => new OtpService({ ...base, ...options }));
    expect(error.field).toBe(field);
    expect(error.message).toContain(problem);
  });

  test('the short server key is not echoed', () => {
    expect(inputErrorOf(() => new OtpService({ ...base, serverKey: 'tiny-secret' })).message).not.toContain('tiny-secret');
  });

  test('defaults are those of Twilio Verify', () => {
    expect(new OtpService(base).policy).toEqual({
      codeLength: 6,
      lifetimeSeconds: 600,
      maxCheckAttempts: 5,
      maxSends: 5,
      minResendIntervalSeconds: 30,
      newCodeOnResend: false,
    });
  });
});
