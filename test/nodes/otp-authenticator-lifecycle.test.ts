/**
 * A user's authenticator through the nodes, as an authenticator product keeps it: Issue OTP's
 * enrolment is pending until Verify OTP approves its first code, enrolling a user again is
 * refused unless "Replace Existing Authenticator" is on (the old app works until the new one is
 * confirmed), and Verify OTP reports and removes enrolments by User ID, never the secret.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { ISSUE, otpNodeTypes, runIssue, runVerify, VERIFY } from '../fixtures/otp/otp-node-runs';
import { useOtpClock } from '../fixtures/otp/otp-test-setup';
import { authenticatorCode, secretFromQrCode } from '../fixtures/otp/authenticator-app';

const APPROVED = 0;
const REJECTED = 1;
const START = Date.UTC(2030, 0, 1, 12, 0, 10);

describe("an authenticator's life through Issue OTP and Verify OTP (version 2)", () => {
  const clockOf = useOtpClock(START);
  const enrol = (userId: string, extra: IDataObject = {}, continueOnFail = false) =>
    runIssue({ operation: 'enrolAuthenticator', userId, accountName: `${userId}@example.com`, issuer: 'ACME', ...extra }, { continueOnFail });
  const secretOf = async (userId: string, extra: IDataObject = {}): Promise<string> => secretFromQrCode((await enrol(userId, extra)).binary(ISSUE)[0].qrCode);
  const verify = (userId: string, code: string) => runVerify({ operation: 'verifyAuthenticatorCode', userId, code });
  const byUserId = (operation: string, userId: string) => runVerify({ operation, userId });
  const signIn = async (userId: string, secret: string): Promise<IDataObject[][]> => {
    clockOf().advanceSeconds(30);
    return (await verify(userId, authenticatorCode(secret, clockOf().now()))).outputs(VERIFY).map((items) => items.map((item) => item.json));
  };

  it('enrolling a confirmed user again is refused and names the option; the user still signs in', async () => {
    const secret = await secretOf('ida');
    expect((await verify('ida', authenticatorCode(secret, START))).items(VERIFY, APPROVED)[0]).toMatchObject({ approved: true, confirmed: true });
    const again = await enrol('ida');
    expect(again.status).toBe('error');
    expect(again.error?.message).toBe(
      'User ID "ida" already has a confirmed authenticator: it was kept. To replace it, turn on "Replace Existing Authenticator" (the old one works until the new one is confirmed), or remove it first',
    );
    expect(again.error?.description).toMatch(/^Refused: already_enrolled\. Nothing was enrolled/);
    const item = (await enrol('ida', {}, true)).items(ISSUE)[0];
    expect(item).toMatchObject({ status: 'refused', refused: 'already_enrolled' });
    expect((await signIn('ida', secret))[APPROVED]).toHaveLength(1);
  });

  it('"Replace Existing Authenticator": the old app works until the new one\'s first code, then only the new one', async () => {
    const old = await secretOf('jon');
    await verify('jon', authenticatorCode(old, START));
    const replacing = await enrol('jon', { replaceExisting: true });
    expect(replacing.items(ISSUE)[0]).toMatchObject({ status: 'pending', replacing: true });
    const fresh = secretFromQrCode(replacing.binary(ISSUE)[0].qrCode);
    expect((await byUserId('authenticatorStatus', 'jon')).items(VERIFY, APPROVED)).toEqual([
      { userId: 'jon', status: 'enrolled', pending: true, confirmBefore: new Date(START + 900_000).toISOString() },
    ]);
    expect((await signIn('jon', old))[APPROVED]).toHaveLength(1);
    expect((await signIn('jon', fresh))[APPROVED]).toEqual([expect.objectContaining({ approved: true, confirmed: true })]);
    expect((await signIn('jon', old))[REJECTED]).toEqual([expect.objectContaining({ reason: 'invalid_code' })]);
  });

  it('status: enrolled on Approved, pending and none on Rejected; remove: Approved once, then Rejected; the secret never appears', async () => {
    const secret = await secretOf('kim', { confirmWithinMinutes: 5 });
    const pending = await byUserId('authenticatorStatus', 'kim');
    expect(pending.items(VERIFY, REJECTED)).toEqual([
      { userId: 'kim', status: 'pending', pending: true, confirmBefore: new Date(START + 300_000).toISOString() },
    ]);
    await verify('kim', authenticatorCode(secret, START));
    expect((await byUserId('authenticatorStatus', 'kim')).items(VERIFY, APPROVED)).toEqual([{ userId: 'kim', status: 'enrolled', pending: false }]);
    const removed = await byUserId('removeAuthenticator', 'kim');
    expect(removed.items(VERIFY, APPROVED)).toEqual([{ userId: 'kim', removed: true, status: 'none' }]);
    expect((await byUserId('removeAuthenticator', 'kim')).items(VERIFY, REJECTED)).toEqual([{ userId: 'kim', removed: false, status: 'none' }]);
    expect((await byUserId('authenticatorStatus', 'kim')).items(VERIFY, REJECTED)).toEqual([{ userId: 'kim', status: 'none', pending: false }]);
    expect((await signIn('kim', secret))[REJECTED]).toEqual([expect.objectContaining({ reason: 'not_enrolled' })]);
    expect(JSON.stringify([pending.items(VERIFY, REJECTED), removed.items(VERIFY, APPROVED)])).not.toContain(secret);
    expect((await byUserId('authenticatorStatus', '={{ "" }}')).error?.message).toMatch(/^User ID is empty/);
  });

  it('an unconfirmed enrolment lapses after "Confirm Within (Minutes)"', async () => {
    const secret = await secretOf('lea', { confirmWithinMinutes: 1 });
    clockOf().advanceSeconds(60);
    expect((await verify('lea', authenticatorCode(secret, clockOf().now()))).items(VERIFY, REJECTED)).toEqual([
      expect.objectContaining({ reason: 'not_enrolled' }),
    ]);
    expect((await enrol('lea', { confirmWithinMinutes: 0 })).error?.message).toMatch(
      /^Confirm Within \(Minutes\) must be a whole number from 1 to 1440 \(got 0\)/,
    );
  });
});

describe('what the panels say', () => {
  const issue = otpNodeTypes['n8n-nodes-sms-gateway.otpIssue'].description;
  const verify = otpNodeTypes['n8n-nodes-sms-gateway.otpVerify'].description;
  const property = (properties: typeof issue.properties, name: string) => properties.find((p) => p.name === name);

  it('the enrolment notice and the QR field say the image is the secret, kept in execution data, and how not to keep it', () => {
    expect(property(issue.properties, 'enrolStoredNotice')?.displayName).toMatch(
      /The QR code image IS the secret \(the masked hint is not\).*n8n keeps it in this execution's data.*not to save successful executions \(Workflow Settings\) or prune execution data/,
    );
    expect(property(issue.properties, 'enrolNotice')?.displayName).toMatch(/n8n keeps both in the execution data/);
    expect(property(issue.properties, 'binaryPropertyName')?.description).toMatch(/The image holds the secret/);
    expect(property(issue.properties, 'replaceExisting')).toMatchObject({
      default: false,
      description: expect.stringMatching(/never when an AI agent calls this node as a tool/),
    });
  });

  it("version 1's authenticator check shows a State Store (Memory by default, so saved workflows run unchanged), as do the enrolment operations", () => {
    const shown = (typeVersion: number, parameters: IDataObject) =>
      verify.properties.filter((p) => p.name === 'stateStore' && NodeHelpers.displayParameter(parameters as never, p, { typeVersion } as never, verify));
    expect(shown(1, { operation: 'verifyAuthenticatorCode' })).toEqual([expect.objectContaining({ default: 'memory' })]);
    expect(shown(2, { operation: 'removeAuthenticator' })).toHaveLength(1);
  });
});
