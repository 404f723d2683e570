// Queue mode (n8n main + 2 workers, Redis, PostgreSQL): Bulk Alert Broadcasts split over several
// executions share the SMPP credential's TPS budget across both workers (through
// the nodes' SMS Gateway Redis credential, State Store = Redis), and a worker killed
// mid-broadcast (SIGKILL) leaves a journal from which a re-run of the same broadcast ID sends
// nobody the alert twice.
import { randomBytes } from 'node:crypto';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { createCredential, createPublishedWorkflow, executionRunData, postJson, waitForFinishedExecutions, workflowFixture } from './support/n8n-resources';
import type { CredentialRef } from './support/n8n-resources';
import { N8nUnderTest } from './support/n8n-under-test';
import { deleteRedisKeys, tpsBudgetKeyPrefix } from './support/redis-keys';
import { nodeOutput } from './support/run-data';
import { eventually, receivedPerDestination, smppCredentialData, startE2eSandbox, ukMobiles } from './support/sms-sandbox';

const TPS_ACCOUNT = { systemId: 'e2etps', password: 'pw-tps1' };
const FAST_ACCOUNT = { systemId: 'e2efast', password: 'pw-fast1' };
const TPS = 100;
const REDIS_PREFIX = `sms-e2e-${randomBytes(6).toString('hex')}:`;
const note = (line: string): void => {
  process.stderr.write(`[e2e queue-broadcast] ${line}\n`);
};

/**
 * Queue-mode SMPP credential: workers bind as transmitters. The TPS budget is shared through
 * Redis because the nodes' State Store is Redis (the SMS Gateway Redis credential).
 */
function sharedBudget(tps: number): Record<string, unknown> {
  return { tps, bindMode: 'transmitter' };
}

