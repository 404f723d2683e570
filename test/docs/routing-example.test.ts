// examples/carrier-failover-routing.json as a file: npm start's importer takes it (fixed id, fixed
// webhook path), every parameter it sets exists on our nodes, and every Broadcast node fails over
// only through n8n's error output and a retryElsewhere check. test/e2e/routing-failover.e2e.test.ts
// runs it in n8n against two sandbox carriers and a simulated modem.
import * as path from 'path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { BulkAlertBroadcast } from '../../nodes/BulkAlertBroadcast/BulkAlertBroadcast.node';
import { loadExampleWorkflows } from '../../scripts/start/example-workflows';

interface ExampleNode {
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  onError?: string;
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
}

const { examples } = loadExampleWorkflows(path.join(__dirname, '../../examples'));
const example = examples.find((e) => e.id === 'smsRouteFailover01')!;
const nodes = example.workflow.nodes as ExampleNode[];
const connections = example.workflow.connections as Record<string, { main: Array<Array<{ node: string }>> }>;
const broadcasts = nodes.filter((n) => n.type === 'n8n-nodes-sms-gateway.bulkAlertBroadcast');

function propertiesOf(version: number): INodeProperties[] {
  const type = new BulkAlertBroadcast();
  const described =
    'nodeVersions' in type
      ? (type.nodeVersions as Record<number, { description: INodeTypeDescription }>)[version].description
      : (type as { description: INodeTypeDescription }).description;
  return described.properties;
}

describe('examples/carrier-failover-routing.json', () => {
  it("is taken by npm start's importer, with its webhook on a fixed path", () => {
    expect(example).toBeDefined();
    expect(example.webhooks).toEqual([{ node: 'Recipients Webhook', method: 'POST', path: 'sms-route-failover' }]);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
  });

  it('sets only parameters Bulk Alert Broadcast declares', () => {
    for (const node of broadcasts) {
      const names = new Set(propertiesOf(node.typeVersion).map((p) => p.name));
      for (const name of Object.keys(node.parameters))
        expect({ node: node.name, name, declared: names.has(name) }).toEqual({ node: node.name, name, declared: true });
    }
  });

  it('two carriers and a modem, one Broadcast ID on every route, each failure leaving by the error output', () => {
    expect(broadcasts.map((n) => [n.name, Object.values(n.credentials ?? {})[0].id])).toEqual([
      ['Carrier A', 'smsDemoSandbox01'],
      ['Carrier B', 'smsRouteCarrierB'],
      ['Failover to Carrier B', 'smsRouteCarrierB'],
      ['Failover to Carrier A', 'smsDemoSandbox01'],
      ['Last Resort: GSM Modem', 'smsRouteModem001'],
    ]);
    expect(new Set(broadcasts.map((n) => n.parameters.broadcastId)).size).toBe(1);
    for (const node of broadcasts) {
      expect([node.name, node.onError, node.parameters.output]).toEqual([node.name, 'continueErrorOutput', 'perRecipient']);
      // Nothing leaves the main output (accepted recipients and the summary); the error output goes to a retryElsewhere check or to Needs Attention.
      const [main, errors] = connections[node.name].main;
      expect(main).toEqual([]);
      expect(errors.map((c) => c.node)).toEqual([node.name === 'Last Resort: GSM Modem' ? 'Needs Attention' : expect.stringMatching(/Retry Elsewhere\?$/)]);
    }
    for (const check of nodes.filter((n) => n.name.endsWith('Retry Elsewhere?'))) {
      expect(JSON.stringify(check.parameters)).toContain('$json.details?.retryElsewhere === true');
      expect(connections[check.name].main[1].map((c) => c.node)).toEqual(['Needs Attention']);
    }
  });
});
