/**
 * The `additionalData` n8n's engine needs for one execution, built from what the test
 * gives (credentials) and inert stand-ins for server-only services (sub-workflows,
 * task runners, AI events), which throw a clear error if a node reaches for them.
 */
import './n8n-environment'; // must come before n8n-core loads
import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type { IWorkflowBase, IWorkflowExecuteAdditionalData, WorkflowExecuteMode } from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './harness-credentials';

/** Base URL n8n would serve on; only its validity matters (n8n-core builds URLs from it). */
export const HARNESS_BASE_URL = 'http://127.0.0.1:5678';

function notInHarness(feature: string): () => never {
  return () => {
    throw new Error(`${feature} is not available in the test harness`);
  };
}

export interface AdditionalDataOptions {
  credentialsHelper: HarnessCredentialsHelper;
  mode: WorkflowExecuteMode;
  executionId: string;
  workflowData: IWorkflowBase;
}

export function buildAdditionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
  const { credentialsHelper, mode, executionId, workflowData } = options;
  return {
    credentialsHelper,
    hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
    executionId,
    workflowId: workflowData.id,
    userId: 'harness-user',
    currentNodeExecutionIndex: 0,
    variables: {},
    restApiUrl: `${HARNESS_BASE_URL}/rest`,
    instanceBaseUrl: `${HARNESS_BASE_URL}/`,
    formBaseUrl: `${HARNESS_BASE_URL}/form`,
    formWaitingBaseUrl: `${HARNESS_BASE_URL}/form-waiting`,
    formTestBaseUrl: `${HARNESS_BASE_URL}/form-test`,
    webhookBaseUrl: `${HARNESS_BASE_URL}/webhook`,
    webhookWaitingBaseUrl: `${HARNESS_BASE_URL}/webhook-waiting`,
    webhookTestBaseUrl: `${HARNESS_BASE_URL}/webhook-test`,
    mcpBaseUrl: `${HARNESS_BASE_URL}/mcp`,
    mcpTestBaseUrl: `${HARNESS_BASE_URL}/mcp-test`,
    externalSecretsProxy: new ExternalSecretsProxy(),
    executeWorkflow: notInHarness('Executing a sub-workflow'),
    getRunExecutionData: async () => undefined,
    getRuntimeCredential: async () => undefined,
    logAiEvent: () => undefined,
    startRunnerTask: notInHarness('A task runner (Code node)'),
  };
}
