/**
 * Authenticator apps through n8n's WorkflowExecute: OTP Issue enrols (QR code as binary data,
 * the secret kept encrypted in the state store), OTP Verify checks codes by User ID with
 * limited wrong codes and no replays. Version 1 (the secret passed in by the workflow) still
 * loads and runs, with the same limits. Memory store here; Redis in otp-totp-redis.test.ts.
 */
import { join } from 'node:path';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { logCapture, runWorkflowFile } from '../harness/n8n-harness';
import { ISSUE, otpCredentialTypes, otpNodeTypes, runIssue, runVerify, VERIFY } from '../fixtures/otp/otp-node-runs';
import { useOtpClock } from '../fixtures/otp/otp-test-setup';
import { authenticatorCode, guessesRightOnesLast, scanQrCode, secretFromQrCode } from '../fixtures/otp/authenticator-app';

const APPROVED = 0;
const REJECTED = 1;
const START = Date.UTC(2030, 0, 1, 12, 0, 10); // 10 s into a 30 s step

describe('OTP authenticator (version 2): secret kept server-side, codes checked by User ID', () => {
  const clockOf = useOtpClock(START);

  const enrol = (userId: string, extra: IDataObject = {}, otpSettings?: ICredentialDataDecryptedObject) =>
    runIssue({ operation: 'enrolAuthenticator', userId, accountName: `${userId}@example.com`, issuer: 'ACME Co', ...extra }, { otpSettings });
  /** User ID and code come from the input items, as in a real workflow. */
  const check = (userId: string, codes: string[], totpOptions: IDataObject = {}) =>
    runVerify(
      { operation: 'verifyAuthenticatorCode', userId: '={{ $json.userId }}', code: '={{ $json.code }}', totpOptions },
      { inputItems: codes.map((code) => ({ userId, code })) },
    );
  /** Enrols `userId` and confirms it with the app's code of the previous step; returns the secret the app read from the QR code. */
  const enrolled = async (userId: string): Promise<string> => {
    const secret = secretFromQrCode((await enrol(userId)).binary(ISSUE)[0].qrCode);
    const confirmation = await check(userId, [authenticatorCode(secret, clockOf().now() - 30_000)]);
    expect(confirmation.items(VERIFY, APPROVED)).toEqual([expect.objectContaining({ approved: true, confirmed: true })]);
    return secret;
  };

  it('enrolment outputs the QR code as binary data and a masked hint: no secret, no URI', async () => {
    const run = await enrol('alice');
    expect(run.status).toBe('success');
    const [item] = run.items(ISSUE);
    const { qrCode } = run.binary(ISSUE)[0];
    expect(qrCode).toMatchObject({ mimeType: 'image/png', fileName: 'ACME_Co-alice@example.com-totp.png' });
    const uri = scanQrCode(qrCode);
    const secret = String(uri.searchParams.get('secret'));
    expect(uri.protocol).toBe('otpauth:');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(item).toEqual({
      userId: 'alice',
      issuer: 'ACME Co',
      accountName: 'alice@example.com',
      status: 'pending',
      confirmBefore: new Date(START + 900_000).toISOString(),
      replacing: false,
      secretHint: `**** **** **** **** **** **** **** ${secret.slice(-4)}`,
    });
    expect(JSON.stringify(run.outputs(ISSUE).map((items) => items.map((i) => i.json)))).not.toContain(secret);
    expect(run.outputs(ISSUE)[0][0].pairedItem).toEqual({ item: 0 });
    expect(logCapture.text()).not.toContain(secret);
  });

  it('"Return Secret in Output" adds the secret and URI, and says where n8n keeps them', async () => {
    const run = await enrol('bob', { returnSecret: true });
    const [item] = run.items(ISSUE);
    expect(item.secret).toBe(secretFromQrCode(run.binary(ISSUE)[0].qrCode));
    expect(String(item.uri)).toMatch(/^otpauth:\/\/totp\/ACME%20Co:bob%40example\.com\?/);
    const option = otpNodeTypes['n8n-nodes-sms-gateway.otpIssue'].description.properties.find((p) => p.name === 'returnSecret');
    expect(option).toMatchObject({ default: false });
    expect(option?.description).toMatch(/execution history/);
  });

  it("verify needs only the User ID: current and previous step accepted, a code two steps old and other users' codes not", async () => {
    const secret = await enrolled('carol');
    const other = await enrolled('dan');
    const now = clockOf().now();
    const current = await check('carol', [authenticatorCode(secret, now)]);
    expect(current.items(VERIFY, APPROVED)).toEqual([{ userId: 'carol', approved: true, status: 'approved', timeStep: Math.floor(now / 30_000), drift: 0 }]);
    clockOf().advanceSeconds(30);
    const rejected = await check('carol', [authenticatorCode(secret, clockOf().now() - 90_000), authenticatorCode(other, clockOf().now())]);
    expect(rejected.items(VERIFY, REJECTED)).toEqual([
      { userId: 'carol', approved: false, status: 'rejected', reason: 'invalid_code', attemptsLeft: 4 },
      { userId: 'carol', approved: false, status: 'rejected', reason: 'invalid_code', attemptsLeft: 3 },
    ]);
    expect(rejected.outputs(VERIFY)[REJECTED].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    expect((await check('carol', [authenticatorCode(secret, clockOf().now() - 30_000)])).items(VERIFY, REJECTED)[0]).toMatchObject({ reason: 'already_used' });
    expect((await check('nobody', ['123456'])).items(VERIFY, REJECTED)).toEqual([
      { userId: 'nobody', approved: false, status: 'rejected', reason: 'not_enrolled', attemptsLeft: 0 },
    ]);
  });

  it('1,000 guessed authenticator codes in one execution, every right one among them, are stopped after 5: none approved', async () => {
    const secret = await enrolled('erin');
    const guesses = guessesRightOnesLast(secret, clockOf().now(), 1_000);
    const run = await check('erin', guesses);
    expect(run.status).toBe('success');
    expect(run.items(VERIFY, APPROVED)).toEqual([]);
    const reasons = run.items(VERIFY, REJECTED).map((item) => item.reason);
    expect(reasons.filter((r) => r === 'invalid_code')).toHaveLength(5);
    expect(reasons.filter((r) => r === 'too_many_attempts')).toHaveLength(995);
    expect(run.items(VERIFY, REJECTED)[999]).toEqual({
      userId: 'erin',
      approved: false,
      status: 'rejected',
      reason: 'too_many_attempts',
      attemptsLeft: 0,
      retryAfterSeconds: 900,
    });
    // After the 15 minutes the user gets in with the code the app shows.
    clockOf().advanceSeconds(900);
    expect((await check('erin', [authenticatorCode(secret, clockOf().now())])).items(VERIFY, APPROVED)).toHaveLength(1);
  });

  it('a code accepted once is refused when replayed (by default); the limits are settable', async () => {
    const secret = await enrolled('fay');
    const code = authenticatorCode(secret, clockOf().now());
    const twice = await check('fay', [code, code]);
    expect(twice.items(VERIFY, APPROVED)).toHaveLength(1);
    expect(twice.items(VERIFY, REJECTED)).toEqual([expect.objectContaining({ reason: 'already_used', attemptsLeft: 4 })]);
    expect((await check('fay', [code], { rejectReplay: false })).items(VERIFY, APPROVED)).toHaveLength(1);
    const gina = await enrolled('gina');
    const strict = await check('gina', ['000000', '000001', authenticatorCode(gina, clockOf().now())], { maxFailures: 2, failurePeriodMinutes: 1 });
    expect(strict.items(VERIFY, REJECTED).map((i) => [i.reason, i.attemptsLeft, i.retryAfterSeconds])).toEqual([
      ['invalid_code', 1, undefined],
      ['invalid_code', 0, undefined],
      ['too_many_attempts', 0, 60],
    ]);
  });

  it('a bad User ID, code or option names its field', async () => {
    expect((await check('', ['123456'])).error?.message).toMatch(/^User ID is empty/);
    expect((await check('gus', ['12345'])).error?.message).toBe('Code must be 6 digits, got 5');
    expect((await check('gus', ['123456'], { maxFailures: 0 })).error?.message).toMatch(/^Max Wrong Codes must be a whole number from 1 to 100 \(got 0\)/);
    expect((await enrol('={{ "" }}')).error?.message).toMatch(/^User ID is empty/);
  });
});

describe('OTP authenticator (version 1, saved workflows): the secret passed in by the workflow', () => {
  const clockOf = useOtpClock(START);

  const enrolV1 = (extra: IDataObject = {}, otpSettings?: ICredentialDataDecryptedObject) =>
    runIssue({ operation: 'enrolAuthenticator', accountName: 'alice@example.com', issuer: 'ACME Co', ...extra }, { otpSettings, typeVersion: 1 });
  const checkV1 = (secret: string, codes: string[], totpOptions: IDataObject = {}) =>
    runVerify(
      { operation: 'verifyAuthenticatorCode', secret: '={{ $json.secret }}', code: '={{ $json.code }}', totpOptions },
      { inputItems: codes.map((code) => ({ secret, code })), typeVersion: 1 },
    );

  it('a workflow saved with version 1 loads and runs: enrolment returns the secret, verify takes it', async () => {
    const run = await runWorkflowFile(join(__dirname, '../fixtures/otp/totp-v1-explicit-secret.workflow.json'), {
      nodeTypes: otpNodeTypes,
      credentialTypes: otpCredentialTypes,
    });
    expect(run.status).toBe('success');
    const [enrolment] = run.items('Enrol Authenticator');
    expect(enrolment).toEqual({
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      uri: expect.stringMatching(/^otpauth:\/\/totp\//),
      issuer: 'ACME',
      accountName: 'alice@example.com',
    });
    expect(secretFromQrCode(run.binary('Enrol Authenticator')[0].qrCode)).toBe(enrolment.secret);
    expect(run.items('Check Authenticator Code', APPROVED)).toEqual([{ approved: true, status: 'approved', timeStep: Math.floor(START / 30_000), drift: 0 }]);
  });

  it('accepts the current and the previous step, rejects a code two steps old; drift is settable', async () => {
    const { secret } = (await enrolV1()).items(ISSUE)[0] as { secret: string };
    const now = clockOf().now();
    expect((await checkV1(secret, [authenticatorCode(secret, now)])).items(VERIFY, APPROVED)[0]).toMatchObject({ approved: true, drift: 0 });
    expect((await checkV1(secret, [authenticatorCode(secret, now + 30_000)])).items(VERIFY, APPROVED)[0]).toMatchObject({ approved: true, drift: 1 });
    const old = await checkV1(secret, [authenticatorCode(secret, now - 60_000)]);
    expect(old.items(VERIFY, REJECTED)).toEqual([{ approved: false, status: 'rejected', reason: 'invalid_code', attemptsLeft: 4 }]);
    clockOf().advanceSeconds(90);
    expect((await checkV1(secret, [authenticatorCode(secret, clockOf().now() - 60_000)], { window: 2 })).items(VERIFY, REJECTED)[0]).toMatchObject({
      reason: 'already_used',
    });
    expect((await checkV1(secret, [authenticatorCode(secret, clockOf().now() - 30_000)], { window: 0 })).items(VERIFY, REJECTED)).toHaveLength(1);
  });

  it('1,000 guessed authenticator codes for a passed-in secret, every right one among them, are stopped after 5', async () => {
    const { secret } = (await enrolV1()).items(ISSUE)[0] as { secret: string };
    const run = await checkV1(secret, guessesRightOnesLast(secret, clockOf().now(), 1_000));
    expect(run.items(VERIFY, APPROVED)).toEqual([]);
    expect(run.items(VERIFY, REJECTED).filter((item) => item.reason === 'too_many_attempts')).toHaveLength(995);
  });

  it('a replayed code is refused without "Last Accepted Time Step"; that option still works', async () => {
    const { secret } = (await enrolV1()).items(ISSUE)[0] as { secret: string };
    const code = authenticatorCode(secret, clockOf().now());
    const run = await checkV1(secret, [code, code]);
    expect(run.items(VERIFY, APPROVED)).toHaveLength(1);
    expect(run.items(VERIFY, REJECTED)[0]).toMatchObject({ reason: 'already_used' });
    const first = run.items(VERIFY, APPROVED)[0];
    clockOf().advanceSeconds(30);
    const previous = authenticatorCode(secret, clockOf().now() - 30_000);
    expect((await checkV1(secret, [previous], { afterTimeStep: first.timeStep })).items(VERIFY, REJECTED)).toHaveLength(1);
  });

  it('takes the issuer from the SMS OTP Settings app name, and names missing fields', async () => {
    const fromCredential = await enrolV1({ issuer: '' }, { serverKey: 'x'.repeat(32), appName: 'Shop' });
    expect(fromCredential.items(ISSUE)[0].issuer).toBe('Shop');
    expect((await enrolV1({ issuer: '' })).error?.message).toMatch(/Issuer is empty/);
    expect((await enrolV1({ accountName: 'a:b' })).error?.message).toMatch(/^Account Name must not contain ':'/);
  });

  it('accepts the secret as apps show it (groups, lower case) and validates the code without echoing', async () => {
    const { secret } = (await enrolV1()).items(ISSUE)[0] as { secret: string };
    const grouped = secret
      .toLowerCase()
      .replace(/(.{4})/g, '$1 ')
      .trim();
    expect((await checkV1(grouped, [authenticatorCode(secret, clockOf().now())])).items(VERIFY, APPROVED)).toHaveLength(1);
    expect((await checkV1(secret, ['12345'])).error?.message).toBe('Code must be 6 digits, got 5');
    expect((await checkV1(secret, ['abcdef'])).error?.message).toMatch(/Code must contain digits only/);
    const badSecret = await checkV1('not-a-secret!', ['123456']);
    expect(badSecret.error?.message).toMatch(/^Secret must be the Base32 secret returned at enrolment/);
    expect(badSecret.error?.message).not.toContain('NOTASECRET');
    expect(logCapture.text()).not.toContain(secret);
  });
});