describe('queue mode: Bulk Alert Broadcast on two workers', () => {
  let n8n: N8nUnderTest | undefined;
  let smsc: SandboxSmsc;
  const credentialData: Array<Record<string, unknown>> = [];
  const workflows: Record<'tps' | 'kill', string> = { tps: '', kill: '' };

  beforeAll(
    async () => {
      smsc = await startE2eSandbox([TPS_ACCOUNT, FAST_ACCOUNT]);
      n8n = await N8nUnderTest.start({ label: 'queue-broadcast', mode: 'queue', workers: 2, concurrency: 3, note });
      await n8n.guard(() => setUpWorkflows(n8n!))();
    },
    6 * 60 * 1000,
  );

  async function setUpWorkflows(n8n: N8nUnderTest): Promise<void> {
    credentialData.push(
      smppCredentialData(smsc, TPS_ACCOUNT, { ...sharedBudget(TPS), windowSize: 10 }),
      smppCredentialData(smsc, FAST_ACCOUNT, sharedBudget(1000)),
    );
    const smppTps = await createCredential(n8n.client, 'SMPP sandbox (100 TPS)', 'smppApi', credentialData[0]);
    const smppFast = await createCredential(n8n.client, 'SMPP sandbox (1000 TPS)', 'smppApi', credentialData[1]);
    const redis: CredentialRef = await createCredential(n8n.client, 'Redis', 'smsGatewayRedisApi', { host: '127.0.0.1', port: 6379, keyPrefix: REDIS_PREFIX });
    workflows.tps = await createPublishedWorkflow(
      n8n.client,
      workflowFixture('broadcast.workflow.json', {
        name: 'e2e queue: broadcast at 100 TPS',
        credentials: [smppTps, redis],
        parameters: { Webhook: { path: 'sms-e2e-broadcast-tps' }, 'Bulk Alert Broadcast': { stateStore: 'redis' } },
      }),
    );
    workflows.kill = await createPublishedWorkflow(
      n8n.client,
      workflowFixture('broadcast.workflow.json', {
        name: 'e2e queue: broadcast a worker dies in',
        credentials: [smppFast, redis],
        parameters: { Webhook: { path: 'sms-e2e-broadcast-kill' }, 'Bulk Alert Broadcast': { stateStore: 'redis', output: 'perRecipient' } },
      }),
    );
  }

  afterAll(
    async () => {
      await n8n?.shutdown();
      await smsc?.stop();
      for (const prefix of [REDIS_PREFIX, ...credentialData.map(tpsBudgetKeyPrefix)]) await deleteRedisKeys(prefix);
    },
    2 * 60 * 1000,
  );

  beforeEach(() => smsc.store.clear());

  const running = (): N8nUnderTest => {
    if (!n8n) throw new Error('n8n did not start (see the beforeAll error)');
    return n8n;
  };

  test(
    `six concurrent broadcasts of 200 run on both workers and never exceed ${TPS} messages in any second at the SMSC`,
    async () => {
      await running().guard(async () => {
        const calls = Array.from({ length: 6 }, (_, k) => ({
          recipients: ukMobiles(200, 100_000 + k * 200).join('\n'),
          text: `Storm alert ${k}: stay indoors.`,
          broadcastId: `e2e-queue-tps-${k}`,
        }));
        const answers = await Promise.all(calls.map((body) => postJson(running().main.url, 'sms-e2e-broadcast-tps', body)));
        for (const [k, answer] of answers.entries()) {
          expect(answer.json).toMatchObject({ type: 'summary', broadcastId: calls[k].broadcastId, total: 200, accepted: 200, failed: 0 });
        }
        expect(smsc.store.uniqueDestinations()).toBe(1200);
        expect(smsc.store.duplicates()).toEqual({ destinations: 0, extraCopies: 0 });
        const busiestSecond = smsc.store.maxInWindow(1000);
        note(`1,200 messages from 6 executions; busiest second at the SMSC: ${busiestSecond} (limit ${TPS})`);
        expect(busiestSecond).toBeLessThanOrEqual(TPS);

        const executions = await waitForFinishedExecutions(running().client, workflows.tps, 6);
        expect(executions.map((e) => e.status)).toEqual(Array(6).fill('success'));
        const workerPids = new Set(executions.map((e) => running().workerThatStarted(e.id)?.pid));
        expect([...workerPids].sort()).toEqual(
          running()
            .workers.map((w) => w.pid)
            .sort(),
        );
      })();
    },
    3 * 60 * 1000,
  );

  test(
    'a worker SIGKILLed mid-broadcast: re-running the broadcast ID on the other worker sends nobody the alert twice',
    async () => {
      await running().guard(async () => {
        const phones = ukMobiles(10_000, 200_000);
        const body = { recipients: phones.join('\n'), text: 'Evacuate zone B now.', broadcastId: 'e2e-queue-kill-1' };
        const aborted = new AbortController();
        const firstRun = postJson(running().main.url, 'sms-e2e-broadcast-kill', body, aborted.signal).catch((error: Error) => error);
        await eventually(() => smsc.store.acceptTimes.length >= 1500, '1,500 messages of the first run at the SMSC');

        const { results } = await running().client.executions(workflows.kill);
        const [killed] = results.filter((e) => e.status === 'running');
        const victim = killed && running().workerThatStarted(killed.id);
        if (!victim) throw new Error(`no worker log says it started the running broadcast (executions: ${JSON.stringify(results)})`);
        await running().killWorker(victim);
        aborted.abort();
        expect(await firstRun).toMatchObject({ name: 'AbortError' });
        const sentBeforeKill = smsc.store.acceptTimes.length;
        expect(sentBeforeKill).toBeLessThan(phones.length);

        const rerun = await postJson(running().main.url, 'sms-e2e-broadcast-kill', body);
        expect(rerun.status).toBe(200);
        const [finished] = await waitForFinishedExecutions(running().client, workflows.kill, 1, { status: 'success' });
        expect(running().workerThatStarted(finished.id)?.pid).toBe(running().workers[0].pid);
        const items = nodeOutput(await executionRunData(running().client, finished.id), 'Bulk Alert Broadcast');
        const summary = items[items.length - 1];
        const statusOf = new Map(items.slice(0, -1).map((item) => [String(item.to), String(item.status)]));
        note(
          `killed after ${sentBeforeKill} sent; re-run: ${summary.accepted} sent, ${summary.skippedAlreadySent} already sent, ${summary.skippedUncertain} uncertain`,
        );

        expect(summary).toMatchObject({ type: 'summary', total: 10_000, failed: 0, invalid: 0 });
        expect(Number(summary.accepted) + Number(summary.skippedAlreadySent) + Number(summary.skippedUncertain)).toBe(10_000);
        expect(Number(summary.accepted)).toBeGreaterThan(0);
        expect(Number(summary.skippedAlreadySent)).toBeGreaterThan(0);
        expect(smsc.store.duplicates()).toEqual({ destinations: 0, extraCopies: 0 });
        const received = receivedPerDestination(smsc);
        const wrong = phones.filter((phone) => {
          const copies = received.get(phone.slice(1)) ?? 0;
          return statusOf.get(phone) === 'skipped_uncertain' ? copies > 1 : copies !== 1;
        });
        expect(wrong).toEqual([]);
      })();
    },
    3 * 60 * 1000,
  );
});
