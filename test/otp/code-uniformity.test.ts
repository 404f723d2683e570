/**
 * Every digit of an SMS code is uniform, for every length from 4 to 10: an attacker who knows
 * the generator gains nothing over guessing uniformly. HOTP's 31-bit truncation (RFC 4226) gave
 * 10-digit codes only 0, 1 or 2 as first digit (2.1 x 10^9 codes, not 10^10) and skewed the
 * first digit of 8- and 9-digit codes.
 *
 * Inputs are fixed (key, nonces), so the verdict is deterministic, not flaky.
 */
import Redis from 'ioredis';
import { CODE_SCHEME_HOTP, generateCode, hashCode } from '../../src/otp/code-crypto';
import { OtpService, createMemoryOtpStore, createRedisOtpStore } from '../../src/otp';
import { deleteRedisPrefix, REDIS_URL, uniquePrefix } from './helpers/otp-backends';
import { makeService, PHONE } from './helpers/service-factory';

const SAMPLES = 100_000;
const KEY = Buffer.from('uniformity-test-server-key-0123456789');
/** Chi-square with 9 degrees of freedom that a uniform digit exceeds with probability 0.0001. */
const CHI_SQUARE_9_P0001 = 33.72;

function chiSquare(counts: number[], total: number): number {
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

/** Digit counts per position: counts[position][digit]. */
function digitCounts(codes: Iterable<string>, length: number): number[][] {
  const counts = Array.from({ length }, () => new Array<number>(10).fill(0));
  for (const code of codes) for (let position = 0; position < length; position++) counts[position][code.charCodeAt(position) - 48] += 1;
  return counts;
}

describe('SMS codes are uniform at every digit position (100,000 codes per length)', () => {
  test.each([4, 5, 6, 7, 8, 9, 10])('%i-digit codes: each position passes a chi-square test at p = 0.0001', async (length) => {
    const codes: string[] = [];
    for (let i = 0; i < SAMPLES; i++) codes.push(await generateCode(KEY, `nonce-${length}-${i}`, i % 5, length));
    const shape = new RegExp(`^\\d{${length}}$`);
    expect(codes.filter((code) => !shape.test(code))).toEqual([]);
    const verdicts = digitCounts(codes, length).map((counts, position) => ({
      position: position + 1,
      chiSquare: Math.round(chiSquare(counts, SAMPLES) * 10) / 10,
      counts,
    }));
    const skewed = verdicts.filter((v) => v.chiSquare >= CHI_SQUARE_9_P0001);
    expect(skewed).toEqual([]);
  });

  test('10-digit codes issued by OtpService start with every digit 0-9 (HOTP gave only 0, 1, 2)', async () => {
    const service = new OtpService({
      store: createMemoryOtpStore(),
      serverKey: KEY,
      policy: { codeLength: 10 },
      guard: { allowedCountries: [], perNumberPerHour: 0, perPrefixPerHour: 0, globalPerHour: 0 },
    });
    const firstDigits = new Array<number>(10).fill(0);
    const issued = 10_000;
    for (let i = 0; i < issued; i++) {
      const { code } = await service.issue(`+4915${String(i).padStart(9, '0')}`);
      firstDigits[Number(code[0])] += 1;
    }
    expect(chiSquare(firstDigits, issued)).toBeLessThan(CHI_SQUARE_9_P0001);
  });
});

describe('verifications issued before uniform codes (HOTP, stored without a codeScheme)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = uniquePrefix();
  afterAll(async () => {
    await deleteRedisPrefix(redis, prefix);
    await redis.quit();
  });

  test('a resend after the upgrade sends the HOTP code the user already has, and it approves', async () => {
    const { service, clock } = makeService(createRedisOtpStore(redis, { keyPrefix: prefix }), { serverKey: KEY.toString() });
    const issued = await service.issue(PHONE);
    // Rewrite the record as the previous version wrote it: an HOTP code, no codeScheme field.
    const key = `${prefix}v:${PHONE}:default`;
    const hotp = await generateCode(KEY, String(await redis.hget(key, 'nonce')), 0, 6, CODE_SCHEME_HOTP);
    await redis.hset(key, 'codeHash', hashCode(KEY, issued.sid, 0, hotp));
    await redis.hdel(key, 'codeScheme');
    clock.advanceSeconds(30);
    expect(await service.issue(PHONE)).toMatchObject({ resent: true, sid: issued.sid, code: hotp });
    expect(await service.verify(PHONE, hotp)).toMatchObject({ approved: true });
  });
});
