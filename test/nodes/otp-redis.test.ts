/**
 * Queue mode: OTP state in the real Redis (127.0.0.1:6379) under a key prefix unique to this
 * run, the signing key from the SMS OTP Settings credential. Issue runs here; Verify runs in
 * another workflow run, and in a separate node process with its own Redis connection.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { logCapture, testCredential } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { processWide } from '../../src/process-wide/shared-resource-pool';
import { resetOtpClock, setOtpClock } from '../../nodes/shared/otp/otp-clock';
import { startSandbox } from '../support/sandbox';
import {
  codesSentTo,
  ISSUE,
  lastCodeSentTo,
  ManualClock,
  otpCredentialTypes,
  otpNodeTypes,
  runIssue,
  runVerify,
  SIGNING_KEY,
  START_MS,
  VERIFY,
  wrongCode,
} from '../fixtures/otp/otp-node-runs';
import { verifyInChildProcess } from '../fixtures/otp/verify-in-process';

const keyPrefix = `test:otp-nodes:${process.pid}:${randomBytes(4).toString('hex')}:`;
const redisCredential = { host: '127.0.0.1', port: 6379, keyPrefix };
const otpSettings = { serverKey: SIGNING_KEY, defaultCountry: 'DE', appName: 'ACME' };

async function keysUnderPrefix(redis: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Every key under the prefix with its value (hash fields, strings, sorted-set members), as text. */
async function dumpPrefix(redis: Redis): Promise<string> {
  const parts: string[] = [];
  for (const key of await keysUnderPrefix(redis)) {
    const type = await redis.type(key);
    parts.push(key);
    if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'string') parts.push(String(await redis.get(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else parts.push(`<${type}>`);
  }
  return parts.join('\n');
}

describe('OTP nodes with the Redis state store', () => {
  let smsc: SandboxSmsc;
  let clock: ManualClock;
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  const issuedCodes = new Set<string>();

  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    await redis.connect();
    smsc = await startSandbox();
  });
  beforeEach(() => {
    clock = new ManualClock(START_MS);
    setOtpClock(clock.now);
  });
  afterAll(async () => {
    resetOtpClock();
    const keys = await keysUnderPrefix(redis);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    // The nodes' process-wide Redis clients (nodes/shared/state/redis-connection.ts) would keep jest alive.
    for (const client of processWide<Map<string, Redis>>('redisClients', () => new Map()).values()) client.disconnect();
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const issue = async (
    phoneNumber: string,
    extra: Record<string, unknown> = {},
    settings: ICredentialDataDecryptedObject = otpSettings,
  ): Promise<HarnessRun> => {
    const run = await runIssue({ phoneNumber, stateStore: 'redis', ...extra }, { smsc, otpSettings: settings, redis: redisCredential });
    for (const code of codesSentTo(smsc, phoneNumber)) issuedCodes.add(code);
    return run;
  };
  const verify = (phoneNumber: string, code: string, settings: ICredentialDataDecryptedObject = otpSettings): Promise<HarnessRun> =>
    runVerify({ operation: 'verifySmsCode', phoneNumber, code, stateStore: 'redis' }, { otpSettings: settings, redis: redisCredential });

  it('Issue here, Verify in a separate node process (own Redis connection and OtpService): wrong, right, then already used', async () => {
    const phone = '+4915112350001';
    const issued = await issue(phone, { channel: 'login' });
    expect(issued.status).toBe('success');
    const code = lastCodeSentTo(smsc, phone);
    const parameters = { operation: 'verifySmsCode', phoneNumber: phone, channel: 'login', stateStore: 'redis' };
    const reply = await verifyInChildProcess({
      runs: [
        { ...parameters, code: wrongCode(code) },
        { ...parameters, code },
      ],
      otpSettings,
      redis: redisCredential,
      now: clock.now(),
    });
    expect(reply.pid).not.toBe(process.pid);
    const [wrong, right] = reply.results;
    expect(wrong).toMatchObject({ status: 'success', approved: [] });
    expect(wrong.rejected).toEqual([expect.objectContaining({ reason: 'invalid_code', attemptsLeft: 4 })]);
    expect(right.approved).toEqual([
      expect.objectContaining({ to: phone, channel: 'login', approved: true, sid: issued.items(ISSUE)[0].sid, attemptsLeft: 3 }),
    ]);
    // Back in this process, the approval made over there is visible through Redis.
    const again = await runVerify({ ...parameters, code }, { otpSettings, redis: redisCredential });
    expect(again.items(VERIFY, 1)[0]).toMatchObject({ status: 'approved', reason: 'already_used' });
  }, 60_000);

  it('separate workflow runs share sends and attempts; a different signing key cannot verify', async () => {
    const phone = '+4915112350002';
    const first = (await issue(phone)).items(ISSUE)[0];
    clock.advanceSeconds(31);
    const second = (await issue(phone)).items(ISSUE)[0];
    expect(second).toMatchObject({ sid: first.sid, resent: true, sendCount: 2, sendsLeft: 3 });
    const code = lastCodeSentTo(smsc, phone);
    const otherKey = await verify(phone, code, { ...otpSettings, serverKey: 'another-signing-key-0123456789' });
    expect(otherKey.items(VERIFY, 1)[0]).toMatchObject({ status: 'pending', reason: 'invalid_code', attemptsLeft: 4 });
    expect(otherKey.items(VERIFY, 0)).toEqual([]);
    expect((await verify(phone, code)).items(VERIFY, 0)[0]).toMatchObject({ approved: true, attemptsLeft: 3 });
  });

  it('expiry and cancel work on Redis too', async () => {
    const phone = '+4915112350003';
    await issue(phone, { lifetimeMinutes: 1 });
    clock.advanceSeconds(60);
    expect((await verify(phone, lastCodeSentTo(smsc, phone))).items(VERIFY, 1)[0]).toMatchObject({ reason: 'expired' });
    await issue(phone, { lifetimeMinutes: 1 });
    const canceled = await runVerify({ operation: 'cancel', phoneNumber: phone, stateStore: 'redis' }, { otpSettings, redis: redisCredential });
    expect(canceled.items(VERIFY, 0)).toEqual([expect.objectContaining({ canceled: true, status: 'canceled' })]);
  });

  it('Redis holds neither the codes nor the signing key, and no code reaches the logs', async () => {
    const phone = '+4915112350004';
    await issue(phone, { codeLength: 10 });
    const dump = await dumpPrefix(redis);
    expect(dump).toContain(phone); // the dump does see the verification...
    expect(issuedCodes.size).toBeGreaterThanOrEqual(5);
    for (const code of issuedCodes) expect(dump).not.toContain(code); // ...but not its code
    expect(dump).not.toContain(SIGNING_KEY);
    const logs = logCapture.text();
    for (const code of issuedCodes) expect(logs).not.toContain(code);
    expect(logs).not.toContain(SIGNING_KEY);
  });

  it('Redis mode needs the SMS OTP Settings credential, with a long enough key (never echoed)', async () => {
    const missing = await runIssue({ phoneNumber: '+4915112350005', appName: 'ACME', stateStore: 'redis' }, { smsc, redis: redisCredential });
    expect(missing.status).toBe('error');
    expect(missing.error?.message).toMatch(/State Store is Redis, so select an SMS OTP Settings credential/);
    const short = await verify('+4915112350005', '123456', { serverKey: 'tooshort42' });
    expect(short.error?.message).toMatch(/Server Signing Key must be at least 16 characters \(it has 10\); generate one with "openssl rand -hex 32"/);
    expect(short.error?.message).not.toContain('tooshort42');
    expect(logCapture.text()).not.toContain('tooshort42');
    expect(smsc.store.list({ to: '+4915112350005' })).toHaveLength(0);
  });

  it('credential test of SMS OTP Settings checks the key and the country offline', async () => {
    const ok = await testCredential({ nodeTypes: otpNodeTypes, credentialType: 'smsOtpApi', data: otpSettings, credentialTypes: otpCredentialTypes });
    expect(ok).toEqual({ status: 'OK', message: `Signing key accepted (${SIGNING_KEY.length} characters), default country DE` });
    const bad = await testCredential({
      nodeTypes: otpNodeTypes,
      credentialType: 'smsOtpApi',
      data: { serverKey: 'abc', defaultCountry: 'XX' },
      credentialTypes: otpCredentialTypes,
    });
    expect(bad.status).toBe('Error');
    expect(bad.message).toMatch(/at least 16 characters \(it has 3\)/);
    const country = await testCredential({
      nodeTypes: otpNodeTypes,
      credentialType: 'smsOtpApi',
      data: { serverKey: SIGNING_KEY, defaultCountry: 'XX' },
      credentialTypes: otpCredentialTypes,
    });
    expect(country.message).toMatch(/Default Country "XX" is not a known country/);
  });
});
