// Regular mode, one n8n for the file: OTP Issue and OTP Verify behind two webhooks (the code read
// from the SMS the sandbox received, as a phone would show it), an authenticator app enrolled and
// checked by User ID (the code read from the QR code, as the app would), and an active SMS Trigger
// workflow that answers a text from a phone with Send SMS.
import { randomBytes } from 'node:crypto';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { createCredential, createPublishedWorkflow, executionRunData, postJson, waitForFinishedExecutions, workflowFixture } from './support/n8n-resources';
import type { CredentialRef } from './support/n8n-resources';
import { N8nUnderTest } from './support/n8n-under-test';
import { callWebhookWhenLive } from '../../scripts/n8n/instance';
import { authenticatorCode, guessesRightOnesLast, secretFromQrCode } from '../fixtures/otp/authenticator-app';
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
  const workflows: Record<'issue' | 'verify' | 'reply' | 'enrol' | 'totp', string> = { issue: '', verify: '', reply: '', enrol: '', totp: '' };

  beforeAll(
    async () => {
      smsc = await startE2eSandbox([ACCOUNT]);
      n8n = await N8nUnderTest.start({ label: 'regular-otp-trigger', mode: 'regular', note });
      const { client } = n8n;
      await n8n.guard(async () => {
        const credentials: CredentialRef[] = [
          await createCredential(client, 'SMPP sandbox', 'smppApi', smppCredentialData(smsc, ACCOUNT)),
          await createCredential(client, 'OTP settings', 'smsOtpApi', {
            serverKey: randomBytes(32).toString('hex'),
            defaultCountry: 'GB',
            appName: 'E2E Shop',
          }),
        ];
        workflows.issue = await createPublishedWorkflow(client, workflowFixture('otp-issue.workflow.json', { credentials }));
        workflows.verify = await createPublishedWorkflow(client, workflowFixture('otp-verify.workflow.json', { credentials }));
        workflows.reply = await createPublishedWorkflow(client, workflowFixture('sms-reply.workflow.json', { credentials }));
        workflows.enrol = await createPublishedWorkflow(client, workflowFixture('otp-enrol.workflow.json', { credentials }));
        // The SMS verify fixture, as OTP Verify version 2 checking an authenticator code by User ID.
        const totp = workflowFixture('otp-verify.workflow.json', {
          credentials,
          name: 'e2e: webhook verifies an authenticator code by User ID',
          parameters: {
            Webhook: { path: 'sms-e2e-totp-verify' },
            'OTP Verify': { operation: 'verifyAuthenticatorCode', userId: '={{ $json.body.userId }}', code: '={{ $json.body.code }}' },
          },
        });
        totp.nodes.find((node) => node.name === 'OTP Verify')!.typeVersion = 2;
        workflows.totp = await createPublishedWorkflow(client, totp);
      })();
    },
    5 * 60 * 1000,
  );

  afterAll(
    async () => {
      await n8n?.shutdown();
      await smsc?.stop();
    },
    2 * 60 * 1000,
  );

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

  test("authenticator: enrolment answers with the QR code only; the app's code is approved once, by User ID; 6 wrong codes lock the user", async () => {
    await running().guard(async () => {
      const enrol = (userId: string) =>
        callWebhookWhenLive(running().main.url, 'sms-e2e-totp-enrol', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId, email: `${userId}@example.com` }),
        });
      await enrol('e2e-warm-up'); // waits until the webhook is live
      // The PNG as bytes (the helper above reads bodies as text).
      const answer = await fetch(`${running().main.url}/webhook/sms-e2e-totp-enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'e2e-user-1', email: 'alice@example.com' }),
      });
      expect([answer.status, answer.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^image\/png/)]);
      const secret = secretFromQrCode(Buffer.from(await answer.arrayBuffer()));
      const verify = (code: string) => postJson(running().main.url, 'sms-e2e-totp-verify', { userId: 'e2e-user-1', code });
      const now = Date.now();
      const code = authenticatorCode(secret, now);
      expect((await verify(code)).json).toMatchObject({ branch: 'approved', approved: true, userId: 'e2e-user-1' });
      expect((await verify(code)).json).toMatchObject({ branch: 'rejected', reason: 'already_used' });
      const wrong = guessesRightOnesLast(secret, now, 7).slice(0, 4);
      for (const guess of wrong) expect((await verify(guess)).json).toMatchObject({ branch: 'rejected', reason: 'invalid_code' });
      // The replay counted as the 1st wrong code: the 6th attempt is refused, and so is the right code of the next step.
      expect((await verify(authenticatorCode(secret, now + 30_000))).json).toMatchObject({
        branch: 'rejected',
        reason: 'too_many_attempts',
        retryAfterSeconds: expect.any(Number),
      });

      // n8n's execution history of the enrolment holds no secret (the QR code PNG is binary data kept apart).
      const executions = await waitForFinishedExecutions(running().client, workflows.enrol, 2);
      for (const execution of executions) expect(JSON.stringify(await executionRunData(running().client, execution.id))).not.toContain(secret);
    })();
  });

  test('n8n offers Send SMS, Bulk Alert Broadcast and OTP Issue as agent tools, each with "Max Recipients per Agent Call" (default 10)', async () => {
    await running().guard(async () => {
      type Described = {
        name: string;
        version: number | number[];
        properties: Array<{ name: string; default?: unknown; displayOptions?: { show?: Record<string, unknown> } }>;
      };
      const types = (await running().client.nodeTypes()) as unknown as Described[];
      for (const node of ['sendSms', 'bulkAlertBroadcast', 'otpIssue']) {
        const tool = types.find((type) => type.name === `n8n-nodes-sms-gateway.${node}Tool`);
        const limit = tool?.properties.find((property) => property.name === 'maxToolRecipients');
        expect([node, limit?.default, limit?.displayOptions?.show?.['@tool']]).toEqual([node, 10, [true]]);
      }
      // Versions as n8n loaded them: new workflows get OTP Issue and OTP Verify 2; workflows saved with 1 keep it.
      expect(types.filter((type) => /\.otp(Issue|Verify)$/.test(type.name)).map((type) => type.version)).toEqual([
        [1, 2],
        [1, 2],
      ]);
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
