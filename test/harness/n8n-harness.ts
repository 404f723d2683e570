/**
 * The test harness every node test uses: runs workflows of our nodes through n8n's own
 * execution engine (n8n-core's WorkflowExecute), in process, without an n8n server.
 *
 *   const run = await runWorkflow({
 *     nodes: [{ name: 'Send', type: 'n8n-nodes-sms-gateway.sendSms', parameters: { ... },
 *               credentials: { smppApi: { id: '1', name: 'Carrier' } } }],
 *     connections: chain('Start', 'Send'),
 *     nodeTypes: { 'n8n-nodes-sms-gateway.sendSms': new SendSms() },
 *     credentials: { smppApi: { host: '127.0.0.1', port, systemId, password } },
 *     inputItems: [{ to: '+441234567890' }],
 *   });
 *   expect(run.status).toBe('success');
 *   expect(run.items('Send')).toEqual([...]);
 *   expect(logCapture.text()).not.toContain(password);
 *
 * n8n's loggers are process-wide: every jest file shares one `logCapture`, and each run
 * also keeps what was logged while it ran (`run.logs`). Runs started concurrently in the
 * same file see each other's log lines.
 */
import './n8n-environment'; // must come before n8n-core loads

export { runWorkflow, chain, connect, START_NODE_NAME } from './run-workflow';
export type { HarnessNode, RunWorkflowOptions } from './run-workflow';
export { loadWorkflowFixture, runWorkflowFile } from './workflow-fixture';
export type { WorkflowFixture, RunWorkflowFileOptions } from './workflow-fixture';
export { testCredential, findCredentialTestFunction, NO_TEST_FUNCTION_MESSAGE } from './credential-test';
export type { CredentialTestOptions } from './credential-test';
export { HarnessRun } from './harness-run';
export type { HarnessError } from './harness-run';
export type { HarnessCredentials, CredentialRequest } from './harness-credentials';
export { logCapture, serializeForSearch } from './log-capture';
export type { LogCapture, LogEntry, LogLevelName } from './log-capture';
export { START_NODE_TYPE, MANUAL_TRIGGER_TYPE } from './harness-node-types';
export type { HarnessNodeTypeMap } from './harness-node-types';
export { harnessUserFolder } from './n8n-environment';
