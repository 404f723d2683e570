// Regular mode, one n8n for the file: OTP Issue and OTP Verify behind two webhooks (the code read
// from the SMS the sandbox received, as a phone would show it), and an active SMS Trigger workflow
// that answers a text from a phone with Send SMS.
import { randomBytes } from 'node:crypto';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { createCredential, createPublishedWorkflow, executionRunData, postJson, waitForFinishedExecutions, workflowFixture } from './support/n8n-resources';
import type { CredentialRef } from './support/n8n-resources';
import { N8nUnderTest } from './support/n8n-under-test';
import { nodeOutput } from './support/run-data';
import { eventually, messagesTo, within, smppCredentialData, startE2eSandbox, ukMobiles } from './support/sms-sandbox';

const ACCOUNT = { systemId: 'e2eotp', password: 'pw-otp1' };
const CODE_SMS = /^Your E2E Shop code is (\d{6})\. It expires in 10 minutes\.$/;
const note = (line: string): void => {
  process.stderr.write(`[e2e regular-otp-trigger] ${line}\n`);
};

describe('regular mode: OTP and the SMS Trigger in n8n', () => {
  let n8n: N8nUnderTest | undefined;
  let smsc: SandboxSmsc;
  const workflows: Record<'issue' | 'verify' | 'reply', string> = { issue: '', verify: '', reply: '' };

  beforeAll(async () => {
    smsc = await startE2eSandbox([ACCOUNT]);
    n8n = await N8nUnderTest.start({ label: 'regular-otp-trigger', mode: 'regular', note });
    const { client } = n8n;
    await n8n.guard(async () => {
      const credentials: CredentialRef[] = [
        await createCredential(client, 'SMPP sandbox', 'smppApi', smppCredentialData(smsc, ACCOUNT)),
        await createCredential(client, 'OTP settings', 'smsOtpApi', { serverKey: randomBytes(32).toString('hex'), defaultCountry: 'GB', appName: 'E2E Shop' }),
      ];
      workflows.issue = await createPublishedWorkflow(client, workflowFixture('otp-issue.workflow.json', { credentials }));
      workflows.verify = await createPublishedWorkflow(client, workflowFixture('otp-verify.workflow.json', { credentials }));
      workflows.reply = await createPublishedWorkflow(client, workflowFixture('sms-reply.workflow.json', { credentials }));
    })();
  }, 5 * 60 * 1000);

  afterAll(async () => {
    await n8n?.shutdown();
    await smsc?.stop();
  }, 2 * 60 * 1000);

  const running = (): N8nUnderTest => {
    if (!n8n) throw new Error('n8n did not start (see the beforeAll error)');
    return n8n;
  };

  test('OTP Issue sends a code by SMS; OTP Verify sends a wrong code to Rejected and the right one to Approved', async () => {
    await running().guard(async () => {
      const [phone] = ukMobiles(1, 20_000);
      const issued = await postJson(running().main.url, 'sms-e2e-otp-issue', { phone });
      expect(issued.status).toBe(200);
      expect(issued.json).toMatchObject({ to: phone, channel: 'login', status: 'pending', sendCount: 1, resent: false });
      expect(issued.json).not.toHaveProperty('code');

      const sms = messagesTo(smsc, phone);
      expect(sms).toHaveLength(1);
      expect(sms[0].text).toMatch(CODE_SMS);
      expect(issued.json.messageIds).toEqual([sms[0].id]);
      const code = CODE_SMS.exec(sms[0].text)![1];
      const wrongCode = code.slice(0, 5) + String((Number(code[5]) + 1) % 10);

      const rejected = await postJson(running().main.url, 'sms-e2e-otp-verify', { phone, code: wrongCode });
      expect(rejected.json).toMatchObject({ branch: 'rejected', approved: false, to: phone });
      const approved = await postJson(running().main.url, 'sms-e2e-otp-verify', { phone, code });
      expect(approved.json).toMatchObject({ branch: 'approved', approved: true, to: phone, sid: issued.json.sid });

      // The Rejected run put the item on the node's second output only, the Approved run on its first.
      const [approvedRun, rejectedRun] = await waitForFinishedExecutions(running().client, workflows.verify, 2);
      const rejectedData = await executionRunData(running().client, rejectedRun.id);
      expect([nodeOutput(rejectedData, 'OTP Verify', 0), nodeOutput(rejectedData, 'OTP Verify', 1).length]).toEqual([[], 1]);
      const approvedData = await executionRunData(running().client, approvedRun.id);
      expect([nodeOutput(approvedData, 'OTP Verify', 0).length, nodeOutput(approvedData, 'OTP Verify', 1)]).toEqual([1, []]);
      // The code is only in the SMS: n8n's record of the Issue run does not hold it.
      const [issueRun] = await waitForFinishedExecutions(running().client, workflows.issue, 1);
      expect(JSON.stringify(await executionRunData(running().client, issueRun.id))).not.toContain(code);
    })();
  });

  test('an SMS from a phone starts the active SMS Trigger workflow once, and its Send SMS reply reaches the phone', async () => {
    await running().guard(async () => {
      const [phone] = ukMobiles(1, 30_000);
      // Resolves when n8n acknowledged the deliver_sm: by default after the execution finished.
      const injected = await within(smsc.injectMo({ from: phone, to: '81234', text: 'hello shop' }), `n8n to take the text from ${phone}`);
      expect(injected).toEqual({ parts: 1, delivered: true });

      await eventually(() => messagesTo(smsc, phone).length > 0, `the reply to ${phone}`);
      const replies = messagesTo(smsc, phone);
      expect(replies.map((m) => [m.from, m.text])).toEqual([['E2ETEST', 'Got: hello shop']]);

      const executions = await waitForFinishedExecutions(running().client, workflows.reply, 1);
      expect(executions.map((e) => [e.mode, e.status])).toEqual([['trigger', 'success']]);
      const run = await executionRunData(running().client, executions[0].id);
      expect(nodeOutput(run, 'SMS Trigger')).toEqual([expect.objectContaining({ type: 'message', from: phone, to: '81234', text: 'hello shop' })]);
      expect(nodeOutput(run, 'Reply')).toEqual([expect.objectContaining({ to: phone, status: 'accepted', messageIds: [replies[0].id] })]);
    })();
  });
});
