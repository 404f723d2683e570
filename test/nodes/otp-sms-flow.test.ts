/**
 * OTP Issue -> OTP Verify with the memory store, through n8n's WorkflowExecute, the code sent
 * over real SMPP to the sandbox SMSC and read back from what it received.
 */
import { join } from 'node:path';
import { logCapture, runWorkflowFile } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { Status } from '../../src/transport/smpp/command-status';
import { resetOtpClock, setOtpClock } from '../../nodes/shared/otp-clock';
import { startSandbox } from '../support/sandbox';
import {
  codesSentTo, ISSUE, lastCodeSentTo, ManualClock, otpCredentialTypes, otpNodeTypes, runIssue, runVerify, sandboxSmppCredential, VERIFY, wrongCode,
} from '../fixtures/otp/otp-node-runs';

const APPROVED = 0;
const REJECTED = 1;

describe('OTP Issue and OTP Verify (memory store, sandbox over TCP)', () => {
  let smsc: SandboxSmsc;
  let clock: ManualClock;
  /** Every code issued in this file, to prove none leaks into outputs or logs. */
  const issuedCodes = new Set<string>();

  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    smsc = await startSandbox();
  });
  beforeEach(() => {
    clock = new ManualClock();
    setOtpClock(clock.now);
  });
  afterAll(async () => {
    resetOtpClock();
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const issue = async (phoneNumber: string, extra: Record<string, unknown> = {}, continueOnFail = false): Promise<HarnessRun> => {
    const run = await runIssue({ phoneNumber, appName: 'ACME', ...extra }, { smsc, continueOnFail });
    for (const code of codesSentTo(smsc, phoneNumber)) issuedCodes.add(code);
    return run;
  };
  const verify = (phoneNumber: string, code: string, extra: Record<string, unknown> = {}, continueOnFail = false): Promise<HarnessRun> =>
    runVerify({ operation: 'verifySmsCode', phoneNumber, code, ...extra }, { continueOnFail });

  /** Output items of OTP Verify on the Approved and Rejected outputs. */
  const routed = (run: HarnessRun) => ({ approved: run.items(VERIFY, APPROVED), rejected: run.items(VERIFY, REJECTED) });

  it('issues a code by SMS and approves it; the output names the verification, not the code', async () => {
    const phone = '+4915112340001';
    const issued = await issue(phone);
    expect(issued.status).toBe('success');
    const [item] = issued.items(ISSUE);
    const received = smsc.store.list({ to: phone });
    expect(received).toHaveLength(1);
    const code = lastCodeSentTo(smsc, phone);
    expect(received[0].text).toBe(`Your ACME code is ${code}. It expires in 10 minutes.`);
    expect(item).toEqual({
      to: phone, channel: 'default', status: 'pending', sid: expect.stringMatching(/^VE[0-9a-f]{32}$/), sendCount: 1, sendsLeft: 4,
      expiresAt: new Date(clock.now() + 600_000).toISOString(), resent: false, messageIds: [received[0].id],
    });
    expect(JSON.stringify(issued.outputs(ISSUE))).not.toContain(code);
    expect(issued.outputs(ISSUE)[0][0].pairedItem).toEqual({ item: 0 });

    const checked = await verify(phone, code);
    expect(checked.status).toBe('success');
    const { approved, rejected } = routed(checked);
    expect(rejected).toEqual([]);
    expect(approved).toEqual([{ to: phone, channel: 'default', approved: true, status: 'approved', sid: item.sid, attemptsLeft: 4 }]);
    expect(checked.outputs(VERIFY)[0][0].pairedItem).toEqual({ item: 0 });
  });

  it('a national number and its international form are the same verification', async () => {
    await issue('0151 1234 0002');
    const code = lastCodeSentTo(smsc, '+4915112340002');
    expect(routed(await verify('+49 151 12340002', code)).approved).toHaveLength(1);
  });

  it('rejects a wrong code with attempts left, then approves the right one', async () => {
    const phone = '+4915112340003';
    await issue(phone);
    const code = lastCodeSentTo(smsc, phone);
    const wrong = routed(await verify(phone, wrongCode(code)));
    expect(wrong.approved).toEqual([]);
    expect(wrong.rejected).toEqual([expect.objectContaining({ approved: false, status: 'pending', reason: 'invalid_code', attemptsLeft: 4 })]);
    expect(routed(await verify(phone, code)).approved).toEqual([expect.objectContaining({ status: 'approved', attemptsLeft: 3 })]);
  });

  it('after 5 wrong codes the verification ends, and the right code is refused', async () => {
    const phone = '+4915112340004';
    await issue(phone);
    const code = lastCodeSentTo(smsc, phone);
    const verdicts = [];
    for (let attempt = 0; attempt < 5; attempt++) verdicts.push(routed(await verify(phone, wrongCode(code))).rejected[0]);
    expect(verdicts.map((v) => [v.status, v.reason, v.attemptsLeft])).toEqual([
      ['pending', 'invalid_code', 4],
      ['pending', 'invalid_code', 3],
      ['pending', 'invalid_code', 2],
      ['pending', 'invalid_code', 1],
      ['max_attempts_reached', 'invalid_code', 0],
    ]);
    const late = routed(await verify(phone, code));
    expect(late.approved).toEqual([]);
    expect(late.rejected[0]).toMatchObject({ status: 'max_attempts_reached', reason: 'max_attempts_reached', attemptsLeft: 0 });
  });

  it('a code expires after its lifetime (clock moved, no sleeping)', async () => {
    const phone = '+4915112340005';
    await issue(phone, { lifetimeMinutes: 2 });
    const code = lastCodeSentTo(smsc, phone);
    expect(smsc.store.list({ to: phone })[0].text).toContain('expires in 2 minutes');
    clock.advanceSeconds(120);
    const expired = routed(await verify(phone, code));
    expect(expired.approved).toEqual([]);
    expect(expired.rejected[0]).toMatchObject({ status: 'expired', reason: 'expired' });
  });

  it('a code one second before expiry still works', async () => {
    const phone = '+4915112340006';
    await issue(phone, { lifetimeMinutes: 2 });
    clock.advanceSeconds(119);
    expect(routed(await verify(phone, lastCodeSentTo(smsc, phone))).approved).toHaveLength(1);
  });

  it('a resend sends the same code and counts sends; too early a resend is refused with the wait', async () => {
    const phone = '+4915112340007';
    const first = (await issue(phone)).items(ISSUE)[0];
    clock.advanceSeconds(10);
    const early = await issue(phone);
    expect(early.status).toBe('error');
    expect(early.error?.message).toMatch(/refused \(resend_too_soon\).*retry in 20 s/);
    expect(early.error?.description).toMatch(/Refused: resend_too_soon\. Retry in 20 s\. Nothing was sent\./);
    clock.advanceSeconds(20);
    const second = (await issue(phone)).items(ISSUE)[0];
    expect(second).toMatchObject({ sid: first.sid, resent: true, sendCount: 2, sendsLeft: 3, expiresAt: first.expiresAt });
    const codes = codesSentTo(smsc, phone);
    expect(codes).toHaveLength(2);
    expect(codes[1]).toBe(codes[0]);
  });

  it('"New Code on Resend" sends a fresh code and the old one stops working', async () => {
    const phone = '+4915112340008';
    await issue(phone, { limits: { newCodeOnResend: true }, codeLength: 8 });
    clock.advanceSeconds(30);
    await issue(phone, { limits: { newCodeOnResend: true }, codeLength: 8 });
    const [oldCode, newCode] = codesSentTo(smsc, phone);
    expect(newCode).toHaveLength(8);
    expect(newCode).not.toBe(oldCode);
    expect(routed(await verify(phone, oldCode)).rejected[0]).toMatchObject({ reason: 'invalid_code' });
    expect(routed(await verify(phone, newCode)).approved).toHaveLength(1);
  });

  it('the 6th send of one verification is refused and nothing is sent; continueOnFail makes it an error item', async () => {
    const phone = '+4915112340009';
    for (let send = 1; send <= 5; send++) {
      const run = await issue(phone);
      expect(run.items(ISSUE)[0]).toMatchObject({ sendCount: send, sendsLeft: 5 - send });
      clock.advanceSeconds(31);
    }
    const sixth = await issue(phone);
    expect(sixth.status).toBe('error');
    expect(sixth.error?.message).toMatch(/refused \(max_sends_reached\).*5 sends/);
    expect(sixth.error?.itemIndex).toBe(0);
    const tolerated = await issue(phone, {}, true);
    expect(tolerated.status).toBe('success');
    expect(tolerated.items(ISSUE)).toEqual([
      expect.objectContaining({ to: phone, status: 'refused', refused: 'max_sends_reached', retryAfterSeconds: expect.any(Number) }),
    ]);
    expect(smsc.store.list({ to: phone })).toHaveLength(5);
  });

  it('an approved code cannot be used again', async () => {
    const phone = '+4915112340010';
    await issue(phone);
    const code = lastCodeSentTo(smsc, phone);
    expect(routed(await verify(phone, code)).approved).toHaveLength(1);
    const again = routed(await verify(phone, code));
    expect(again.approved).toEqual([]);
    expect(again.rejected[0]).toMatchObject({ status: 'approved', reason: 'already_used' });
  });

  it('cancel ends a pending verification (Approved output), a second cancel goes to Rejected', async () => {
    const phone = '+4915112340011';
    await issue(phone, { channel: 'login' });
    const code = lastCodeSentTo(smsc, phone);
    const canceled = await runVerify({ operation: 'cancel', phoneNumber: phone, channel: 'login' });
    expect(canceled.items(VERIFY, APPROVED)).toEqual([{ to: phone, channel: 'login', canceled: true, status: 'canceled' }]);
    expect(routed(await verify(phone, code, { channel: 'login' })).rejected[0]).toMatchObject({ status: 'canceled', reason: 'canceled' });
    const again = await runVerify({ operation: 'cancel', phoneNumber: phone, channel: 'login' });
    expect(again.items(VERIFY, APPROVED)).toEqual([]);
    expect(again.items(VERIFY, REJECTED)).toEqual([{ to: phone, channel: 'login', canceled: false, status: 'canceled', reason: 'not_pending' }]);
    const none = await runVerify({ operation: 'cancel', phoneNumber: '+4915112340099', channel: 'login' });
    expect(none.items(VERIFY, REJECTED)[0]).toMatchObject({ status: 'not_found', reason: 'not_found' });
  });

  it('two purposes for one number are separate verifications', async () => {
    const phone = '+4915112340012';
    await issue(phone, { channel: 'login', codeLength: 8 });
    await issue(phone, { channel: 'payment', codeLength: 8 });
    const [loginCode, paymentCode] = codesSentTo(smsc, phone);
    expect(loginCode).not.toBe(paymentCode);
    expect(routed(await verify(phone, loginCode, { channel: 'payment' })).rejected[0]).toMatchObject({ channel: 'payment', reason: 'invalid_code' });
    expect(routed(await verify(phone, paymentCode, { channel: 'payment' })).approved[0]).toMatchObject({ channel: 'payment', approved: true });
    expect(routed(await verify(phone, loginCode, { channel: 'login' })).approved[0]).toMatchObject({ channel: 'login', approved: true });
    expect(routed(await verify(phone, loginCode)).rejected[0]).toMatchObject({ channel: 'default', reason: 'not_found' });
  });

  it('refuses a country outside the allow list (default: the default country only) and sends nothing', async () => {
    const swiss = '+41791234567';
    const refused = await issue(swiss);
    expect(refused.status).toBe('error');
    expect(refused.error?.message).toMatch(/refused \(country_not_allowed\): CH is not an allowed destination \(allowed: DE\)/);
    expect(refused.error?.description).toMatch(/Waiting will not help/);
    expect(smsc.store.list({ to: swiss })).toHaveLength(0);
    const allowed = await issue(swiss, { limits: { allowedCountries: 'DE, +41' } });
    expect(allowed.items(ISSUE)[0]).toMatchObject({ to: swiss, status: 'pending' });
    expect(smsc.store.list({ to: swiss })).toHaveLength(1);
    const badList = await issue(swiss, { limits: { allowedCountries: 'DE, Germany' } });
    expect(badList.error?.message).toMatch(/^Allowed Countries: must be an ISO 3166 alpha-2 country like 'DE' or a calling code like '\+49', got "Germany"/);
  });

  it('a first send the carrier rejects cancels the verification, so a retry starts afresh at once', async () => {
    const phone = '+4915112340020';
    smsc.setFaults({ failDestinations: ['4915112340020'], failStatus: Status.invalidDestination });
    try {
      const failed = await issue(phone);
      expect(failed.status).toBe('error');
      expect(failed.error?.message).toMatch(/OTP SMS to \+4915112340020 was not accepted by the carrier \(.*ESME_RINVDSTADR.*\); the verification was ended, so issuing again starts a new one/);
      const tolerated = await issue(phone, {}, true);
      expect(tolerated.items(ISSUE)[0]).toMatchObject({ to: phone, status: 'error' });
    } finally {
      smsc.setFaults({ failDestinations: [] });
    }
    const retried = await issue(phone);
    expect(retried.items(ISSUE)[0]).toMatchObject({ status: 'pending', sendCount: 1, resent: false });
    expect(routed(await verify(phone, lastCodeSentTo(smsc, phone))).approved).toHaveLength(1);
  });

  it('includes the code only with "Include Code in Output (Testing Only)"', async () => {
    const phone = '+4915112340013';
    const run = await issue(phone, { limits: { includeCodeInOutput: true } });
    expect(run.items(ISSUE)[0].code).toBe(lastCodeSentTo(smsc, phone));
  });

  it('renders a custom template and one written as an n8n expression; {code} is required', async () => {
    const phone = '+4915112340014';
    const run = await runIssue(
      { phoneNumber: phone, appName: 'ACME', channel: 'x', codeLength: 4, messageTemplate: '={{ $json.name }}, {code} is your {app} login code' },
      { smsc, inputItems: [{ name: 'Alice' }] },
    );
    expect(run.status).toBe('success');
    expect(smsc.store.list({ to: phone }).map((m) => m.text).pop()).toMatch(/^Alice, \d{4} is your ACME login code$/);

    const before = smsc.store.list().length;
    const noCode = await issue('+4915112340015', { messageTemplate: 'Your code is coming' });
    expect(noCode.error?.message).toMatch(/Message Template has no \{code\} placeholder/);
    const braces = await issue('+4915112340015', { messageTemplate: 'Your code is {{code}}' });
    expect(braces.error?.message).toMatch(/write the placeholder as \{code\} \(single braces\)/);
    const noApp = await runIssue({ phoneNumber: '+4915112340015' }, { smsc });
    expect(noApp.error?.message).toMatch(/uses \{app\} but no App Name is set/);
    expect(smsc.store.list()).toHaveLength(before);
    // Nothing was issued either: a verify finds no verification.
    expect(routed(await verify('+4915112340015', '123456')).rejected[0]).toMatchObject({ reason: 'not_found' });
  });

  it('validates the entered code: digits and length, never echoing it', async () => {
    const phone = '+4915112340016';
    await issue(phone);
    const letters = await verify(phone, '12ab56');
    expect(letters.status).toBe('error');
    expect(letters.error?.message).toBe('Code must contain digits only (got 6 characters with letters or symbols)');
    expect(letters.error?.description).toMatch(/"code" field of item 0/);
    const short = await verify(phone, '12345');
    expect(short.error?.message).toMatch(/code: must be 6 digits for this verification, got 5/);
    const empty = await verify(phone, '={{ "" }}');
    expect(empty.error?.message).toMatch(/Code is empty/);
    const spaced = await verify(phone, lastCodeSentTo(smsc, phone).replace(/^(\d{3})/, '$1 '));
    expect(routed(spaced).approved).toHaveLength(1);
  });

  it('with continueOnFail a bad item goes to Rejected as an error and the others are still checked', async () => {
    const phone = '+4915112340017';
    await issue(phone);
    const code = lastCodeSentTo(smsc, phone);
    const run = await runVerify(
      { operation: 'verifySmsCode', phoneNumber: '={{ $json.phone }}', code: '={{ $json.code }}' },
      { continueOnFail: true, inputItems: [{ phone: 'not a number', code }, { phone, code }] },
    );
    expect(run.status).toBe('success');
    expect(run.items(VERIFY, APPROVED)).toEqual([expect.objectContaining({ to: phone, approved: true })]);
    expect(run.outputs(VERIFY)[APPROVED][0].pairedItem).toEqual({ item: 1 });
    const [bad] = run.items(VERIFY, REJECTED);
    expect(bad).toMatchObject({ to: 'not a number', approved: false, status: 'error', field: 'phoneNumber' });
    expect(run.outputs(VERIFY)[REJECTED][0].pairedItem).toEqual({ item: 0 });
  });

  it('several input items issue one verification each, paired to their items', async () => {
    const phones = ['+4915112340018', '+4915112340019'];
    const run = await runIssue({ phoneNumber: '={{ $json.phone }}', appName: 'ACME' }, { smsc, inputItems: phones.map((phone) => ({ phone })) });
    expect(run.items(ISSUE).map((item) => item.to)).toEqual(phones);
    expect(run.outputs(ISSUE)[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    for (const phone of phones) issuedCodes.add(lastCodeSentTo(smsc, phone));
  });

  it('runs an exported workflow: Issue with the testing option, Verify mapping its output, Approved', async () => {
    const run = await runWorkflowFile(join(__dirname, '../fixtures/otp/issue-then-verify.workflow.json'), {
      nodeTypes: otpNodeTypes,
      credentials: { smppApi: sandboxSmppCredential(smsc) },
      credentialTypes: otpCredentialTypes,
    });
    expect(run.status).toBe('success');
    const code = lastCodeSentTo(smsc, '+4915112360001');
    issuedCodes.add(code);
    expect(smsc.store.list({ to: '+4915112360001' })[0].text).toBe(`${code} is your ACME sign-up code. It expires in 10 minutes.`);
    expect(run.items('Send Code')[0]).toMatchObject({ channel: 'signup', code });
    expect(run.items('Check Code', 0)).toEqual([expect.objectContaining({ to: '+4915112360001', channel: 'signup', approved: true })]);
    expect(run.items('Check Code', 1)).toEqual([]);
  });

  it('no issued code ever appeared in a log line', () => {
    expect(issuedCodes.size).toBeGreaterThan(15);
    const logs = logCapture.text();
    expect(logs.length).toBeGreaterThan(0);
    for (const code of issuedCodes) expect(logs).not.toContain(code);
  });
});
