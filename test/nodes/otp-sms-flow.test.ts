/**
 * OTP Issue -> OTP Verify with the memory store, through n8n's WorkflowExecute, the code sent
 * over real SMPP to the sandbox SMSC and read back from what it received.
 */
import { join } from 'node:path';
import { logCapture, runWorkflowFile } from '../harness/n8n-harness';
import { APPROVED, REJECTED, useMemoryOtpSuite } from '../fixtures/otp/memory-otp-suite';
import {
  codesSentTo,
  ISSUE,
  lastCodeSentTo,
  otpCredentialTypes,
  otpNodeTypes,
  runIssue,
  runVerify,
  sandboxSmppCredential,
  VERIFY,
  wrongCode,
} from '../fixtures/otp/otp-node-runs';

describe('OTP Issue and OTP Verify (memory store, sandbox over TCP)', () => {
  const suite = useMemoryOtpSuite();

  it('issues a code by SMS and approves it; the output names the verification, not the code', async () => {
    const phone = '+4915112340001';
    const issued = await suite.issue(phone);
    expect(issued.status).toBe('success');
    const [item] = issued.items(ISSUE);
    const received = suite.smsc().store.list({ to: phone });
    expect(received).toHaveLength(1);
    const code = lastCodeSentTo(suite.smsc(), phone);
    expect(received[0].text).toBe(`Your ACME code is ${code}. It expires in 10 minutes.`);
    expect(item).toEqual({
      to: phone,
      channel: 'default',
      status: 'pending',
      sid: expect.stringMatching(/^VE[0-9a-f]{32}$/),
      sendCount: 1,
      sendsLeft: 4,
      expiresAt: new Date(suite.clock().now() + 600_000).toISOString(),
      resent: false,
      messageIds: [received[0].id],
    });
    expect(JSON.stringify(issued.outputs(ISSUE))).not.toContain(code);
    expect(issued.outputs(ISSUE)[0][0].pairedItem).toEqual({ item: 0 });

    const checked = await suite.verify(phone, code);
    expect(checked.status).toBe('success');
    const { approved, rejected } = suite.routed(checked);
    expect(rejected).toEqual([]);
    expect(approved).toEqual([{ to: phone, channel: 'default', approved: true, status: 'approved', sid: item.sid, attemptsLeft: 4 }]);
    expect(checked.outputs(VERIFY)[0][0].pairedItem).toEqual({ item: 0 });
  });

  it('a national number and its international form are the same verification', async () => {
    await suite.issue('0151 1234 0002');
    const code = lastCodeSentTo(suite.smsc(), '+4915112340002');
    expect(suite.routed(await suite.verify('+49 151 12340002', code)).approved).toHaveLength(1);
  });

  it('rejects a wrong code with attempts left, then approves the right one', async () => {
    const phone = '+4915112340003';
    await suite.issue(phone);
    const code = lastCodeSentTo(suite.smsc(), phone);
    const wrong = suite.routed(await suite.verify(phone, wrongCode(code)));
    expect(wrong.approved).toEqual([]);
    expect(wrong.rejected).toEqual([expect.objectContaining({ approved: false, status: 'pending', reason: 'invalid_code', attemptsLeft: 4 })]);
    expect(suite.routed(await suite.verify(phone, code)).approved).toEqual([expect.objectContaining({ status: 'approved', attemptsLeft: 3 })]);
  });

  it('after 5 wrong codes the verification ends, and the right code is refused', async () => {
    const phone = '+4915112340004';
    await suite.issue(phone);
    const code = lastCodeSentTo(suite.smsc(), phone);
    const verdicts = [];
    for (let attempt = 0; attempt < 5; attempt++) verdicts.push(suite.routed(await suite.verify(phone, wrongCode(code))).rejected[0]);
    expect(verdicts.map((v) => [v.status, v.reason, v.attemptsLeft])).toEqual([
      ['pending', 'invalid_code', 4],
      ['pending', 'invalid_code', 3],
      ['pending', 'invalid_code', 2],
      ['pending', 'invalid_code', 1],
      ['max_attempts_reached', 'invalid_code', 0],
    ]);
    const late = suite.routed(await suite.verify(phone, code));
    expect(late.approved).toEqual([]);
    expect(late.rejected[0]).toMatchObject({ status: 'max_attempts_reached', reason: 'max_attempts_reached', attemptsLeft: 0 });
  });

  it('a code expires after its lifetime (clock moved, no sleeping)', async () => {
    const phone = '+4915112340005';
    await suite.issue(phone, { lifetimeMinutes: 2 });
    const code = lastCodeSentTo(suite.smsc(), phone);
    expect(suite.smsc().store.list({ to: phone })[0].text).toContain('expires in 2 minutes');
    suite.clock().advanceSeconds(120);
    const expired = suite.routed(await suite.verify(phone, code));
    expect(expired.approved).toEqual([]);
    expect(expired.rejected[0]).toMatchObject({ status: 'expired', reason: 'expired' });
  });

  it('a code one second before expiry still works', async () => {
    const phone = '+4915112340006';
    await suite.issue(phone, { lifetimeMinutes: 2 });
    suite.clock().advanceSeconds(119);
    expect(suite.routed(await suite.verify(phone, lastCodeSentTo(suite.smsc(), phone))).approved).toHaveLength(1);
  });

  it('a resend sends the same code and counts sends; too early a resend is refused with the wait', async () => {
    const phone = '+4915112340007';
    const first = (await suite.issue(phone)).items(ISSUE)[0];
    suite.clock().advanceSeconds(10);
    const early = await suite.issue(phone);
    expect(early.status).toBe('error');
    expect(early.error?.message).toMatch(/refused \(resend_too_soon\).*retry in 20 s/);
    expect(early.error?.description).toMatch(/Refused: resend_too_soon\. Retry in 20 s\. Nothing was sent\./);
    suite.clock().advanceSeconds(20);
    const second = (await suite.issue(phone)).items(ISSUE)[0];
    expect(second).toMatchObject({ sid: first.sid, resent: true, sendCount: 2, sendsLeft: 3, expiresAt: first.expiresAt });
    const codes = codesSentTo(suite.smsc(), phone);
    expect(codes).toHaveLength(2);
    expect(codes[1]).toBe(codes[0]);
  });

  it('"New Code on Resend" sends a fresh code and the old one stops working', async () => {
    const phone = '+4915112340008';
    await suite.issue(phone, { limits: { newCodeOnResend: true }, codeLength: 8 });
    suite.clock().advanceSeconds(30);
    await suite.issue(phone, { limits: { newCodeOnResend: true }, codeLength: 8 });
    const [oldCode, newCode] = codesSentTo(suite.smsc(), phone);
    expect(newCode).toHaveLength(8);
    expect(newCode).not.toBe(oldCode);
    expect(suite.routed(await suite.verify(phone, oldCode)).rejected[0]).toMatchObject({ reason: 'invalid_code' });
    expect(suite.routed(await suite.verify(phone, newCode)).approved).toHaveLength(1);
  });

  it('an approved code cannot be used again', async () => {
    const phone = '+4915112340010';
    await suite.issue(phone);
    const code = lastCodeSentTo(suite.smsc(), phone);
    expect(suite.routed(await suite.verify(phone, code)).approved).toHaveLength(1);
    const again = suite.routed(await suite.verify(phone, code));
    expect(again.approved).toEqual([]);
    expect(again.rejected[0]).toMatchObject({ status: 'approved', reason: 'already_used' });
  });

  it('cancel ends a pending verification (Approved output), a second cancel goes to Rejected', async () => {
    const phone = '+4915112340011';
    await suite.issue(phone, { channel: 'login' });
    const code = lastCodeSentTo(suite.smsc(), phone);
    const canceled = await runVerify({ operation: 'cancel', phoneNumber: phone, channel: 'login' });
    expect(canceled.items(VERIFY, APPROVED)).toEqual([{ to: phone, channel: 'login', canceled: true, status: 'canceled' }]);
    expect(suite.routed(await suite.verify(phone, code, { channel: 'login' })).rejected[0]).toMatchObject({ status: 'canceled', reason: 'canceled' });
    const again = await runVerify({ operation: 'cancel', phoneNumber: phone, channel: 'login' });
    expect(again.items(VERIFY, APPROVED)).toEqual([]);
    expect(again.items(VERIFY, REJECTED)).toEqual([{ to: phone, channel: 'login', canceled: false, status: 'canceled', reason: 'not_pending' }]);
    const none = await runVerify({ operation: 'cancel', phoneNumber: '+4915112340099', channel: 'login' });
    expect(none.items(VERIFY, REJECTED)[0]).toMatchObject({ status: 'not_found', reason: 'not_found' });
  });

  it('two purposes for one number are separate verifications', async () => {
    const phone = '+4915112340012';
    await suite.issue(phone, { channel: 'login', codeLength: 8 });
    await suite.issue(phone, { channel: 'payment', codeLength: 8 });
    const [loginCode, paymentCode] = codesSentTo(suite.smsc(), phone);
    expect(loginCode).not.toBe(paymentCode);
    expect(suite.routed(await suite.verify(phone, loginCode, { channel: 'payment' })).rejected[0]).toMatchObject({
      channel: 'payment',
      reason: 'invalid_code',
    });
    expect(suite.routed(await suite.verify(phone, paymentCode, { channel: 'payment' })).approved[0]).toMatchObject({ channel: 'payment', approved: true });
    expect(suite.routed(await suite.verify(phone, loginCode, { channel: 'login' })).approved[0]).toMatchObject({ channel: 'login', approved: true });
    expect(suite.routed(await suite.verify(phone, loginCode)).rejected[0]).toMatchObject({ channel: 'default', reason: 'not_found' });
  });

  it('includes the code only with "Include Code in Output (Testing Only)"', async () => {
    const phone = '+4915112340013';
    const run = await suite.issue(phone, { limits: { includeCodeInOutput: true } });
    expect(run.items(ISSUE)[0].code).toBe(lastCodeSentTo(suite.smsc(), phone));
  });

  it('several input items issue one verification each, paired to their items', async () => {
    const phones = ['+4915112340018', '+4915112340019'];
    const run = await runIssue({ phoneNumber: '={{ $json.phone }}', appName: 'ACME' }, { smsc: suite.smsc(), inputItems: phones.map((phone) => ({ phone })) });
    expect(run.items(ISSUE).map((item) => item.to)).toEqual(phones);
    expect(run.outputs(ISSUE)[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    for (const phone of phones) suite.issuedCodes.add(lastCodeSentTo(suite.smsc(), phone));
  });

  it('runs an exported workflow: Issue with the testing option, Verify mapping its output, Approved', async () => {
    const run = await runWorkflowFile(join(__dirname, '../fixtures/otp/issue-then-verify.workflow.json'), {
      nodeTypes: otpNodeTypes,
      credentials: { smppApi: sandboxSmppCredential(suite.smsc()) },
      credentialTypes: otpCredentialTypes,
    });
    expect(run.status).toBe('success');
    const code = lastCodeSentTo(suite.smsc(), '+4915112360001');
    suite.issuedCodes.add(code);
    expect(suite.smsc().store.list({ to: '+4915112360001' })[0].text).toBe(`${code} is your ACME sign-up code. It expires in 10 minutes.`);
    expect(run.items('Send Code')[0]).toMatchObject({ channel: 'signup', code });
    expect(run.items('Check Code', 0)).toEqual([expect.objectContaining({ to: '+4915112360001', channel: 'signup', approved: true })]);
    expect(run.items('Check Code', 1)).toEqual([]);
  });

  it('no issued code ever appeared in a log line', () => {
    expect(suite.issuedCodes.size).toBeGreaterThan(15);
    const logs = logCapture.text();
    expect(logs.length).toBeGreaterThan(0);
    for (const code of suite.issuedCodes) expect(logs).not.toContain(code);
  });
});
