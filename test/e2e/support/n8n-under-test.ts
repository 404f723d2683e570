// One n8n for a test file: a regular instance, or a queue-mode main with its workers, all sharing a
// fresh user folder (and so the encryption key, the database and the Bull queue prefix). Knows
// which worker ran an execution (from the workers' logs), can SIGKILL a worker, and on shutdown
// keeps the logs of a failed run in test-output/e2e/ and removes everything of a passed one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  dropInstanceDatabase,
  ensureN8n,
  setupOwner,
  startN8n,
  type N8nInstance,
  type N8nRestClient,
  type ProvisionedN8n,
} from '../../../scripts/n8n/instance';
import { FailureLog } from './failure-log';
import { packageUnderTest } from './package-under-test';
import { deleteRedisKeys } from './redis-keys';

export interface N8nUnderTestOptions {
  /** Names the user folder and the kept logs, e.g. "regular-sending". */
  label: string;
  mode: 'regular' | 'queue';
  /** Queue mode: workers to start (default 2). */
  workers?: number;
  /** Queue mode: `--concurrency` of each worker (default 3). */
  concurrency?: number;
  note: (line: string) => void;
  /**
   * Runs on the fresh user folder before n8n starts. With it, the package under test is not linked:
   * the hook puts it there itself (e.g. installs a packed tarball the way n8n's installer does).
   */
  installPackage?: (userFolder: string) => Promise<void>;
  /** Extra environment of every n8n process (e.g. N8N_METRICS, N8N_LOG_LEVEL). */
  env?: Record<string, string | undefined>;
  /**
   * Each process also writes n8n's log file (N8N_LOG_OUTPUT=console,file): JSON lines with the
   * level and metadata, next to its console log (`<log>.jsonl`), as an operator's log collector reads it.
   */
  jsonLogFiles?: boolean;
}

// A throwaway owner of a throwaway instance listening on 127.0.0.1 only (the editor suite signs in as it).
export const E2E_OWNER = { email: 'e2e-owner@example.com', password: 'E2e-Owner-Passw0rd', firstName: 'E2E', lastName: 'Owner' };

export class N8nUnderTest {
  readonly failures = new FailureLog();
  readonly workers: N8nInstance[] = [];
  /** Every process started, stopped or killed ones included: their logs are kept on failure. */
  private readonly started: N8nInstance[] = [];
  private mainInstance: N8nInstance | undefined;
  private restClient: N8nRestClient | undefined;
  private workerCount = 0;

  private constructor(
    private readonly options: N8nUnderTestOptions,
    private readonly provisioned: ProvisionedN8n,
    readonly userFolder: string,
  ) {}

