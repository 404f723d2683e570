/**
 * Send SMS's Get Gateway Status through n8n's WorkflowExecute: one item per connection this
 * process has open, with its state and counters, named by the credential; nothing about the
 * host or the password.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox, waitFor } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential } from '../support/node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const PASSWORD = 'St4tus!x';

describe('Send SMS: Get Gateway Status', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '60000';
  });
  afterAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ accounts: [{ systemId: 'clinic', password: PASSWORD }] });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const send = (to: string) =>
    runWorkflow({
      nodes: [
        { name: 'Send SMS', type: SEND, parameters: { to, message: 'Clinic opens at 8' }, credentials: { smppApi: { id: 'c2', name: 'Clinic carrier' } } },
      ],
      connections: chain('Start', 'Send SMS'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, { systemId: 'clinic', password: PASSWORD }) },
      credentialTypes,
      inputItems: [{}],
    });
  const status = () =>
    runWorkflow({
      nodes: [{ name: 'Status', type: SEND, parameters: { operation: 'getGatewayStatus' } }],
      connections: chain('Start', 'Status'),
      nodeTypes,
      credentials: {},
      credentialTypes,
      inputItems: [{}],
    });

  it('returns nothing while no connection is open, then one item per connection with its state and counters', async () => {
    const before = await status();
    expect(before.status).toBe('success');
    expect(before.items('Status')).toEqual([]);

    expect((await send('+447911123001')).status).toBe('success');
    expect((await send('+447911123002')).status).toBe('success');
    const open = await status();
    expect(open.status).toBe('success');
    expect(open.items('Status')).toEqual([
      expect.objectContaining({
        credential: 'Clinic carrier',
        kind: 'smpp',
        state: 'bound',
        up: true,
        sent: 2,
        accepted: 2,
        failed: 0,
        inFlight: 0,
        queued: 0,
        reconnects: 0,
        submitsByResult: { ESME_ROK: 2 },
        tps: { limited: false },
        processId: process.pid,
      }),
    ]);
    expect(open.outputs('Status')[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }]);

    // Link down: the item says so (what an alerting workflow looks at).
    smsc.options.accounts = [{ systemId: 'clinic', password: 'changed1' }];
    smsc.dropConnections();
    await waitFor(() => smsc.stats.bindFailures > 0, 'a refused rebind');
    const down = (await status()).items('Status');
    expect(down).toEqual([expect.objectContaining({ credential: 'Clinic carrier', state: 'reconnecting', up: false })]);
    expect(JSON.stringify(down)).not.toContain(PASSWORD);
    expect(JSON.stringify(down)).not.toContain('127.0.0.1');
  });
});

describe('examples/gateway-status-alert.json', () => {
  interface ExportedNode {
    name: string;
    type: string;
    parameters: Record<string, unknown>;
  }
  const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples/gateway-status-alert.json'), 'utf8')) as {
    nodes: ExportedNode[];
    connections: Record<string, { main: Array<Array<{ node: string }>> }>;
  };
  const named = (name: string): ExportedNode => workflow.nodes.find((n) => n.name === name) as ExportedNode;

  it('runs Get Gateway Status every minute and filters the connections that are not up', () => {
    expect(named('Every Minute').type).toBe('n8n-nodes-base.scheduleTrigger');
    expect(named('Gateway Status')).toMatchObject({ type: SEND, parameters: { operation: 'getGatewayStatus' } });
    expect(JSON.stringify(named('Not Up').parameters)).toContain('{{ $json.up }}');
    expect(workflow.connections['Every Minute'].main[0][0].node).toBe('Gateway Status');
    expect(workflow.connections['Gateway Status'].main[0][0].node).toBe('Not Up');
    expect(workflow.connections['Not Up'].main[0][0].node).toBe('Alert On-Call');
  });

  it('its Gateway Status node, as exported, returns the status items through n8n', async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '60000';
    const smsc = await startSandbox();
    try {
      const sent = await runWorkflow({
        nodes: [
          { name: 'Send SMS', type: SEND, parameters: { to: '+447911123009', message: 'hi' }, credentials: { smppApi: { id: 'c3', name: 'Example carrier' } } },
        ],
        connections: chain('Start', 'Send SMS'),
        nodeTypes,
        credentials: { smppApi: smppCredential(smsc) },
        credentialTypes,
        inputItems: [{}],
      });
      expect(sent.status).toBe('success');
      const node = named('Gateway Status');
      const run = await runWorkflow({
        nodes: [{ name: node.name, type: node.type, parameters: node.parameters as never }],
        connections: chain('Start', node.name),
        nodeTypes,
        credentials: {},
        credentialTypes,
        inputItems: [{}],
      });
      expect(run.items(node.name)).toEqual([expect.objectContaining({ credential: 'Example carrier', up: true, state: 'bound' })]);
    } finally {
      await closeAllSmppTransports();
      await smsc.stop();
      process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    }
  });
});
