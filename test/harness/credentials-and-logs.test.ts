import { CORRECT_PASSWORD, DOUBLE_TYPE, HarnessLoginApi, LOGIN_CREDENTIAL_TYPE, LOGIN_ECHO_TYPE, exampleNodeTypes } from './example-nodes';
import { chain, logCapture, NO_TEST_FUNCTION_MESSAGE, runWorkflow, serializeForSearch, testCredential } from './n8n-harness';
import type { LogEntry } from './n8n-harness';

const nodeTypes = exampleNodeTypes();
const credentialRef = { [LOGIN_CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Harness login' } };

async function runLoginEcho(credentialData: Record<string, string | number> | undefined) {
  return await runWorkflow({
    nodes: [{ name: 'Echo', type: LOGIN_ECHO_TYPE, parameters: {}, credentials: credentialRef }],
    connections: chain('Start', 'Echo'),
    nodeTypes,
    credentials: credentialData && { [LOGIN_CREDENTIAL_TYPE]: credentialData },
    credentialTypes: [new HarnessLoginApi()],
    inputItems: [{}],
  });
}

describe('credentials through getCredentials', () => {
  it('delivers the credential to the node with the credential type defaults filled in', async () => {
    const run = await runLoginEcho({ host: 'smsc.example', user: 'alice', password: 'pa55-w0rd' });

    expect(run.status).toBe('success');
    // port was not given: 2775 is HarnessLoginApi's default, applied as n8n does.
    expect(run.items('Echo')).toEqual([{ host: 'smsc.example', port: 2775, user: 'alice', passwordLength: 9 }]);
    expect(run.credentialRequests).toEqual([{ type: LOGIN_CREDENTIAL_TYPE, id: 'cred-1', name: 'Harness login' }]);
  });

  it('fails the node with n8n-like wording when the credential does not exist', async () => {
    const run = await runLoginEcho(undefined);

    expect(run.status).toBe('error');
    expect(run.error?.message).toBe(`Credential with ID "cred-1" does not exist for type "${LOGIN_CREDENTIAL_TYPE}".`);
  });

  it("fails like n8n when the node's credential is not set on the workflow node", async () => {
    const run = await runWorkflow({
      nodes: [{ name: 'Echo', type: LOGIN_ECHO_TYPE, parameters: {} }],
      connections: chain('Start', 'Echo'),
      nodeTypes,
      credentials: { [LOGIN_CREDENTIAL_TYPE]: { password: 'x' } },
      inputItems: [{}],
    });

    expect(run.status).toBe('error');
    expect(run.error?.message).toBe('Node does not have any credentials set');
    expect(run.credentialRequests).toEqual([]);
  });
});

describe('credential test functions, called as n8n calls them', () => {
  it('calls the node method named by testedBy and returns its result', async () => {
    const ok = await testCredential({
      nodeTypes,
      credentialType: LOGIN_CREDENTIAL_TYPE,
      data: { host: 'smsc.example', user: 'alice', password: CORRECT_PASSWORD },
      credentialTypes: [new HarnessLoginApi()],
    });
    const refused = await testCredential({
      nodeTypes,
      credentialType: LOGIN_CREDENTIAL_TYPE,
      data: { host: 'smsc.example', user: 'alice', password: 'wrong' },
    });

    expect(ok).toEqual({ status: 'OK', message: 'Logged in to smsc.example:2775' });
    expect(refused).toEqual({ status: 'Error', message: 'Login refused for user alice' });
  });

  it('answers as n8n does when no node tests the credential', async () => {
    const result = await testCredential({ nodeTypes, credentialType: 'unusedApi', data: {} });

    expect(result).toEqual({ status: 'Error', message: NO_TEST_FUNCTION_MESSAGE });
  });

  it("gives the test function n8n-core's context, whose logger is captured", async () => {
    const mark = logCapture.mark();
    await testCredential({ nodeTypes, credentialType: LOGIN_CREDENTIAL_TYPE, data: { host: 'h', user: 'bob', password: 'secret-xyz' } });

    expect(logCapture.since(mark)).toContainEqual<LogEntry>({
      level: 'info',
      message: 'Testing harness login',
      metadata: { host: 'h', port: undefined, user: 'bob' },
    });
    expect(logCapture.text(mark)).not.toContain('secret-xyz');
  });
});

describe('log capture', () => {
  it("sees what a node logs through this.logger, and the engine's own log lines", async () => {
    const password = 'never-log-me-7Q';
    const run = await runLoginEcho({ host: 'smsc.example', user: 'alice', password });

    expect(run.logs).toContainEqual<LogEntry>({
      level: 'info',
      message: 'Connecting to smsc.example:2775 as alice',
      metadata: undefined,
    });
    expect(run.logs.map((entry) => entry.message)).toContain('Running node "Echo" finished successfully');
    expect(logCapture.text()).not.toContain(password);
  });

  it('keeps each run to its own log lines', async () => {
    await runLoginEcho({ user: 'first-run-user', password: 'p' });
    const second = await runWorkflow({
      nodes: [{ name: 'Double', type: DOUBLE_TYPE, parameters: { value: 1 } }],
      connections: chain('Start', 'Double'),
      nodeTypes,
      inputItems: [{}],
    });

    expect(second.logs.length).toBeGreaterThan(0);
    expect(serializeForSearch(second.logs)).not.toContain('first-run-user');
    expect(logCapture.text()).toContain('first-run-user');
  });

  it('forwards entries to an extra logger when asked', async () => {
    const forwarded: string[] = [];
    const sink = {
      error: (message: string) => forwarded.push(message),
      warn: (message: string) => forwarded.push(message),
      info: (message: string) => forwarded.push(message),
      debug: (message: string) => forwarded.push(message),
    };
    await runWorkflow({
      nodes: [{ name: 'Echo', type: LOGIN_ECHO_TYPE, parameters: {}, credentials: credentialRef }],
      connections: chain('Start', 'Echo'),
      nodeTypes,
      credentials: { [LOGIN_CREDENTIAL_TYPE]: { host: 'fwd.example', port: 1, user: 'u', password: 'p' } },
      logger: sink,
      inputItems: [{}],
    });

    expect(forwarded).toContain('Connecting to fwd.example:1 as u');
  });
});

describe('serializeForSearch', () => {
  it('spells out error messages, stacks, causes and buffer text where a secret could hide', () => {
    const cause = new Error('inner secret-in-cause');
    const error = new Error('outer', { cause });
    const circular: Record<string, unknown> = { buffer: Buffer.from('secret-in-buffer') };
    circular.self = circular;

    const text = serializeForSearch({ error, circular, big: BigInt(7) });

    expect(text).toContain('secret-in-cause');
    expect(text).toContain('secret-in-buffer');
    expect(text).toContain('"stack":"Error: outer');
    expect(text).toContain('[circular]');
    expect(text).toContain('"big":"7"');
  });
});
