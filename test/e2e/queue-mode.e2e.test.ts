// n8n's queue mode as our users run it at scale: a main process that receives webhooks and a
// worker that executes them, sharing Redis (Bull queue) and the database, with our package linked
// in both. The base for the e2e tests of shared TPS limits and OTP state across processes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import {
  callWebhookWhenLive,
  dropInstanceDatabase,
  ensureN8n,
  setupOwner,
  startN8n,
  type N8nInstance,
  type N8nRestClient,
  type ProvisionedN8n,
} from '../../scripts/n8n/instance';
import { FailureLog } from './support/failure-log';
import { packageUnderTest } from './support/package-under-test';

const WORKFLOW_FILE = path.join(__dirname, 'fixtures', 'webhook-set.workflow.json');
const WORKFLOW_ID = 'smsE2eQueueHook1';
const OWNER = { email: 'e2e-queue@example.com', password: 'E2e-Queue-Passw0rd', firstName: 'E2E', lastName: 'Queue' };

const note = (line: string): void => {
  process.stderr.write(`[e2e queue-mode] ${line}\n`);
};

async function deleteRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await redis.connect();
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

describe('n8n queue mode: a webhook received by the main runs on the worker', () => {
  const failures = new FailureLog();
  const pkg = packageUnderTest();
  let provisioned: ProvisionedN8n;
  let userFolder = '';
  let main: N8nInstance | undefined;
  let worker: N8nInstance | undefined;
  let client: N8nRestClient | undefined;

  beforeAll(
    async () => {
      provisioned = await ensureN8n({ log: note });
    },
    15 * 60 * 1000,
  );

  beforeAll(
    async () => {
      userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-e2e-queue-'));
      try {
        const common = { userFolder, packageDir: pkg.dir, provisioned, env: { N8N_LOG_LEVEL: 'debug' } };
        main = await startN8n({ ...common, mode: 'queue-main' });
        // The worker shares the folder: same encryption key, same linked package, same database.
        worker = await startN8n({ ...common, mode: 'worker', concurrency: 2 });
        note(`main ${main.url} and worker ready on ${main.dbMode}${main.database ? ` (${main.database})` : ''}`);
        client = await setupOwner(main.url, OWNER);
      } catch (error) {
        failures.markFailed();
        throw error;
      }
    },
    5 * 60 * 1000,
  );

  afterAll(async () => {
    if (worker) await worker.stop();
    if (main) await main.stop();
    const prefix = main?.env.QUEUE_BULL_PREFIX;
    if (prefix) note(`removed ${await deleteRedisKeys(prefix)} Redis keys under ${prefix}:`);
    const logs = [main?.logFile, worker?.logFile].filter((file): file is string => typeof file === 'string');
    for (const file of failures.saveIfFailed('queue-mode', logs)) note(`n8n log kept in ${file}`);
    if (failures.hasFailed && userFolder) note(`n8n user folder kept in ${userFolder}`);
    if (!failures.hasFailed && userFolder) {
      await dropInstanceDatabase({ provisioned, userFolder });
      fs.rmSync(userFolder, { recursive: true, force: true });
    }
  }, 90 * 1000);

  test(
    'runs the published webhook workflow on the worker and answers with its output',
    failures.guard(async () => {
      if (!main || !worker || !client) throw new Error('n8n did not start (see the beforeAll error)');
      await main.cli(['import:workflow', `--input=${WORKFLOW_FILE}`]);
      const published = await client.activateWorkflow(WORKFLOW_ID);
      expect(published.active).toBe(true);

      const answer = await callWebhookWhenLive(main.url, 'sms-e2e-queue', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hello: 'from the queue test' }),
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ echo: 'from the queue test' });

      const executions = await client.executions(WORKFLOW_ID);
      expect(executions.results.map((execution) => [execution.mode, execution.status])).toEqual([['webhook', 'success']]);
      const executionId = executions.results[0].id;
      // The worker, not the main, executed it.
      const workerLog = fs.readFileSync(worker.logFile, 'utf8');
      expect(workerLog).toContain(`Worker finished execution ${executionId} `);
      expect(fs.readFileSync(main.logFile, 'utf8')).not.toContain(`Worker finished execution ${executionId} `);
    }),
    3 * 60 * 1000,
  );
});
