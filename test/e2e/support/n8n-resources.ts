// Credentials and workflows made through n8n's REST API (as the editor makes them: fast, unlike the
// CLI's 4-5 s per call), workflow fixtures with their credentials filled in, and waiting for
// executions to finish.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { callWebhookWhenLive } from '../../../scripts/n8n/instance';
import type { N8nExecutionSummary, N8nRestClient } from '../../../scripts/n8n/instance';
import { runDataOf } from './run-data';
import type { ExecutionRunData } from './run-data';

export interface CredentialRef {
  id: string;
  name: string;
  type: string;
}

export interface WorkflowNode {
  name: string;
  type: string;
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
  [key: string]: unknown;
}

export interface WorkflowDefinition {
  name: string;
  nodes: WorkflowNode[];
  connections: Record<string, unknown>;
  settings?: Record<string, unknown>;
  [key: string]: unknown;
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');
/** The credential id the fixture files carry until a test fills in a real credential. */
const FIXTURE_CREDENTIAL_ID = 'FIXTURE';

export async function createCredential(client: N8nRestClient, name: string, type: string, data: Record<string, unknown>): Promise<CredentialRef> {
  const created = await client.post<{ id: string; name: string }>('/rest/credentials', { name, type, data });
  return { id: created.id, name: created.name, type };
}

/**
 * A workflow from test/e2e/fixtures with the given credentials set on every node that names
 * their type (the others of the fixture removed), and parameters overridden per node name (e.g.
 * the State Store for queue mode).
 */
export function workflowFixture(
  file: string,
  options: { credentials?: CredentialRef[]; parameters?: Record<string, Record<string, unknown>>; name?: string } = {},
): WorkflowDefinition {
  const workflow = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as WorkflowDefinition;
  for (const node of workflow.nodes) {
    // Two workflows made from one fixture must not share a webhook id.
    if (typeof node.webhookId === 'string') node.webhookId = randomUUID();
    for (const credential of options.credentials ?? []) {
      if (node.credentials && credential.type in node.credentials) node.credentials[credential.type] = { id: credential.id, name: credential.name };
    }
    const overrides = options.parameters?.[node.name];
    if (overrides) node.parameters = { ...node.parameters, ...overrides };
  }
  for (const name of Object.keys(options.parameters ?? {})) {
    if (!workflow.nodes.some((node) => node.name === name)) throw new Error(`${file} has no node "${name}" to set parameters on`);
  }
  // Credential types a fixture lists but the test did not give (e.g. Redis in memory mode) go.
  for (const node of workflow.nodes) {
    for (const [type, ref] of Object.entries(node.credentials ?? {})) {
      if (ref.id === FIXTURE_CREDENTIAL_ID) delete node.credentials![type];
    }
  }
  if (options.name) workflow.name = options.name;
  return workflow;
}

/** Saves a workflow and publishes it (its triggers and webhooks go live a moment later). */
export async function createPublishedWorkflow(client: N8nRestClient, workflow: WorkflowDefinition): Promise<string> {
  const { id: _fixtureId, active: _active, ...body } = workflow;
  const created = await client.post<{ id: string }>('/rest/workflows', body);
  const published = await client.activateWorkflow(created.id);
  if (!published.active) throw new Error(`workflow "${workflow.name}" (${created.id}) did not become active`);
  return created.id;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Polls the REST API until the workflow has `count` finished executions (only those with
 * `status`, when given); returns them newest first.
 */
export async function waitForFinishedExecutions(
  client: N8nRestClient,
  workflowId: string,
  count: number,
  options: { status?: string; timeoutMs?: number } = {},
): Promise<N8nExecutionSummary[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // n8n lists 20 executions unless asked for more (100 at most).
    const { results } = await client.executions(workflowId, Math.min(100, Math.max(20, count)));
    const finished = results.filter((execution) => (options.status ? execution.status === options.status : FINISHED.has(execution.status)));
    if (finished.length >= count) return finished;
    if (Date.now() > deadline) {
      const seen = results.map((execution) => `${execution.id}:${execution.status}`).join(', ') || 'none';
      throw new Error(`workflow ${workflowId}: expected ${count} finished executions within ${timeoutMs / 1000} s, saw ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** One execution's run data, fetched through the REST API. */
export async function executionRunData(client: N8nRestClient, executionId: string): Promise<ExecutionRunData> {
  return runDataOf(await client.execution(executionId));
}

/**
 * POSTs JSON to a published workflow's production webhook (retrying while n8n has not registered
 * it yet) and parses the JSON answer (n8n's "last node" response). Without a signal it gives up
 * after 100 s, inside jest's test timeouts, so a hung execution fails the test with its logs kept.
 */
export async function postJson(
  baseUrl: string,
  webhookPath: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: signal ?? AbortSignal.timeout(100_000) };
  const answer = await callWebhookWhenLive(baseUrl, webhookPath, init, { timeoutMs: 30_000 });
  try {
    return { status: answer.status, json: JSON.parse(answer.body) as Record<string, unknown> };
  } catch {
    throw new Error(`webhook ${webhookPath} answered ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 300)}`);
  }
}
