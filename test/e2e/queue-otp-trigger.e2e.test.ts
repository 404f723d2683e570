// Queue mode (n8n main + workers, Redis, PostgreSQL): the SMS Trigger listens on the main only (one
// receiver bind; each text from a phone starts exactly one execution, which a worker runs), and an
// OTP issued by one worker is verified by another, through the Redis state store.
import { randomBytes } from 'node:crypto';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { createCredential, createPublishedWorkflow, postJson, waitForFinishedExecutions, workflowFixture } from './support/n8n-resources';
import { N8nUnderTest } from './support/n8n-under-test';
import { deleteRedisKeys, tpsBudgetKeyPrefix } from './support/redis-keys';
import { eventually, messagesTo, within, smppCredentialData, startE2eSandbox, ukMobiles } from './support/sms-sandbox';

const ACCOUNT = { systemId: 'e2eqotp', password: 'pw-qotp1' };
const REDIS_PREFIX = `sms-e2e-${randomBytes(6).toString('hex')}:`;
const CODE_SMS = /^Your E2E Shop code is (\d{6})\. It expires in 10 minutes\.$/;
const note = (line: string): void => {
  process.stderr.write(`[e2e queue-otp-trigger] ${line}\n`);
};

describe('queue mode: SMS Trigger on the main, OTP across workers', () => {
  let n8n: N8nUnderTest | undefined;
  let smsc: SandboxSmsc;
  // Workers bind as transmitters; only a receiver bind gets messages from phones.
  const smppData: Record<string, unknown> = {};
  const binds: string[] = [];
  const workflows: Record<'issue' | 'verify' | 'reply', string> = { issue: '', verify: '', reply: '' };

  beforeAll(
    async () => {
      smsc = await startE2eSandbox([ACCOUNT]);
      smsc.on('bound', ({ mode }) => binds.push(mode));
      n8n = await N8nUnderTest.start({ label: 'queue-otp-trigger', mode: 'queue', workers: 2, concurrency: 3, note });
      const { client } = n8n;
      await n8n.guard(async () => {
        Object.assign(smppData, smppCredentialData(smsc, ACCOUNT, { tps: 50, bindMode: 'transmitter' }));
        const credentials = [
          await createCredential(client, 'SMPP sandbox', 'smppApi', smppData),
          await createCredential(client, 'OTP settings', 'smsOtpApi', {
            serverKey: randomBytes(32).toString('hex'),
            defaultCountry: 'GB',
            appName: 'E2E Shop',
          }),
          await createCredential(client, 'Redis', 'smsGatewayRedisApi', { host: '127.0.0.1', port: 6379, keyPrefix: REDIS_PREFIX }),
        ];
        const redisState = { stateStore: 'redis' };
        workflows.issue = await createPublishedWorkflow(
          client,
          workflowFixture('otp-issue.workflow.json', { credentials, parameters: { 'OTP Issue': redisState } }),
        );
        workflows.verify = await createPublishedWorkflow(
          client,
          workflowFixture('otp-verify.workflow.json', { credentials, parameters: { 'OTP Verify': redisState } }),
        );
        workflows.reply = await createPublishedWorkflow(
          client,
          workflowFixture('sms-reply.workflow.json', {
            credentials,
            parameters: { 'SMS Trigger': { options: { bindMode: 'receiver' } } },
          }),
        );
      })();
    },
    6 * 60 * 1000,
  );

  afterAll(
    async () => {
      await n8n?.shutdown();
      await smsc?.stop();
      await deleteRedisKeys(REDIS_PREFIX);
      if (smppData.port) await deleteRedisKeys(tpsBudgetKeyPrefix(smppData));
    },
    2 * 60 * 1000,
  );

  const running = (): N8nUnderTest => {
    if (!n8n) throw new Error('n8n did not start (see the beforeAll error)');
    return n8n;
  };

  test(
    'each text from a phone starts one execution (run by a worker) and gets one reply; only the main holds a receiver bind',
    async () => {
      await running().guard(async () => {
        const phones = ukMobiles(2, 40_000);
        for (const [i, phone] of phones.entries()) {
          // Acknowledged by the main once the execution finished on a worker.
          const injected = await within(smsc.injectMo({ from: phone, to: '81234', text: `question ${i}` }), `n8n to take the text from ${phone}`);
          expect(injected).toEqual({ parts: 1, delivered: true });
          await eventually(() => messagesTo(smsc, phone).length > 0, `the reply to ${phone}`);
        }
        const executions = await waitForFinishedExecutions(running().client, workflows.reply, 2);
        expect(executions.map((e) => [e.mode, e.status])).toEqual([
          ['trigger', 'success'],
          ['trigger', 'success'],
        ]);
        for (const execution of executions) expect(running().workerThatStarted(execution.id)).toBeDefined();
        for (const [i, phone] of phones.entries()) expect(messagesTo(smsc, phone).map((m) => m.text)).toEqual([`Got: question ${i}`]);
        expect(binds.filter((mode) => mode !== 'transmitter')).toEqual(['receiver']);
      })();
    },
    2 * 60 * 1000,
  );

  test(
    'a code issued on one worker is verified on another: wrong code Rejected, right code Approved',
    async () => {
      await running().guard(async () => {
        const [issuer, stopped] = running().workers;
        // With one worker left, the issue has to run there.
        await running().stopWorker(stopped);
        const [phone] = ukMobiles(1, 50_000);
        const issued = await postJson(running().main.url, 'sms-e2e-otp-issue', { phone });
        expect(issued.json).toMatchObject({ to: phone, status: 'pending', sendCount: 1 });
        const [issueRun] = await waitForFinishedExecutions(running().client, workflows.issue, 1);
        expect(running().workerThatStarted(issueRun.id)?.pid).toBe(issuer.pid);
        const sms = messagesTo(smsc, phone);
        expect(sms.map((m) => m.text)).toEqual([expect.stringMatching(CODE_SMS)]);
        const code = CODE_SMS.exec(sms[0].text)![1];

        // A new worker process takes over; the issuer goes, so the verify runs where the code was never in memory.
        const verifier = await running().addWorker();
        await running().stopWorker(issuer);
        const wrongCode = code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
        const rejected = await postJson(running().main.url, 'sms-e2e-otp-verify', { phone, code: wrongCode });
        expect(rejected.json).toMatchObject({ branch: 'rejected', approved: false, reason: 'invalid_code', to: phone });
        const approved = await postJson(running().main.url, 'sms-e2e-otp-verify', { phone, code });
        expect(approved.json).toMatchObject({ branch: 'approved', approved: true, status: 'approved', sid: issued.json.sid });

        const verifyRuns = await waitForFinishedExecutions(running().client, workflows.verify, 2);
        expect(verifyRuns.map((run) => running().workerThatStarted(run.id)?.pid)).toEqual([verifier.pid, verifier.pid]);
        expect(verifier.pid).not.toBe(issuer.pid);
      })();
    },
    3 * 60 * 1000,
  );
});
