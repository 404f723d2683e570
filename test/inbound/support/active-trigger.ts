/**
 * Activates a trigger node the way n8n does for an active workflow (mode 'trigger'), with
 * n8n-core's own TriggerContext, and records what it emits. The harness's runWorkflow covers
 * manual runs; this covers what only an active workflow does: many emits, donePromise
 * hand-offs, emitError.
 */
import '../../harness/n8n-environment'; // before n8n-core loads
import { randomUUID } from 'node:crypto';
import { TriggerContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
  ICredentialDataDecryptedObject,
  ICredentialType,
  IDataObject,
  INode,
  INodeExecutionData,
  INodeType,
  IRun,
  ITriggerFunctions,
  IWorkflowBase,
  ITriggerResponse,
} from 'n8n-workflow';

/** n8n's deferred promise type as the emit signature declares it. */
type DonePromise = NonNullable<Parameters<ITriggerFunctions['emit']>[2]>;
import { buildAdditionalData } from '../../harness/additional-data';
import { HarnessCredentialsHelper } from '../../harness/harness-credentials';
import { HarnessNodeTypes } from '../../harness/harness-node-types';

export interface Emission {
  json: IDataObject;
  /** Resolve to tell the trigger the execution finished (n8n resolves it when the workflow ends). */
  done?: DonePromise;
}

export interface ActiveTrigger {
  emitted: Emission[];
  errors: Error[];
  response: ITriggerResponse;
  /** The user edits a credential while the workflow is active (n8n reads credentials from its store on each use). */
  editCredential(type: string, data: ICredentialDataDecryptedObject): Promise<void>;
  close(): Promise<void>;
}

export interface ActivateOptions {
  type: string;
  nodeType: INodeType;
  parameters: Record<string, unknown>;
  credentials: Record<string, ICredentialDataDecryptedObject>;
  credentialRefs: Record<string, { id: string; name: string }>;
  credentialTypes?: ICredentialType[];
  /** Called on each emit; by default the execution "finishes" at once. */
  onEmit?: (emission: Emission) => void;
  /** The same workflow and node again (a restart); fresh ones by default. */
  ids?: { workflowId: string; nodeId: string };
}

export async function activateTrigger(options: ActivateOptions): Promise<ActiveTrigger> {
  const nodeTypes = new HarnessNodeTypes({ [options.type]: options.nodeType });
  const node: INode = {
    id: options.ids?.nodeId ?? randomUUID(),
    name: 'SMS Trigger',
    type: options.type,
    typeVersion: 1,
    position: [0, 0],
    parameters: options.parameters as INode['parameters'],
    credentials: options.credentialRefs,
  };
  const now = new Date();
  const workflowData: IWorkflowBase = {
    id: options.ids?.workflowId ?? `active-${randomUUID()}`,
    name: 'Active trigger test',
    active: true,
    activeVersionId: null,
    isArchived: false,
    createdAt: now,
    updatedAt: now,
    nodes: [node],
    connections: {},
    settings: { executionOrder: 'v1' },
  };
  const workflow = new Workflow({
    id: workflowData.id,
    name: workflowData.name,
    nodes: [node],
    connections: {},
    active: true,
    nodeTypes,
    settings: workflowData.settings,
  });
  const credentialsHelper = new HarnessCredentialsHelper(options.credentials, options.credentialTypes);
  const additionalData = buildAdditionalData({
    credentialsHelper,
    mode: 'trigger',
    executionId: `active-${randomUUID()}`,
    workflowData,
  });
  const emitted: Emission[] = [];
  const errors: Error[] = [];
  const emit = (data: INodeExecutionData[][], _response?: unknown, done?: DonePromise): void => {
    for (const item of data[0] ?? []) {
      const emission: Emission = { json: item.json, done };
      emitted.push(emission);
      if (options.onEmit) options.onEmit(emission);
      else done?.resolve({} as IRun);
    }
  };
  const context = new TriggerContext(
    workflow,
    workflow.getNode(node.name) as INode,
    additionalData,
    'trigger',
    'activate',
    emit,
    (error: Error) => void errors.push(error),
  );
  const response = (await options.nodeType.trigger!.call(context)) ?? {};
  return {
    emitted,
    errors,
    response,
    editCredential: (type, data) =>
      credentialsHelper.updateCredentials({ id: options.credentialRefs[type]?.id ?? null, name: options.credentialRefs[type]?.name ?? type }, type, data),
    close: async () => {
      await response.closeFunction?.();
    },
  };
}
