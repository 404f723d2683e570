import * as fs from 'fs';
import * as path from 'path';
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential } from '../support/node-types';
import { capXml } from './cap-fixtures';

interface ExportedNode {
  name: string;
  type: string;
  typeVersion: number;
  parameters: IDataObject;
  credentials?: Record<string, { id: string; name: string }>;
}

const file = path.join(__dirname, '../../examples/cell-broadcast-cap.json');

describe('examples/cell-broadcast-cap.json', () => {
  const workflow = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: ExportedNode[];
    connections: Record<string, { main: Array<Array<{ node: string }>> }>;
  };
  const byType = (type: string): ExportedNode => {
    const node = workflow.nodes.find((n) => n.type === type);
    if (!node) throw new Error(`no ${type} node in the example`);
    return node;
  };

  it('is a webhook (raw XML body) -> text -> Bulk Alert Broadcast chain using the package node type', () => {
    const webhook = byType('n8n-nodes-base.webhook');
    const extract = byType('n8n-nodes-base.extractFromFile');
    const broadcast = byType('n8n-nodes-sms-gateway.bulkAlertBroadcast');
    expect(webhook.parameters).toMatchObject({ httpMethod: 'POST', options: { rawBody: true } });
    expect(extract.parameters).toMatchObject({ operation: 'text', binaryPropertyName: 'data', destinationKey: 'capXml' });
    expect(workflow.connections[webhook.name].main[0][0].node).toBe(extract.name);
    expect(workflow.connections[extract.name].main[0][0].node).toBe(broadcast.name);
  });

  it('its Bulk Alert Broadcast node, fed the text the webhook chain produces, broadcasts to the CAP area', async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    const smsc = await startSandbox();
    try {
      const node = byType('n8n-nodes-sms-gateway.bulkAlertBroadcast');
      const result = await runWorkflow({
        nodes: [{ name: node.name, type: node.type, typeVersion: node.typeVersion, parameters: node.parameters, credentials: node.credentials }],
        connections: chain('Start', node.name),
        nodeTypes,
        credentials: { smppApi: smppCredential(smsc) },
        credentialTypes,
        inputItems: [{ capXml: capXml({ identifier: 'EXAMPLE-1', msgType: 'Alert' }) }],
      });
      expect(result.error).toBeUndefined();
      expect(result.items(node.name)[0]).toMatchObject({
        type: 'cellBroadcast',
        action: 'broadcast',
        capIdentifier: 'EXAMPLE-1',
        repetitions: 30,
        intervalSeconds: 60,
        state: 'ENROUTE',
      });
      expect(smsc.cellBroadcast.active()).toEqual([
        expect.objectContaining({ repetitions: 30, frequencySeconds: 60, areaDescriptions: [expect.stringMatching(/^polygon of 4 points/)] }),
      ]);
    } finally {
      await closeAllSmppTransports();
      await smsc.stop();
    }
  });
});
