/**
 * Secrets, part 2: one-time codes and TOTP secrets. The real codes are read from the SMS the
 * sandbox SMSC received (or, when the carrier rejects the SMS, from the submit_sm it was sent
 * in); none may appear in n8n's logs, printed output, error messages or OTP output items.
 * Codes are stored only as keyed hashes: a scan of the Redis keys and values under this file's
 * prefix finds neither a code, nor the signing key, nor the Redis password. A TOTP secret
 * leaves the nodes only inside the QR code image (version 1: once, in the enrolment output).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { logCapture, serializeForSearch, testCredential } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import type { MessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { Status } from '../../src/transport/smpp/command-status';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { closeSharedRedisClients } from '../../nodes/shared/state/redis-connection';
import { resetOtpClock, setOtpClock } from '../../nodes/shared/otp/otp-clock';
import { startSandbox } from '../support/sandbox';
import {
  codesSentTo,
  ISSUE,
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
import { authenticatorCode, secretFromQrCode } from '../fixtures/otp/authenticator-app';
import { leakedSecrets, OutputCapture } from '../reliability/support/output-capture';
import { createRedisTestUser } from '../reliability/support/redis-test-user';
import type { RedisTestUser } from '../reliability/support/redis-test-user';

const OTP_SETTINGS = { serverKey: SIGNING_KEY, defaultCountry: 'DE', appName: 'ACME' };

/** Everything a run shows of the node: all outputs' JSON and binary, and the error with its stack. */
function visible(run: HarnessRun, node: string): string {
  return serializeForSearch({ outputs: run.ran(node) ? run.outputs(node) : [], error: run.error });
}

