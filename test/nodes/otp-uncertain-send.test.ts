/**
 * A send that may have reached the phone is not given back. When the carrier took the SMS but
 * its answer was lost (the resend is then a possible duplicate), or took some parts of a long
 * one, the phone may hold the code: the verification stays pending and the send counts toward
 * the resend interval, Max Sends and the hourly limits, and the error says so and what a retry
 * does. Before, such a send was refunded: 5 tries 1 s apart put 5 codes on a phone limited to 1
 * per hour, and the code that arrived did not work. Memory and real Redis, SMS over TCP.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { IDataObject } from 'n8n-workflow';
import type { HarnessRun } from '../harness/n8n-harness';
import { Status } from '../../src/transport/smpp/command-status';
import { processWide } from '../../src/process-wide/shared-resource-pool';
import { codesSentTo, ISSUE, runIssue, runVerify, SIGNING_KEY, VERIFY } from '../fixtures/otp/otp-node-runs';
import { useOtpClock, useOtpSandbox } from '../fixtures/otp/otp-test-setup';
import { deleteRedisPrefix } from '../otp/helpers/otp-backends';

const keyPrefix = `test:otp-uncertain-send:${process.pid}:${randomBytes(4).toString('hex')}:`;
const otpSettings = { serverKey: SIGNING_KEY, defaultCountry: 'DE', appName: 'ACME' };
const LONG_TEMPLATE = `Your {app} code is {code}. ${'This notice makes the message two parts long. '.repeat(4)}`;

describe.each(['memory', 'redis'] as const)('Issue OTP: an SMS that may have reached the phone is kept (%s store)', (stateStore) => {
  const sandbox = useOtpSandbox();
  const clockOf = useOtpClock();
  afterEach(() => sandbox().setFaults({ failDestinations: [], failParts: [], dropAfterSubmits: 0 }));
  afterAll(async () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    await deleteRedisPrefix(redis, keyPrefix);
    await redis.quit();
    for (const client of processWide<Map<string, Redis>>('redisClients', () => new Map()).values()) client.disconnect();
  });

  const stores = stateStore === 'redis' ? { redis: { host: '127.0.0.1', port: 6379, keyPrefix } } : {};
  const issue = (phoneNumber: string, extra: IDataObject = {}): Promise<HarnessRun> =>
    runIssue({ phoneNumber, stateStore, ...extra }, { smsc: sandbox(), otpSettings, continueOnFail: true, ...stores });
  const verify = (phoneNumber: string, code: string): Promise<HarnessRun> =>
    runVerify({ operation: 'verifySmsCode', phoneNumber, code, stateStore }, { otpSettings, ...stores });
  /** Codes in the parts the phone got (part 2 of the long template carries none). */
  const codesInParts = (to: string): string[] =>
    sandbox()
      .store.list({ to })
      .flatMap((m) => /\b(\d{6})\b/.exec(m.text ?? '')?.[1] ?? []);
  const phone = (n: number): string => `+49151123691${stateStore === 'memory' ? 0 : 5}${n}`;

  it('the carrier took the SMS, its answer was lost and the resend refused: 5 tries 1 s apart (1 per hour allowed) reach the phone once, and that code works', async () => {
    const to = phone(1);
    const items: IDataObject[] = [];
    for (let i = 0; i < 5; i++) {
      // The first submit is taken (the phone gets it) and the link drops before the answer; the
      // transport resends it as a possible duplicate, and the carrier refuses that.
      sandbox().setFaults({ dropAfterSubmits: 1, failDestinations: [to.slice(1)], failStatus: Status.systemError });
      items.push((await issue(to, { limits: { perNumberPerHour: 1, maxSends: 1 } })).items(ISSUE)[0]);
      clockOf().advanceSeconds(1);
    }
    const codes = codesSentTo(sandbox(), to);
    expect(codes).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'error' });
    expect(String(items[0].error)).toMatch(
      new RegExp(
        `^OTP SMS to \\${to} may have reached the phone: the carrier may have taken it before its answer was lost \\(.*ESME_RSYSERR.*\\)\\. The verification stays pending and this send counts \\(send 1 of 1\\); no sends are left: a new verification can start when this one expires at .* \\(if the hourly limits allow\\)\\.$`,
      ),
    );
    expect(items.slice(1).map((item) => item.refused)).toEqual(['max_sends_reached', 'max_sends_reached', 'max_sends_reached', 'max_sends_reached']);
    expect((await verify(to, codes[0])).items(VERIFY, 0)[0]).toMatchObject({ approved: true });
  });

  it('a two-part code SMS whose part 1 the carrier took and part 2 refused: kept and counted; a retry is refused for 30 s, then resends the same code', async () => {
    const to = phone(2);
    sandbox().setFaults({ failParts: [2], failStatus: Status.invalidDestination });
    const first = (await issue(to, { messageTemplate: LONG_TEMPLATE })).items(ISSUE)[0];
    expect(String(first.error)).toMatch(
      new RegExp(
        `^OTP SMS to \\${to} may have reached the phone: the carrier took 1 of its 2 parts \\(part 2 of 2: .*ESME_RINVDSTADR.*\\)\\. The verification stays pending and this send counts \\(send 1 of 5\\); a retry within 30 s is refused as too soon; after that it resends the same code \\(if the hourly limits allow\\)\\.$`,
      ),
    );
    sandbox().setFaults({ failParts: [] });
    clockOf().advanceSeconds(1);
    expect((await issue(to, { messageTemplate: LONG_TEMPLATE })).items(ISSUE)[0]).toMatchObject({
      status: 'refused',
      refused: 'resend_too_soon',
      retryAfterSeconds: 29,
    });
    clockOf().advanceSeconds(29);
    const retried = (await issue(to, { messageTemplate: LONG_TEMPLATE })).items(ISSUE)[0];
    expect(retried).toMatchObject({ status: 'pending', sendCount: 2, resent: true });
    const codes = codesInParts(to);
    expect(codes).toHaveLength(2);
    expect(new Set(codes).size).toBe(1);
    expect((await verify(to, codes[0])).items(VERIFY, 0)[0]).toMatchObject({ approved: true });
  });

  it('with New Code on Resend the error says the retry sends a new code; a definite refusal of every part is still given back', async () => {
    const to = phone(3);
    sandbox().setFaults({ failParts: [2], failStatus: Status.invalidDestination });
    const uncertain = (await issue(to, { messageTemplate: LONG_TEMPLATE, limits: { newCodeOnResend: true } })).items(ISSUE)[0];
    expect(String(uncertain.error)).toMatch(
      /; a retry within 30 s is refused as too soon; after that it sends a new code \(if the hourly limits allow\), and the one in this SMS then stops working\.$/,
    );
    const other = phone(4);
    sandbox().setFaults({ failParts: [1, 2] });
    const refused = (await issue(other, { messageTemplate: LONG_TEMPLATE })).items(ISSUE)[0];
    expect(String(refused.error)).toMatch(
      /was not accepted by the carrier \(part 1 of 2: .*\); nothing was sent and the verification was ended, so a retry starts a new one at once$/,
    );
    sandbox().setFaults({ failParts: [] });
    expect((await issue(other, { messageTemplate: LONG_TEMPLATE })).items(ISSUE)[0]).toMatchObject({ status: 'pending', sendCount: 1 });
  });
});
