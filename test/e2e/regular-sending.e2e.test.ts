// Regular mode, one n8n for the file: Send SMS and Bulk Alert Broadcast started by webhooks,
// checked at both ends (what the sandbox SMSC received, what n8n recorded for the execution), and
// the SMPP credential's test as the editor's "Test" button runs it.
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { createCredential, createPublishedWorkflow, executionRunData, postJson, waitForFinishedExecutions, workflowFixture } from './support/n8n-resources';
import type { CredentialRef } from './support/n8n-resources';
import { N8nUnderTest } from './support/n8n-under-test';
import { nodeOutput } from './support/run-data';
import { messagesTo, smppCredentialData, startE2eSandbox, ukMobiles } from './support/sms-sandbox';

const ACCOUNT = { systemId: 'e2esend', password: 'pw-send1' };
const note = (line: string): void => {
  process.stderr.write(`[e2e regular-sending] ${line}\n`);
};

describe('regular mode: sending SMS through n8n', () => {
  let n8n: N8nUnderTest | undefined;
  let smsc: SandboxSmsc;
  let smpp: CredentialRef;
  const workflows: Record<'send' | 'broadcast', string> = { send: '', broadcast: '' };

  beforeAll(
    async () => {
      smsc = await startE2eSandbox([ACCOUNT]);
      n8n = await N8nUnderTest.start({ label: 'regular-sending', mode: 'regular', note });
      const { client } = n8n;
      await n8n.guard(async () => {
        smpp = await createCredential(client, 'SMPP sandbox', 'smppApi', smppCredentialData(smsc, ACCOUNT));
        workflows.send = await createPublishedWorkflow(client, workflowFixture('send-sms.workflow.json', { credentials: [smpp] }));
        workflows.broadcast = await createPublishedWorkflow(client, workflowFixture('broadcast.workflow.json', { credentials: [smpp] }));
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

  beforeEach(() => smsc.store.clear());

  const running = (): N8nUnderTest => {
    if (!n8n) throw new Error('n8n did not start (see the beforeAll error)');
    return n8n;
  };

  test('a webhook runs Send SMS: the sandbox gets the text from the default sender, and the execution records the message id', async () => {
    await running().guard(async () => {
      const [phone] = ukMobiles(1, 1);
      const text = 'Your parcel arrives today between 10:00 and 12:00';
      const answer = await postJson(running().main.url, 'sms-e2e-send', { to: phone, text });
      expect(answer.status).toBe(200);
      const reply = answer.json;
      expect(reply).toMatchObject({ to: phone, status: 'accepted', parts: 1, encoding: 'gsm7', from: 'E2ETEST' });

      const received = messagesTo(smsc, phone);
      expect(received.map((m) => [m.from, m.text, m.systemId])).toEqual([['E2ETEST', text, ACCOUNT.systemId]]);
      expect(reply.messageIds).toEqual([received[0].id]);

      const [execution] = await waitForFinishedExecutions(running().client, workflows.send, 1);
      expect([execution.mode, execution.status]).toEqual(['webhook', 'success']);
      const output = nodeOutput(await executionRunData(running().client, execution.id), 'Send SMS');
      expect(output).toEqual([reply]);
    })();
  });

  test('a webhook runs a Bulk Alert Broadcast to 1,000 numbers (plus repeats and a bad number); a re-run of the same ID sends nobody twice', async () => {
    await running().guard(async () => {
      const phones = ukMobiles(1000, 10_000);
      // Two numbers twice (one written nationally) and one that is not a phone number.
      const list = [...phones, phones[3], '07911010007', 'not-a-number'];
      const body = { recipients: list.join('\n'), text: 'Flood warning: move to higher ground now.', broadcastId: 'e2e-regular-flood-1' };
      const first = await postJson(running().main.url, 'sms-e2e-broadcast', body);
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({
        type: 'summary',
        broadcastId: body.broadcastId,
        total: 1003,
        accepted: 1000,
        failed: 0,
        invalid: 1,
        duplicatesRemoved: 2,
        skippedAlreadySent: 0,
        skippedUncertain: 0,
        parts: 1000,
      });
      expect(first.json.problems).toEqual([expect.objectContaining({ to: 'not-a-number', status: 'invalid' })]);
      expect(smsc.store.uniqueDestinations()).toBe(1000);
      expect(smsc.store.duplicates()).toEqual({ destinations: 0, extraCopies: 0 });
      for (const phone of [phones[0], phones[3], phones[999]]) expect(messagesTo(smsc, phone).map((m) => m.text)).toEqual([body.text]);

      const again = await postJson(running().main.url, 'sms-e2e-broadcast', body);
      expect(again.json).toMatchObject({ total: 1003, accepted: 0, skippedAlreadySent: 1000, duplicatesRemoved: 2, invalid: 1 });
      expect(smsc.store.duplicates()).toEqual({ destinations: 0, extraCopies: 0 });

      const executions = await waitForFinishedExecutions(running().client, workflows.broadcast, 2);
      expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
      const summary = nodeOutput(await executionRunData(running().client, executions[1].id), 'Bulk Alert Broadcast');
      expect(summary).toEqual([first.json]);
    })();
  });

  test('the credential test endpoint binds with the SMPP credential: OK with the right password, the bind error with a wrong one', async () => {
    await running().guard(async () => {
      const data = smppCredentialData(smsc, ACCOUNT);
      // The saved credential, as the editor tests it after saving.
      const ok = await running().client.testCredentials({ id: smpp.id, name: smpp.name, type: 'smppApi', data });
      expect(ok).toEqual({ status: 'OK', message: `Bound to 127.0.0.1:${smsc.port} as "${ACCOUNT.systemId}" (transceiver)` });

      const bindFailuresBefore = smsc.stats.bindFailures;
      // An unsaved credential (id ''), as the editor tests one before it is saved.
      const wrong = await running().client.testCredentials({ id: '', name: 'SMPP sandbox', type: 'smppApi', data: { ...data, password: 'wrong-pw' } });
      expect(wrong.status).toBe('Error');
      expect(wrong.message).toMatch(/password/i);
      expect(wrong.message).not.toContain('wrong-pw');
      expect(smsc.stats.bindFailures).toBe(bindFailuresBefore + 1);
    })();
  });
});