  /** Provisions (cached) and starts n8n; a failure is recorded so shutdown() keeps the logs. */
  static async start(options: N8nUnderTestOptions): Promise<N8nUnderTest> {
    const provisioned = await ensureN8n({ log: options.note });
    const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `sms-gateway-e2e-${options.label}-`));
    const n8n = new N8nUnderTest(options, provisioned, userFolder);
    const startedAt = Date.now();
    try {
      await options.installPackage?.(userFolder);
      n8n.mainInstance = await n8n.launch(options.mode === 'regular' ? 'regular' : 'queue-main', path.join(userFolder, 'n8n-main.log'));
      for (let i = 0; i < (options.mode === 'queue' ? (options.workers ?? 2) : 0); i++) await n8n.addWorker();
      n8n.restClient = await setupOwner(n8n.mainInstance.url, E2E_OWNER);
    } catch (error) {
      n8n.failures.markFailed();
      await n8n.shutdown();
      throw error;
    }
    const workers = n8n.workers.length ? ` + ${n8n.workers.length} workers` : '';
    options.note(`n8n ${options.mode}${workers} ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s at ${n8n.main.url} (${n8n.main.dbMode})`);
    return n8n;
  }

  get main(): N8nInstance {
    if (!this.mainInstance) throw new Error('n8n did not start (see the beforeAll error)');
    return this.mainInstance;
  }

  get client(): N8nRestClient {
    if (!this.restClient) throw new Error('the owner setup did not log in (see the beforeAll error)');
    return this.restClient;
  }

  /** Wraps a test body so that a failure keeps the logs (see FailureLog). */
  guard<T>(body: () => Promise<T>): () => Promise<T> {
    return this.failures.guard(body);
  }

  /** Starts one more queue-mode worker on the same user folder, with a log file of its own. */
  async addWorker(): Promise<N8nInstance> {
    this.workerCount++;
    const worker = await this.launch('worker', path.join(this.userFolder, `n8n-worker-${this.workerCount}.log`));
    this.workers.push(worker);
    return worker;
  }

  /** Stops a worker gracefully (SIGTERM, it finishes what it runs) and forgets it. */
  async stopWorker(worker: N8nInstance): Promise<void> {
    await worker.stop();
    this.workers.splice(this.workers.indexOf(worker), 1);
  }

  /** SIGKILLs a worker's process group (n8n and its task runner), like a crashed machine. */
  async killWorker(worker: N8nInstance): Promise<void> {
    process.kill(-worker.pid, 'SIGKILL');
    const stopped = await worker.stop();
    if (stopped.signal !== 'SIGKILL') throw new Error(`worker ${worker.pid} ended with ${JSON.stringify(stopped)}, not by SIGKILL`);
    this.workers.splice(this.workers.indexOf(worker), 1);
  }

  /** The worker (running or not) whose log says it started this execution; undefined if none did. */
  workerThatStarted(executionId: string): N8nInstance | undefined {
    const line = `Worker started execution ${executionId} `;
    return this.started.find((instance) => instance.mode === 'worker' && readLog(instance.logFile).includes(line));
  }

  /** Stops every process, cleans Redis and the database; keeps logs and the folder of a failed run. */
  async shutdown(): Promise<void> {
    const { note, label } = this.options;
    for (const instance of [...this.started].reverse()) await instance.stop().catch(() => undefined);
    const bullPrefix = this.mainInstance?.env.QUEUE_BULL_PREFIX;
    for (const prefix of bullPrefix ? [`${bullPrefix}:`, `${this.redisKeyPrefix}:`] : []) {
      await deleteRedisKeys(prefix).catch((error: Error) => note(`could not clean Redis keys under ${prefix}: ${error.message}`));
    }
    const logs = this.started.flatMap((instance) => [instance.logFile, jsonLogFileOf(instance.logFile)]);
    for (const file of this.failures.saveIfFailed(label, logs)) note(`n8n log kept in ${file}`);
    if (this.failures.hasFailed) {
      note(`n8n user folder kept in ${this.userFolder}`);
      return;
    }
    await dropInstanceDatabase({ provisioned: this.provisioned, userFolder: this.userFolder });
    fs.rmSync(this.userFolder, { recursive: true, force: true });
  }

  /**
   * n8n's own Redis keys (cache, pub/sub channels, leader election) for this instance only: with
   * the default prefix "n8n", instances started by other test files or runs share them, e.g. a
   * fresh instance refused to publish a webhook that another instance's cache entry still held
   * ("There is a conflict with one of the webhooks", HTTP 409), and two mains elect one leader.
   */
  private get redisKeyPrefix(): string {
    return `n8n-e2e-${path.basename(this.userFolder).replace(/[^A-Za-z0-9-]/g, '')}`;
  }

  private async launch(mode: 'regular' | 'queue-main' | 'worker', logFile: string): Promise<N8nInstance> {
    const instance = await startN8n({
      userFolder: this.userFolder,
      packageDir: this.options.installPackage ? undefined : packageUnderTest().dir,
      provisioned: this.provisioned,
      mode,
      logFile,
      concurrency: this.options.concurrency ?? 3,
      env: {
        N8N_REDIS_KEY_PREFIX: this.redisKeyPrefix,
        ...(this.options.jsonLogFiles ? { N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: jsonLogFileOf(logFile) } : {}),
        ...this.options.env,
      },
    });
    this.started.push(instance);
    return instance;
  }
}

/** Where a process started with `jsonLogFiles` writes n8n's JSON log (next to its console log). */
export function jsonLogFileOf(logFile: string): string {
  return logFile.replace(/\.log$/, '') + '.jsonl';
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
