/**
 * runWorkflow: one execution of a workflow through n8n-core's WorkflowExecute, the code
 * n8n runs when a user clicks "Execute workflow". Import it from './n8n-harness'.
 */
import './n8n-environment'; // must come before n8n-core loads
import { randomUUID } from 'node:crypto';
import { WorkflowExecute } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
  IConnections,
  ICredentialType,
  IDataObject,
  INode,
  INodeType,
  IPinData,
  IVersionedNodeType,
  IWorkflowBase,
  IWorkflowSettings,
  Logger,
  WorkflowExecuteMode,
} from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { HarnessCredentialsHelper } from './harness-credentials';
import type { HarnessCredentials } from './harness-credentials';
import { HarnessNodeTypes, START_NODE_TYPE } from './harness-node-types';
import type { HarnessNodeTypeMap } from './harness-node-types';
import { HarnessRun } from './harness-run';
import { installLogCapture } from './log-capture';

const logs = installLogCapture();

export interface HarnessNode {
  name: string;
  type: string;
  /** Defaults to the node type's default (newest) version. */
  typeVersion?: number;
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
  continueOnFail?: boolean;
  onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
  /** n8n's "Retry On Fail" node setting (tries within the same execution). */
  retryOnFail?: boolean;
  maxTries?: number;
  waitBetweenTries?: number;
  position?: [number, number];
  id?: string;
  disabled?: boolean;
}

export interface RunWorkflowOptions {
  nodes: HarnessNode[];
  /** n8n's shape: `{ [from]: { main: [[{ node: to, type: 'main', index: 0 }], ...] } }`; see chain(). */
  connections: IConnections;
  /** Our node classes by type name, e.g. `{ 'n8n-nodes-sms-gateway.sendSms': new SendSms() }`. */
  nodeTypes: HarnessNodeTypeMap;
  /** Decrypted credential data by credential type name. */
  credentials?: HarnessCredentials;
  /** Credential classes, so their defaults fill in missing fields as n8n does. */
  credentialTypes?: ICredentialType[];
  /**
   * Items emitted by a built-in start node named 'Start' (added unless the workflow has
   * one; connect it with e.g. `chain('Start', 'My Node')`).
   */
  inputItems?: IDataObject[];
  /** Node to start from; defaults to 'Start' or the only node without incoming connections. */
  startNode?: string;
  /** Also pass every log entry to this logger (the capture keeps them all anyway). */
  logger?: Logger;
  /** n8n's execution mode; 'manual' is what "Execute workflow" in the editor uses. */
  mode?: WorkflowExecuteMode;
  settings?: IWorkflowSettings;
  staticData?: IDataObject;
  pinData?: IPinData;
  workflowName?: string;
}

export const START_NODE_NAME = 'Start';

/** Connections for a straight line of nodes: chain('Start', 'A', 'B') is Start -> A -> B. */
export function chain(...nodeNames: string[]): IConnections {
  const connections: IConnections = {};
  for (let index = 0; index + 1 < nodeNames.length; index++) {
    connect(connections, nodeNames[index], nodeNames[index + 1]);
  }
  return connections;
}

