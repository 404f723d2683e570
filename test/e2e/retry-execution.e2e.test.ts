// "Retry execution" in n8n of a broadcast that failed half-way sends nobody twice. The broadcast
// (no Broadcast ID: the alert itself is its identity) keeps its journal in Redis; halfway through,
// its Redis user loses its permissions, so the node stops with one error and the execution fails.
// Once the permissions are back, n8n's retry of that execution (POST /rest/executions/:id/retry,
// what the button does) sends only to the numbers that got nothing.
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { createRedisTestUser } from '../reliability/support/redis-test-user';
import type { RedisTestUser } from '../reliability/support/redis-test-user';
import { createCredential, createPublishedWorkflow, executionRunData, postJson, waitForFinishedExecutions, workflowFixture } from './support/n8n-resources';
import { N8nUnderTest } from './support/n8n-under-test';
import { nodeOutput } from './support/run-data';
import { eventually, smppCredentialData, startE2eSandbox, ukMobiles } from './support/sms-sandbox';

const ACCOUNT = { systemId: 'e2eretry', password: 'pw-retry' };
const COUNT = 1000;
const note = (line: string): void => {
  process.stderr.write(`[e2e retry-execution] ${line}\n`);
};

describe('n8n "Retry execution" of a half-failed broadcast', () => {
  let n8n: N8nUnderTest | undefined;
  let smsc: SandboxSmsc;
  let redisUser: RedisTestUser;
  let workflowId = '';

  beforeAll(
    async () => {
      smsc = await startE2eSandbox([ACCOUNT]);
      redisUser = await createRedisTestUser('e2e-retry');
      n8n = await N8nUnderTest.start({ label: 'retry-execution', mode: 'regular', note });
      await n8n.guard(async () => {
        const { client } = n8n!;
        const smpp = await createCredential(client, 'SMPP sandbox', 'smppApi', smppCredentialData(smsc, ACCOUNT, { windowSize: 10 }));
        const redis = await createCredential(client, 'Redis', 'smsGatewayRedisApi', {
          host: '127.0.0.1',
          port: 6379,
          user: redisUser.user,
          password: redisUser.password,
          keyPrefix: redisUser.keyPrefix,
        });
        workflowId = await createPublishedWorkflow(
          client,
          workflowFixture('broadcast.workflow.json', {
            credentials: [smpp, redis],
            parameters: { 'Bulk Alert Broadcast': { stateStore: 'redis', broadcastId: '' } },
          }),
        );
      })();
    },
    5 * 60 * 1000,
  );

  afterAll(
    async () => {
      await n8n?.shutdown();
      await smsc?.stop();
      await redisUser?.remove();
    },
    2 * 60 * 1000,
  );

  const running = (): N8nUnderTest => {
    if (!n8n) throw new Error('n8n did not start (see the beforeAll error)');
    return n8n;
  };

  test(
    'the retry sends only to numbers that got nothing: each phone at most one copy, every phone accounted for',
    async () => {
      await running().guard(async () => {
        const { client } = running();
        const phones = ukMobiles(COUNT, 200_000);
        const body = { recipients: phones.join('\n'), text: 'Chemical release near the port: close windows and stay inside.' };
        smsc.setFaults({ latencyMs: 20 }); // ~500 msg/s at window 10: time to fail it half-way

        // Half-way through, the journal's Redis refuses every command: the node stops, the execution fails.
        const revoked = eventually(() => smsc.stats.accepted >= COUNT * 0.4, 'the broadcast to be under way', 60_000).then(() =>
          redisUser.admin.call('ACL', 'SETUSER', redisUser.user, '-@all'),
        );
        const first = await postJson(running().main.url, 'sms-e2e-broadcast', body).catch((error: Error) => ({ status: 0, json: { message: error.message } }));
        await revoked;
        const [failed] = await waitForFinishedExecutions(client, workflowId, 1);
        expect(failed.status).toBe('error');
        note(`first run answered ${first.status}: ${JSON.stringify(first.json).slice(0, 300)}`);
        const sentBefore = smsc.store.uniqueDestinations();
        expect(sentBefore).toBeGreaterThan(0);
        expect(sentBefore).toBeLessThan(COUNT);
        const failedRun = await executionRunData(client, failed.id);
        expect(failedRun.resultData.error?.message).toMatch(/^Broadcast alert:[0-9a-f]{20} stopped: NOPERM.*Up to then \d+ accepted/s);

        // The permissions come back; the user presses "Retry execution" (with the saved workflow).
        await redisUser.admin.call('ACL', 'SETUSER', redisUser.user, '+@all');
        const retried = await client.post<{ id: string; status: string; retryOf: string }>(`/rest/executions/${failed.id}/retry`, { loadWorkflow: false });
        expect([retried.status, retried.retryOf]).toEqual(['success', failed.id]);
        const [summary] = nodeOutput(await executionRunData(client, retried.id), 'Bulk Alert Broadcast');
        const { problems: _problems, howToSendAgain: _how, ...counts } = summary;
        note(`retry summary: ${JSON.stringify(counts)}`);

        // Nobody twice; every phone either got its one copy or is reported as uncertain.
        expect(smsc.store.duplicates()).toEqual({ destinations: 0, extraCopies: 0 });
        expect(summary).toMatchObject({ type: 'summary', total: COUNT, failed: 0, broadcastId: expect.stringMatching(/^alert:[0-9a-f]{20}$/) });
        const { accepted, skippedAlreadySent, skippedUncertain } = summary as Record<string, number>;
        expect(accepted + skippedAlreadySent + skippedUncertain).toBe(COUNT);
        expect(accepted).toBe(smsc.store.uniqueDestinations() - sentBefore);
        expect(smsc.store.uniqueDestinations()).toBeGreaterThanOrEqual(COUNT - skippedUncertain);
      })();
    },
    3 * 60 * 1000,
  );
});
