/**
 * A failed SMS gives back what it reserved: when OTP Issue's SMS does not go out (the bind is
 * refused, the carrier rejects the submit), the verification's send count and resend slot and
 * the hourly pumping counters are as if it had not been tried, so the user's retry is sent at
 * once. Memory and real Redis stores, through n8n's WorkflowExecute, SMS over TCP to the sandbox.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import type { HarnessRun } from '../harness/n8n-harness';
import { Status } from '../../src/transport/smpp/command-status';
import { processWide } from '../../src/process-wide/shared-resource-pool';
import { ISSUE, lastCodeSentTo, runIssue, runVerify, SIGNING_KEY, VERIFY } from '../fixtures/otp/otp-node-runs';
import { useOtpClock, useOtpSandbox } from '../fixtures/otp/otp-test-setup';
import { deleteRedisPrefix } from '../otp/helpers/otp-backends';

const keyPrefix = `test:otp-failed-send:${process.pid}:${randomBytes(4).toString('hex')}:`;
const otpSettings = { serverKey: SIGNING_KEY, defaultCountry: 'DE', appName: 'ACME' };
const WRONG_PASSWORD = { password: 'wrong' };

describe.each(['memory', 'redis'] as const)('OTP Issue: a failed SMS does not use up a send (%s store)', (stateStore) => {
  const sandbox = useOtpSandbox();
  const clockOf = useOtpClock();
  afterAll(async () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    await deleteRedisPrefix(redis, keyPrefix);
    await redis.quit();
    for (const client of processWide<Map<string, Redis>>('redisClients', () => new Map()).values()) client.disconnect();
  });

  const issue = (phoneNumber: string, extra: IDataObject = {}, smpp: ICredentialDataDecryptedObject = {}): Promise<HarnessRun> =>
    runIssue(
      { phoneNumber, stateStore, ...extra },
      { smsc: sandbox(), smpp, otpSettings, ...(stateStore === 'redis' ? { redis: { host: '127.0.0.1', port: 6379, keyPrefix } } : {}) },
    );
  const verify = (phoneNumber: string, code: string): Promise<HarnessRun> =>
    runVerify(
      { operation: 'verifySmsCode', phoneNumber, code, stateStore },
      { otpSettings, ...(stateStore === 'redis' ? { redis: { host: '127.0.0.1', port: 6379, keyPrefix } } : {}) },
    );

  it("the bind is refused 6 times in a row (Max Sends 5, 2 per hour); the user's next try, at once, is sent as send 1 of 5", async () => {
    const phone = stateStore === 'memory' ? '+4915112360001' : '+4915112360101';
    const limits = { perNumberPerHour: 2 };
    for (let attempt = 1; attempt <= 6; attempt++) {
      const failed = await issue(phone, { limits }, WRONG_PASSWORD);
      expect(failed.status).toBe('error');
      expect(failed.error?.message).toMatch(/ESME_RINVPASWD|password/);
      expect(failed.error?.message).not.toMatch(/refused \((resend_too_soon|max_sends_reached|rate_limited_number)\)/);
      clockOf().advanceSeconds(1);
    }
    expect(sandbox().store.list({ to: phone })).toHaveLength(0);
    const retried = await issue(phone, { limits });
    expect(retried.status).toBe('success');
    expect(retried.items(ISSUE)[0]).toMatchObject({ status: 'pending', sendCount: 1, sendsLeft: 4, resent: false });
    expect((await verify(phone, lastCodeSentTo(sandbox(), phone))).items(VERIFY, 0)[0]).toMatchObject({ approved: true });
  });

  it('5 resends the carrier rejects give back their slots: each retry 1 s later is tried again, then goes out as send 2 of 5', async () => {
    const phone = stateStore === 'memory' ? '+4915112360002' : '+4915112360102';
    const first = await issue(phone);
    expect(first.items(ISSUE)[0]).toMatchObject({ sendCount: 1 });
    clockOf().advanceSeconds(31);
    sandbox().setFaults({ failDestinations: [phone.slice(1)], failStatus: Status.systemError });
    try {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const failed = await issue(phone);
        expect(failed.status).toBe('error');
        expect(failed.error?.message).toMatch(/was not accepted by the carrier \(.*ESME_RSYSERR.*\)/);
        expect(failed.error?.message).not.toMatch(/refused \(resend_too_soon\)/);
        clockOf().advanceSeconds(1);
      }
    } finally {
      sandbox().setFaults({ failDestinations: [] });
    }
    const retried = await issue(phone);
    expect(retried.items(ISSUE)[0]).toMatchObject({ status: 'pending', sid: first.items(ISSUE)[0].sid, sendCount: 2, sendsLeft: 3, resent: true });
    expect((await verify(phone, lastCodeSentTo(sandbox(), phone))).items(VERIFY, 0)[0]).toMatchObject({ approved: true });
  });

  it('with New Code on Resend, a rejected resend leaves the code the phone already has working', async () => {
    const phone = stateStore === 'memory' ? '+4915112360003' : '+4915112360103';
    const limits = { newCodeOnResend: true };
    await issue(phone, { limits });
    const onThePhone = lastCodeSentTo(sandbox(), phone);
    clockOf().advanceSeconds(31);
    sandbox().setFaults({ failDestinations: [phone.slice(1)], failStatus: Status.systemError });
    try {
      expect((await issue(phone, { limits })).status).toBe('error');
    } finally {
      sandbox().setFaults({ failDestinations: [] });
    }
    expect((await verify(phone, onThePhone)).items(VERIFY, 0)[0]).toMatchObject({ approved: true });
  });
});