/** Adds `from` output `outputIndex` -> `to` input `inputIndex` to `connections` (mutates and returns it). */
export function connect(connections: IConnections, from: string, to: string, outputIndex = 0, inputIndex = 0): IConnections {
  const outputs = ((connections[from] ??= {}).main ??= []);
  while (outputs.length <= outputIndex) outputs.push([]);
  (outputs[outputIndex] ??= []).push({ node: to, type: 'main', index: inputIndex });
  return connections;
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<HarnessRun> {
  const nodeTypes = new HarnessNodeTypes(options.nodeTypes);
  const nodes = withStartNode(options.nodes, options.inputItems).map((node, index) => toN8nNode(node, index, nodeTypes));
  const mode = options.mode ?? 'manual';
  const workflowData = workflowBase(options, nodes);
  const workflow = new Workflow({
    id: workflowData.id,
    name: workflowData.name,
    nodes,
    connections: options.connections,
    active: false,
    nodeTypes,
    staticData: options.staticData,
    settings: workflowData.settings,
  });
  const startNode = workflow.getNode(pickStartNode(nodes, options.connections, options.startNode));

  const credentialsHelper = new HarnessCredentialsHelper(options.credentials, options.credentialTypes);
  const executionId = `harness-${randomUUID()}`;
  const additionalData = buildAdditionalData({ credentialsHelper, mode, executionId, workflowData });

  logs.forward(options.logger);
  const logMark = logs.mark();
  const started = performance.now();
  try {
    const run = await new WorkflowExecute(additionalData, mode).run({
      workflow,
      startNode: startNode ?? undefined,
      pinData: options.pinData,
    });
    return new HarnessRun({
      run,
      logs: logs.since(logMark),
      credentialRequests: credentialsHelper.requests,
      durationMs: performance.now() - started,
    });
  } finally {
    logs.forward(undefined);
  }
}

function withStartNode(nodes: HarnessNode[], inputItems: IDataObject[] | undefined): HarnessNode[] {
  if (inputItems === undefined) return nodes;
  const items = JSON.stringify(inputItems);
  const existing = nodes.find((node) => node.name === START_NODE_NAME);
  if (existing === undefined) {
    return [{ name: START_NODE_NAME, type: START_NODE_TYPE, parameters: { items }, position: [0, 0] }, ...nodes];
  }
  if (existing.type !== START_NODE_TYPE) {
    throw new Error(`inputItems needs a '${START_NODE_NAME}' node of type ${START_NODE_TYPE}, but the workflow's '${START_NODE_NAME}' is a ${existing.type}`);
  }
  return nodes.map((node) => (node === existing ? { ...node, parameters: { ...node.parameters, items } } : node));
}

function toN8nNode(node: HarnessNode, index: number, nodeTypes: HarnessNodeTypes): INode {
  return {
    id: node.id ?? randomUUID(),
    name: node.name,
    type: node.type,
    typeVersion: node.typeVersion ?? defaultVersion(nodeTypes.getByName(node.type)),
    position: node.position ?? [index * 220, 0],
    // Parameters are n8n's NodeParameterValueType tree; tests hand plain JSON values.
    parameters: node.parameters as INode['parameters'],
    ...(node.credentials && { credentials: node.credentials }),
    ...(node.continueOnFail !== undefined && { continueOnFail: node.continueOnFail }),
    ...(node.onError !== undefined && { onError: node.onError }),
    ...(node.retryOnFail !== undefined && { retryOnFail: node.retryOnFail, maxTries: node.maxTries, waitBetweenTries: node.waitBetweenTries }),
    ...(node.disabled !== undefined && { disabled: node.disabled }),
  };
}

function defaultVersion(type: INodeType | IVersionedNodeType): number {
  if ('nodeVersions' in type) return type.currentVersion;
  const { version, defaultVersion: declared } = type.description;
  if (declared !== undefined) return declared;
  return Array.isArray(version) ? Math.max(...version) : version;
}

function pickStartNode(nodes: INode[], connections: IConnections, requested: string | undefined): string {
  const names = new Set(nodes.map((node) => node.name));
  if (requested !== undefined) {
    if (!names.has(requested)) throw new Error(`startNode "${requested}" is not a node of the workflow`);
    return requested;
  }
  if (names.has(START_NODE_NAME)) return START_NODE_NAME;
  const targets = new Set(
    Object.values(connections).flatMap((byType) =>
      Object.values(byType).flatMap((outputs) => outputs.flatMap((targetsOfOutput) => (targetsOfOutput ?? []).map((t) => t.node))),
    ),
  );
  const roots = nodes.filter((node) => !targets.has(node.name) && node.disabled !== true).map((node) => node.name);
  if (roots.length !== 1) {
    throw new Error(`Cannot tell where the workflow starts (nodes without inputs: ${roots.join(', ') || 'none'}): pass startNode`);
  }
  return roots[0];
}

function workflowBase(options: RunWorkflowOptions, nodes: INode[]): IWorkflowBase {
  const now = new Date();
  return {
    id: `harness-workflow-${randomUUID()}`,
    name: options.workflowName ?? 'Harness workflow',
    active: false,
    activeVersionId: null,
    isArchived: false,
    createdAt: now,
    updatedAt: now,
    nodes,
    connections: options.connections,
    // n8n has created new workflows with execution order v1 since 1.0.
    settings: { executionOrder: 'v1', ...options.settings },
    staticData: options.staticData,
    pinData: options.pinData,
  };
}
