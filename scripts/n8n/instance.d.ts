// Types for instance.js (plain CommonJS, so it runs before our TypeScript build), for the
// TypeScript tests and scripts that start a real n8n.

export type N8nMode = 'regular' | 'queue-main' | 'worker';

export interface ProvisionedN8n {
  /** The Node binary that runs n8n (the system one when >= 24, else the cached Node 24). */
  nodeBin: string;
  /** n8n's CLI entry script (`.../node_modules/n8n/bin/n8n`). */
  n8nBin: string;
  cacheDir: string;
  dbMode: 'sqlite' | 'postgres';
  n8nPackageDir: string;
  nodeVersion: string;
  n8nVersion: string;
}

export function ensureN8n(options?: { log?: (line: string) => void; cacheDir?: string }): Promise<ProvisionedN8n>;

export interface StartN8nOptions {
  userFolder: string;
  /** Editor/REST port, or a worker's health-check port; a free port when omitted. */
  port?: number;
  /** n8n's task broker port; a free port when omitted. */
  brokerPort?: number;
  /** The package to link into `<userFolder>/.n8n/nodes/node_modules/<its name>`. */
  packageDir?: string;
  /** Applied last; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  mode?: N8nMode;
  /** Defaults to `<userFolder>/n8n-<mode>.log`; appended to. */
  logFile?: string;
  /** Worker only: `--concurrency`, default 5. */
  concurrency?: number;
  /** More flags for n8n's Node, before n8n's own script (V8 flags such as --trace-gc, which NODE_OPTIONS refuses). */
  nodeFlags?: string[];
  readyTimeoutMs?: number;
  /**
   * Database of a new user folder. Default: PostgreSQL in queue modes when a server answers on
   * 127.0.0.1:5432 (or DB_POSTGRESDB_HOST/PORT), else what provisioning chose. A folder that already
   * has a PostgreSQL database recorded keeps it (so a worker follows its main).
   */
  dbMode?: 'sqlite' | 'postgres';
  provisioned?: ProvisionedN8n;
  log?: (line: string) => void;
  /** Gets n8n's process id (its process group) as soon as it runs, before it is ready. */
  onSpawn?: (pid: number) => void;
}

export interface CliResult {
  stdout: string;
  stderr: string;
  ms: number;
}

export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when n8n ignored SIGTERM for the whole bound and got SIGKILL. */
  forced: boolean;
}

export interface N8nInstance {
  url: string;
  port: number;
  logFile: string;
  env: Record<string, string>;
  pid: number;
  mode: N8nMode;
  dbMode: 'sqlite' | 'postgres';
  /** The PostgreSQL database name, or null on SQLite. */
  database: string | null;
  stop(timeoutMs?: number): Promise<StopResult>;
  cli(args: string[]): Promise<CliResult>;
}

export function startN8n(options: StartN8nOptions): Promise<N8nInstance>;

export interface N8nNodeTypeDescription {
  name: string;
  displayName: string;
  version: number | number[];
  [key: string]: unknown;
}

export interface N8nExecutionSummary {
  id: string;
  workflowId: string;
  status: string;
  mode: string;
  [key: string]: unknown;
}

export class N8nRestError extends Error {
  status: number;
  body: unknown;
}

export class N8nRestClient {
  constructor(baseUrl: string);
  readonly baseUrl: string;
  readonly browserId: string;
  authToken: string | null;
  request<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
  patch<T = unknown>(path: string, body?: unknown): Promise<T>;
  delete<T = unknown>(path: string): Promise<T>;
  login(email: string, password: string): Promise<unknown>;
  /** Publishes (activates) a saved workflow while the server runs. */
  activateWorkflow(workflowId: string): Promise<{ id: string; active: boolean; activeVersionId?: string | null; [key: string]: unknown }>;
  nodeTypes(): Promise<N8nNodeTypeDescription[]>;
  /** The newest executions (20, or `limit` up to 100), optionally of one workflow. */
  executions(workflowId?: string, limit?: number): Promise<{ results: N8nExecutionSummary[]; count: number }>;
  execution(id: string): Promise<N8nExecutionSummary & { data: string }>;
  testCredentials(credentials: {
    id?: string;
    name: string;
    type: string;
    data: Record<string, unknown>;
  }): Promise<{ status: 'OK' | 'Error'; message: string }>;
}

export function setupOwner(url: string, owner: { email: string; password: string; firstName: string; lastName: string }): Promise<N8nRestClient>;

export function n8nCli(
  args: string[],
  env: Record<string, string>,
  options?: {
    provisioned?: Pick<ProvisionedN8n, 'nodeBin' | 'n8nBin'>;
    timeoutMs?: number;
    /** Default info (debug prefixes every line and breaks --rawOutput). */
    logLevel?: string;
    /** Default legacy: n8n's isolated-vm engine made CLI processes crash with SIGSEGV at exit. */
    expressionEngine?: 'legacy' | 'vm';
  },
): Promise<CliResult>;

/** The JSON run printed by `n8n execute --rawOutput`. */
export function parseExecuteOutput(stdout: string): {
  status?: string;
  data: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>>; error?: unknown } };
  [key: string]: unknown;
};

/** Calls a just-published workflow's production webhook, retrying while n8n says "not registered". */
export function callWebhookWhenLive(
  baseUrl: string,
  webhookPath: string,
  init?: RequestInit,
  options?: { timeoutMs?: number },
): Promise<{ status: number; body: string }>;

export function dropInstanceDatabase(options: { provisioned: ProvisionedN8n; userFolder: string }): Promise<void>;
export function lastLogLines(logFile: string, count?: number): string;
export function freePort(): Promise<number>;
