/**
 * Authenticator codes in queue mode: OTP Issue enrols into the real Redis (127.0.0.1:6379, a key
 * prefix unique to this run), OTP Verify checks by User ID here and in a separate node process
 * with its own connection. The wrong-code limit and replay refusal hold across both processes;
 * Redis holds neither the secret nor the User ID in the clear.
 */
import { randomBytes } from 'node:crypto';
import { base32Plugin } from '../../src/otp/otplib-plugins';
import Redis from 'ioredis';
import type { IDataObject } from 'n8n-workflow';
import { processWide } from '../../src/process-wide/shared-resource-pool';
import { ISSUE, runIssue, runVerify, SIGNING_KEY, VERIFY } from '../fixtures/otp/otp-node-runs';
import { useOtpClock } from '../fixtures/otp/otp-test-setup';
import { verifyInChildProcess } from '../fixtures/otp/verify-in-process';
import { authenticatorCode, guessesRightOnesLast, secretFromQrCode } from '../fixtures/otp/authenticator-app';
import { deleteRedisPrefix, dumpRedisPrefix } from '../otp/helpers/otp-backends';

const keyPrefix = `test:otp-totp:${process.pid}:${randomBytes(4).toString('hex')}:`;
const redisCredential = { host: '127.0.0.1', port: 6379, keyPrefix };
const otpSettings = { serverKey: SIGNING_KEY, defaultCountry: 'DE', appName: 'ACME' };
const START = Date.UTC(2030, 0, 1, 12, 0, 10);

describe('OTP authenticator with the Redis state store (two processes)', () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  const clockOf = useOtpClock(START);
  afterAll(async () => {
    await deleteRedisPrefix(redis, keyPrefix);
    await redis.quit();
    for (const client of processWide<Map<string, Redis>>('redisClients', () => new Map()).values()) client.disconnect();
  });

  const enrol = async (userId: string): Promise<string> => {
    const run = await runIssue(
      { operation: 'enrolAuthenticator', userId, accountName: `${userId}@example.com`, issuer: 'ACME', stateStore: 'redis' },
      { otpSettings, redis: redisCredential },
    );
    expect(run.status).toBe('success');
    return secretFromQrCode(run.binary(ISSUE)[0].qrCode);
  };
  const verifyParameters = (userId: string, code: string): IDataObject => ({ operation: 'verifyAuthenticatorCode', userId, code, stateStore: 'redis' });

  // One child process (starting one costs seconds) does both: a verify by User ID only, then half the guesses.
  it('enrolled here, verified by User ID in another process; 1,000 guessed codes, half from there, every right one among them: stopped after 5', async () => {
    const secret = await enrol('user-1001');
    const code = authenticatorCode(secret, clockOf().now());
    const target = await enrol('user-1002');
    const items = guessesRightOnesLast(target, clockOf().now(), 1_000).map((guess) => ({ userId: 'user-1002', code: guess }));
    const parameters = { operation: 'verifyAuthenticatorCode', userId: '={{ $json.userId }}', code: '={{ $json.code }}', stateStore: 'redis' };
    const child = verifyInChildProcess({
      runs: [verifyParameters('user-1001', code), { ...parameters, inputItems: items.filter((_, i) => i % 2 === 1) }],
      otpSettings,
      redis: redisCredential,
      now: clockOf().now(),
    });
    const here = await runVerify(parameters, { otpSettings, redis: redisCredential, inputItems: items.filter((_, i) => i % 2 === 0) });
    const reply = await child;
    expect(reply.pid).not.toBe(process.pid);
    const [verified, guessedThere] = reply.results;
    expect(verified.approved).toEqual([expect.objectContaining({ userId: 'user-1001', approved: true })]);
    const replay = await runVerify(verifyParameters('user-1001', code), { otpSettings, redis: redisCredential });
    expect(replay.items(VERIFY, 1)[0]).toMatchObject({ reason: 'already_used' });

    const rejected = [...here.items(VERIFY, 1), ...(guessedThere.rejected ?? [])];
    expect([...here.items(VERIFY, 0), ...(guessedThere.approved ?? [])]).toEqual([]);
    expect(rejected).toHaveLength(1_000);
    expect(rejected.filter((item) => item.reason === 'invalid_code')).toHaveLength(5);
    expect(rejected.filter((item) => item.reason === 'too_many_attempts')).toHaveLength(995);

    const stored = await dumpRedisPrefix(redis, keyPrefix);
    expect(stored).toContain(':otp:totp:u:');
    for (const clear of [secret, target, 'user-1001', 'user-1002']) expect(stored).not.toContain(clear);
  }, 90_000);

  it('version 1 (secret passed in) with State Store Redis: a second process finds the code used and the 5 wrong codes counted', async () => {
    const secret = base32Plugin.encode(new Uint8Array(randomBytes(20)));
    const right = authenticatorCode(secret, clockOf().now());
    const wrong = guessesRightOnesLast(secret, clockOf().now(), 8).slice(0, 5);
    const items = [right, ...wrong].map((code) => ({ secret, code }));
    const parameters = { operation: 'verifyAuthenticatorCode', secret: '={{ $json.secret }}', code: '={{ $json.code }}', stateStore: 'redis' };
    const there = (
      await verifyInChildProcess({ runs: [{ ...parameters, typeVersion: 1, inputItems: items }], otpSettings, redis: redisCredential, now: clockOf().now() })
    ).results[0];
    const here = await runVerify(parameters, { otpSettings, redis: redisCredential, inputItems: items, typeVersion: 1 });
    const approved = [...(there.approved ?? []), ...here.items(VERIFY, 0)];
    const reasons = [...(there.rejected ?? []), ...here.items(VERIFY, 1)].map((item) => item.reason);
    expect(approved).toHaveLength(1);
    expect(reasons.filter((reason) => reason === 'invalid_code')).toHaveLength(5);
    expect(reasons.filter((reason) => reason === 'too_many_attempts')).toHaveLength(6);
  }, 90_000);

  it('another signing key finds no enrolment (secrets and user keys are bound to the key)', async () => {
    const secret = await enrol('user-1003');
    const other = await runVerify(verifyParameters('user-1003', authenticatorCode(secret, clockOf().now())), {
      otpSettings: { ...otpSettings, serverKey: 'another-signing-key-0123456789' },
      redis: redisCredential,
    });
    expect(other.items(VERIFY, 1)[0]).toMatchObject({ reason: 'not_enrolled' });
  });
});