describe('secrets: OTP codes and TOTP secrets', () => {
  const output = new OutputCapture();
  let smsc: SandboxSmsc;
  let redisUser: RedisTestUser;
  let clock: ManualClock;
  /** Text of every submit_sm the sandbox saw, accepted or not. */
  const submitted: string[] = [];
  /** Codes and secrets gathered as the tests go; the last test scans the whole file's logs for all of them. */
  const codes = new Set<string>();
  const totpSecrets = new Set<string>();

  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    output.start();
    smsc = await startSandbox();
    const onSubmit = smsc.onSubmit.bind(smsc);
    smsc.onSubmit = (session, pdu: MessagePdu) => {
      submitted.push(pdu.shortMessage.toString('latin1'));
      return onSubmit(session, pdu);
    };
    redisUser = await createRedisTestUser('secrets-otp');
  });
  beforeEach(() => {
    clock = new ManualClock(START_MS);
    setOtpClock(clock.now);
  });
  afterEach(async () => {
    await closeAllSmppTransports();
  });
  afterAll(async () => {
    output.stop();
    resetOtpClock();
    await closeSharedRedisClients();
    await redisUser.remove();
    await smsc.stop();
  });

  const redis = (): ICredentialDataDecryptedObject => ({
    host: '127.0.0.1',
    port: 6379,
    user: redisUser.user,
    password: redisUser.password,
    keyPrefix: redisUser.keyPrefix,
  });
  const issue = (phoneNumber: string, stateStore = 'memory') =>
    runIssue({ phoneNumber, stateStore, codeLength: 10 }, { smsc, otpSettings: OTP_SETTINGS, redis: stateStore === 'redis' ? redis() : undefined });
  /** The code comes from the item, as users map it; a literal would be kept in the node's parameters. */
  const verify = (phoneNumber: string, code: string, stateStore = 'memory') =>
    runVerify(
      { operation: 'verifySmsCode', phoneNumber, code: '={{ $json.code }}', stateStore },
      { otpSettings: OTP_SETTINGS, redis: stateStore === 'redis' ? redis() : undefined, inputItems: [{ code }] },
    );
  const lastCode = (phone: string): string => {
    const sent = codesSentTo(smsc, phone);
    sent.forEach((code) => codes.add(code));
    return sent[sent.length - 1];
  };

  it('memory store: issue, resend, wrong code, right code: the codes are in the SMS and nowhere else', async () => {
    const phone = '+4915112360001';
    const mark = logCapture.mark();
    const printed = output.mark();
    const first = await issue(phone);
    clock.advanceSeconds(31);
    const resend = await issue(phone);
    expect(resend.items(ISSUE)[0]).toMatchObject({ resent: true, sendCount: 2 });
    const code = lastCode(phone);
    expect(code).toMatch(/^\d{10}$/);
    const wrong = await verify(phone, wrongCode(code));
    expect(wrong.items(VERIFY, 1)[0]).toMatchObject({ reason: 'invalid_code' });
    const right = await verify(phone, code);
    expect(right.items(VERIFY, 0)[0]).toMatchObject({ approved: true });
    const seen = [first, resend]
      .map((r) => visible(r, ISSUE))
      .concat(
        [wrong, right].map((r) => visible(r, VERIFY)),
        logCapture.text(mark),
        output.text(printed),
      )
      .join('\n');
    expect(leakedSecrets(seen, { 'OTP code': code, 'wrong code typed': wrongCode(code), 'OTP signing key': SIGNING_KEY })).toEqual([]);
  });

  it('a code typed for the wrong number is not echoed back (it may be a real code)', async () => {
    await issue('+4915112360002');
    const code = lastCode('+4915112360002');
    const mark = logCapture.mark();
    const run = await verify('+4915112360003', code);
    expect(run.items(VERIFY, 1)[0]).toMatchObject({ reason: 'not_found' });
    expect(leakedSecrets(`${visible(run, VERIFY)}\n${logCapture.text(mark)}`, { 'OTP code': code })).toEqual([]);
  });

  it('the carrier rejects the OTP SMS: the error names the failure, not the code it carried', async () => {
    const phone = '+4915112360004';
    smsc.setFaults({ failDestinations: [phone.slice(1)], failStatus: Status.invalidDestination });
    const before = submitted.length;
    const mark = logCapture.mark();
    try {
      const run = await issue(phone);
      expect(run.status).toBe('error');
      expect(run.error?.message).toMatch(/was not accepted by the carrier \(.*ESME_RINVDSTADR/);
      const rejected = submitted
        .slice(before)
        .map((text) => /\b(\d{10})\b/.exec(text)?.[1])
        .filter((c): c is string => c !== undefined);
      expect(rejected).toHaveLength(1);
      codes.add(rejected[0]);
      expect(leakedSecrets(`${visible(run, ISSUE)}\n${logCapture.text(mark)}`, { 'rejected OTP code': rejected[0] })).toEqual([]);
    } finally {
      smsc.setFaults({ failDestinations: [] });
    }
  });

  it('Redis store behind a password: keys and values hold no code, no signing key, no password; verify works', async () => {
    const phone = '+4915112360005';
    const mark = logCapture.mark();
    const issued = await issue(phone, 'redis');
    expect(issued.status).toBe('success');
    const code = lastCode(phone);
    const dump = await redisUser.dump();
    expect(dump).toContain(phone); // the scan does see the verification...
    expect(dump).toContain('codeHash');
    expect(leakedSecrets(dump, { 'OTP code': code, 'OTP signing key': SIGNING_KEY, 'Redis password': redisUser.password })).toEqual([]); // ...but no secret
    const right = await verify(phone, code, 'redis');
    expect(right.items(VERIFY, 0)[0]).toMatchObject({ approved: true });
    const seen = [visible(issued, ISSUE), visible(right, VERIFY), logCapture.text(mark)].join('\n');
    expect(leakedSecrets(seen, { 'OTP code': code, 'Redis password': redisUser.password })).toEqual([]);
  });

  it('TOTP (version 2, Redis): the secret is only in the QR code image; not in output JSON, logs or Redis; verify never shows it', async () => {
    clock.set(Date.UTC(2030, 0, 1, 12, 0, 10));
    const mark = logCapture.mark();
    const printed = output.mark();
    const enrol = await runIssue(
      { operation: 'enrolAuthenticator', userId: 'user-77', accountName: 'alice@example.com', issuer: 'ACME', stateStore: 'redis' },
      { otpSettings: OTP_SETTINGS, redis: redis() },
    );
    const secret = secretFromQrCode(enrol.binary(ISSUE)[0].qrCode);
    totpSecrets.add(secret);
    const outputJson = JSON.stringify(enrol.outputs(ISSUE).map((items) => items.map((item) => item.json)));
    const stored = await redisUser.dump();
    expect(stored).toContain('totp:u:');
    const secrets = { 'TOTP secret': secret, 'User ID': 'user-77', 'OTP signing key': SIGNING_KEY };
    expect(leakedSecrets(stored, secrets)).toEqual([]);
    expect(leakedSecrets([outputJson, logCapture.text(mark), output.text(printed)].join('\n'), { 'TOTP secret': secret })).toEqual([]);

    const check = (userId: string, code: string) =>
      runVerify(
        { operation: 'verifyAuthenticatorCode', userId: '={{ $json.userId }}', code: '={{ $json.code }}', stateStore: 'redis' },
        { otpSettings: OTP_SETTINGS, redis: redis(), inputItems: [{ userId, code }], continueOnFail: true },
      );
    const code = authenticatorCode(secret, clock.now());
    const verifyMark = logCapture.mark();
    const right = await check('user-77', code);
    expect(right.items(VERIFY, 0)[0]).toMatchObject({ approved: true });
    const wrong = await check('user-77', wrongCode(code));
    expect(wrong.items(VERIFY, 1)[0]).toMatchObject({ reason: 'invalid_code' });
    const malformed = await check('user-77', `${code}!`);
    expect(malformed.items(VERIFY, 1)[0]).toMatchObject({ status: 'error', field: 'code' });
    const seen = [right, wrong, malformed]
      .map((r) => visible(r, VERIFY))
      .concat(logCapture.text(verifyMark), output.text(printed))
      .join('\n');
    expect(leakedSecrets(seen, { 'TOTP secret': secret, 'TOTP secret (first 20 characters)': secret.slice(0, 20) })).toEqual([]);
  });

  it('TOTP (version 1, saved workflows): the secret is in the enrolment output only; verify (right, wrong, malformed) never shows it', async () => {
    clock.set(Date.UTC(2030, 0, 1, 12, 0, 10));
    const mark = logCapture.mark();
    const printed = output.mark();
    const enrol = await runIssue({ operation: 'enrolAuthenticator', accountName: 'alice@example.com', issuer: 'ACME' }, { typeVersion: 1 });
    const secret = String(enrol.items(ISSUE)[0].secret);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    totpSecrets.add(secret);
    expect(leakedSecrets(`${logCapture.text(mark)}\n${output.text(printed)}`, { 'TOTP secret': secret })).toEqual([]);

    const check = (candidateSecret: string, code: string) =>
      runVerify(
        { operation: 'verifyAuthenticatorCode', secret: '={{ $json.secret }}', code: '={{ $json.code }}' },
        { inputItems: [{ secret: candidateSecret, code }], continueOnFail: true, typeVersion: 1 },
      );
    const code = authenticatorCode(secret, clock.now());
    const verifyMark = logCapture.mark();
    const right = await check(secret, code);
    expect(right.items(VERIFY, 0)[0]).toMatchObject({ approved: true });
    const wrong = await check(secret, wrongCode(code));
    expect(wrong.items(VERIFY, 1)[0]).toMatchObject({ reason: 'invalid_code' });
    const malformed = await check(`${secret.slice(0, 20)}!!`, code);
    expect(malformed.items(VERIFY, 1)[0]).toMatchObject({ status: 'error', field: 'secret' });
    const seen = [right, wrong, malformed]
      .map((r) => visible(r, VERIFY))
      .concat(logCapture.text(verifyMark), output.text(printed))
      .join('\n');
    expect(leakedSecrets(seen, { 'TOTP secret': secret, 'TOTP secret (first 20 characters)': secret.slice(0, 20) })).toEqual([]);
  });

  it('SMS OTP Settings credential test: a short or good signing key is never repeated', async () => {
    const short = await testCredential({
      nodeTypes: otpNodeTypes,
      credentialType: 'smsOtpApi',
      data: { serverKey: 'tooShortKey9' },
      credentialTypes: otpCredentialTypes,
    });
    const good = await testCredential({ nodeTypes: otpNodeTypes, credentialType: 'smsOtpApi', data: OTP_SETTINGS, credentialTypes: otpCredentialTypes });
    expect([short.status, good.status]).toEqual(['Error', 'OK']);
    expect(leakedSecrets(JSON.stringify([short, good]), { 'short key': 'tooShortKey9', 'OTP signing key': SIGNING_KEY })).toEqual([]);
  });

  it('over the whole file, no code, TOTP secret, signing key or Redis password was logged or printed', () => {
    expect(codes.size).toBeGreaterThanOrEqual(4);
    expect(totpSecrets.size).toBe(2);
    const secrets = { 'OTP codes': [...codes], 'TOTP secrets': [...totpSecrets], 'OTP signing key': SIGNING_KEY, 'Redis password': redisUser.password };
    expect(leakedSecrets(logCapture.text(), secrets)).toEqual([]);
    expect(leakedSecrets(output.text(), secrets)).toEqual([]);
  });
});
