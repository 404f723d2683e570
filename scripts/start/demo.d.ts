// Types for demo.js (plain CommonJS, so `npm start` runs it before anything is built), for the
// TypeScript e2e tests and scripts that start the demo.
import type { N8nInstance, N8nRestClient, ProvisionedN8n, StopResult } from '../n8n/instance';
import type { SandboxServices } from '../../src/sandbox/cli';

export interface DemoSandboxOptions {
  /** Default 2775; 0 = a free port. */
  smppPort?: number;
  /** Default 8025; 0 = a free port; null = no inbox page. */
  httpPort?: number | null;
  host?: string;
  accounts?: Array<{ systemId: string; password: string }>;
  latencyMs?: number;
}

export interface DemoOptions {
  /** The project folder (its dist/ must be built). */
  root: string;
  /** n8n's user folder; also holds demo-secrets.json and demo-imports.json. */
  userFolder: string;
  /** n8n's port; a free one when omitted. */
  n8nPort?: number;
  sandbox?: DemoSandboxOptions;
  provisioned?: ProvisionedN8n;
  /** Default `<root>/examples`. */
  examplesDir?: string;
  env?: Record<string, string | undefined>;
  /** false: never add the Redis credential, even when Redis answers. */
  useRedis?: boolean;
  log?: (line: string) => void;
  /** Gets n8n's process id as soon as it runs (to stop it if the start is interrupted). */
  onN8nSpawn?: (pid: number) => void;
}

export interface DemoOwner {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
}

export interface DemoExample {
  file: string;
  id: string;
  name: string;
  workflow: { id: string; name: string; nodes: Array<{ name: string; type: string; parameters?: Record<string, unknown> }>; [key: string]: unknown };
  webhooks: Array<{ node: string; method: string; path: string }>;
  hasSmsTrigger: boolean;
  credentialIds: string[];
}

export interface DemoCredential {
  id: string;
  name: string;
  type: string;
  data: Record<string, unknown>;
}

export interface RunningDemo {
  n8n: N8nInstance;
  sandbox: SandboxServices;
  /** Logged in as the demo owner. */
  client: N8nRestClient;
  owner: DemoOwner;
  /** True when this start created the owner (a fresh user folder). */
  ownerCreated: boolean;
  credentials: DemoCredential[];
  examples: DemoExample[];
  skipped: Array<{ file: string; reason: string }>;
  imports: { imported: boolean; reason: string };
  activation: Array<{ id: string; name: string; activated: boolean; error?: string }>;
  /** e.g. http://localhost:5678 */
  editorUrl: string;
  /** e.g. http://localhost:8025/, or null without the inbox page. */
  inboxUrl: string | null;
  /** The lines `npm start` prints. */
  banner(): string[];
  /** Stops n8n, then the sandbox; resolves with how n8n stopped. */
  stop(): Promise<StopResult | null>;
}

export function startDemo(options: DemoOptions): Promise<RunningDemo>;
