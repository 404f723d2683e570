/**
 * Workflow JSON fixtures in n8n's export format (what "Download" in the editor or
 * `n8n export:workflow` writes), loaded and run through the harness.
 */
import { readFileSync } from 'node:fs';
import type { IConnections, IPinData, IWorkflowSettings } from 'n8n-workflow';

import { runWorkflow } from './run-workflow';
import type { HarnessNode, RunWorkflowOptions } from './run-workflow';
import type { HarnessRun } from './harness-run';

export interface WorkflowFixture {
  name: string;
  nodes: HarnessNode[];
  connections: IConnections;
  settings?: IWorkflowSettings;
  pinData?: IPinData;
}

export type RunWorkflowFileOptions = Omit<RunWorkflowOptions, 'nodes' | 'connections'>;

/** Reads an n8n workflow export (one workflow, or an array holding exactly one). */
export function loadWorkflowFixture(path: string): WorkflowFixture {
  let parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (Array.isArray(parsed)) {
    if (parsed.length !== 1) throw new Error(`${path}: expected one workflow, found ${parsed.length}`);
    parsed = parsed[0];
  }
  if (!isRecord(parsed)) throw new Error(`${path}: a workflow export must be a JSON object`);
  const { name, nodes, connections, settings, pinData } = parsed;
  if (!Array.isArray(nodes)) throw new Error(`${path}: "nodes" must be an array`);
  if (!isRecord(connections)) throw new Error(`${path}: "connections" must be an object`);
  return {
    name: typeof name === 'string' ? name : path,
    nodes: nodes.map((node: unknown, index: number) => toHarnessNode(node, `${path}: nodes[${index}]`)),
    // The engine validates the connection shape itself when it walks the graph.
    connections: connections as IConnections,
    ...(isRecord(settings) && { settings: settings as IWorkflowSettings }),
    ...(isRecord(pinData) && { pinData: pinData as IPinData }),
  };
}

/** Loads a workflow export and runs it; `options.settings` / `pinData` override the file's. */
export async function runWorkflowFile(path: string, options: RunWorkflowFileOptions): Promise<HarnessRun> {
  const fixture = loadWorkflowFixture(path);
  return await runWorkflow({
    workflowName: fixture.name,
    settings: fixture.settings,
    pinData: fixture.pinData,
    ...options,
    nodes: fixture.nodes,
    connections: fixture.connections,
  });
}

function toHarnessNode(value: unknown, where: string): HarnessNode {
  if (!isRecord(value)) throw new Error(`${where} must be an object`);
  const { name, type, typeVersion, parameters, credentials, continueOnFail, onError, position, id, disabled } = value;
  if (typeof name !== 'string' || name === '') throw new Error(`${where}.name must be a non-empty string`);
  if (typeof type !== 'string' || type === '') throw new Error(`${where}.type must be a non-empty string (node "${name}")`);
  if (typeVersion !== undefined && typeof typeVersion !== 'number') {
    throw new Error(`${where}.typeVersion must be a number (node "${name}")`);
  }
  return {
    name,
    type,
    parameters: isRecord(parameters) ? parameters : {},
    ...(typeof typeVersion === 'number' && { typeVersion }),
    ...(isRecord(credentials) && { credentials: credentials as HarnessNode['credentials'] }),
    ...(typeof continueOnFail === 'boolean' && { continueOnFail }),
    ...(isOnError(onError) && { onError }),
    ...(isPosition(position) && { position }),
    ...(typeof id === 'string' && { id }),
    ...(typeof disabled === 'boolean' && { disabled }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOnError(value: unknown): value is NonNullable<HarnessNode['onError']> {
  return value === 'stopWorkflow' || value === 'continueRegularOutput' || value === 'continueErrorOutput';
}

function isPosition(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((coordinate) => typeof coordinate === 'number');
}
