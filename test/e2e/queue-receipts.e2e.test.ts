// Queue mode (n8n main + 2 workers, Redis, PostgreSQL) as the README sets it up: the SMS Trigger on
// the main holds the only receiver bind, the workers bind as transmitters. Every receipt reaches the
// worker that waits for it through Redis: 1,000 Send SMS messages with "Wait for Delivery Receipt"
// spread over both workers all get theirs, and a broadcast's delivery counts are complete.
import { randomBytes } from 'node:crypto';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { receiptKeyPrefix } from '../../src/dlr/carrier-receipts';
import { createCredential, createPublishedWorkflow, postJson, waitForFinishedExecutions, workflowFixture } from './support/n8n-resources';
import { N8nUnderTest } from './support/n8n-under-test';
import { deleteRedisKeys, tpsBudgetKeyPrefix } from './support/redis-keys';
import { eventually, smppCredentialData, startE2eSandbox, ukMobiles } from './support/sms-sandbox';

const ACCOUNT = { systemId: 'e2edlr', password: 'pw-dlr1' };
const REDIS_PREFIX = `sms-e2e-${randomBytes(6).toString('hex')}:`;
const MESSAGES = 1000;
const PER_EXECUTION = 25;
const note = (line: string): void => {
  process.stderr.write(`[e2e queue-receipts] ${line}\n`);
};

describe('queue mode: delivery receipts reach the worker that waits for them', () => {
  let n8n: N8nUnderTest | undefined;
  let smsc: SandboxSmsc;
  const smppData: Record<string, unknown> = {};
  const binds: string[] = [];
  const workflows: Record<'send' | 'broadcast' | 'trigger', string> = { send: '', broadcast: '', trigger: '' };

  beforeAll(
    async () => {
      smsc = await startE2eSandbox([ACCOUNT]);
      smsc.options.receipt = { outcome: 'DELIVRD', delayMs: 50, undeliveredTo: ukMobiles(20, 210_000).map((p) => p.slice(1)) };
      smsc.on('bound', ({ mode }) => binds.push(mode));
      n8n = await N8nUnderTest.start({ label: 'queue-receipts', mode: 'queue', workers: 2, concurrency: 3, note });
      await n8n.guard(async () => {
        const { client } = n8n!;
        // Workers bind as transmitters and receive nothing; receipts are shared through the credential's Redis.
        Object.assign(smppData, smppCredentialData(smsc, ACCOUNT, { useRedis: true, redisHost: '127.0.0.1', redisPort: 6379, bindMode: 'transmitter' }));
        const smpp = await createCredential(client, 'SMPP sandbox (queue mode)', 'smppApi', smppData);
        const redis = await createCredential(client, 'Redis', 'smsGatewayRedisApi', { host: '127.0.0.1', port: 6379, keyPrefix: REDIS_PREFIX });
        workflows.trigger = await createPublishedWorkflow(
          client,
          workflowFixture('sms-reply.workflow.json', {
            name: 'e2e queue: the trigger holds the receiver bind',
            credentials: [smpp],
            parameters: { 'SMS Trigger': { events: ['message'], options: { bindMode: 'receiver' } } },
          }),
        );
        workflows.send = await createPublishedWorkflow(
          client,
          workflowFixture('send-sms.workflow.json', {
            name: 'e2e queue: Send SMS waits for receipts',
            credentials: [smpp],
            parameters: {
              Webhook: { path: 'sms-e2e-receipts-send', responseData: 'allEntries' },
              'Send SMS': { waitForReceipt: true, receiptTimeoutSeconds: 60 },
            },
          }),
        );
        workflows.broadcast = await createPublishedWorkflow(
          client,
          workflowFixture('broadcast.workflow.json', {
            name: 'e2e queue: broadcast waits for receipts',
            credentials: [smpp, redis],
            parameters: {
              Webhook: { path: 'sms-e2e-receipts-broadcast' },
              'Bulk Alert Broadcast': { stateStore: 'redis', waitForReceipts: true, receiptWaitMinutes: 2 },
            },
          }),
        );
        await eventually(() => binds.includes('receiver'), 'the trigger on the main to bind as receiver');
      })();
    },
    6 * 60 * 1000,
  );

  afterAll(
    async () => {
      await n8n?.shutdown();
      await smsc?.stop();
      await deleteRedisKeys(REDIS_PREFIX);
      if (smppData.port) {
        await deleteRedisKeys(tpsBudgetKeyPrefix(smppData));
        await deleteRedisKeys(receiptKeyPrefix({ host: '127.0.0.1', port: Number(smppData.port) }));
      }
    },
    2 * 60 * 1000,
  );

  const running = (): N8nUnderTest => {
    if (!n8n) throw new Error('n8n did not start (see the beforeAll error)');
    return n8n;
  };

  test(
    `${MESSAGES} messages from ${MESSAGES / PER_EXECUTION} executions on both workers: every one gets its receipt`,
    async () => {
      await running().guard(async () => {
        const phones = ukMobiles(MESSAGES, 210_000); // the first 20 are undeliverable
        const batches = Array.from({ length: MESSAGES / PER_EXECUTION }, (_, k) => phones.slice(k * PER_EXECUTION, (k + 1) * PER_EXECUTION));
        const startedAt = Date.now();
        const answers = await Promise.all(
          batches.map((batch, k) =>
            postJson(running().main.url, 'sms-e2e-receipts-send', { to: batch.join(','), text: `Your appointment ${k} is confirmed.` }),
          ),
        );
        const items = answers.flatMap((answer) => answer.json as unknown as Array<Record<string, unknown>>);
        note(`${items.length} messages sent and waited for in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
        expect(items).toHaveLength(MESSAGES);
        expect(items.filter((item) => item.status !== 'accepted')).toEqual([]);
        const statusOf = new Map(items.map((item) => [String(item.to), (item.delivery as { status?: string } | undefined)?.status]));
        const expected = new Map(phones.map((phone, i) => [phone, i < 20 ? 'UNDELIV' : 'DELIVRD']));
        expect(statusOf).toEqual(expected);

        const executions = await waitForFinishedExecutions(running().client, workflows.send, batches.length, { timeoutMs: 120_000 });
        expect(executions.every((e) => e.status === 'success')).toBe(true);
        const workerPids = new Set(executions.map((e) => running().workerThatStarted(e.id)?.pid));
        expect([...workerPids].sort()).toEqual(
          running()
            .workers.map((w) => w.pid)
            .sort(),
        );
        // Only the main received receipts: the workers' binds cannot.
        expect(binds.filter((mode) => mode !== 'transmitter')).toEqual(['receiver']);
      })();
    },
    5 * 60 * 1000,
  );

  test(
    'a broadcast on a worker counts every delivery, with the receipts the main received',
    async () => {
      await running().guard(async () => {
        const phones = ukMobiles(500, 211_000);
        const answer = await postJson(running().main.url, 'sms-e2e-receipts-broadcast', {
          recipients: phones.join('\n'),
          text: 'Water supply restored.',
          broadcastId: `e2e-receipts-${REDIS_PREFIX}`,
        });
        expect(answer.json).toMatchObject({ type: 'summary', total: 500, accepted: 500, delivery: { delivered: 500, undelivered: 0, unknown: 0 } });
      })();
    },
    3 * 60 * 1000,
  );
});
