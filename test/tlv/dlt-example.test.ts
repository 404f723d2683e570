import * as fs from 'fs';
import * as path from 'path';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { SendSms } from '../../nodes/SendSms/SendSms.node';
import { chain, runWorkflow } from '../harness/n8n-harness';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential } from '../support/node-types';

interface ExportedNode {
  name: string;
  type: string;
  typeVersion: number;
  parameters: IDataObject;
  credentials?: Record<string, { id: string; name: string }>;
  onError?: string;
}

const file = path.join(__dirname, '../../examples/india-dlt-sms.json');
const hex = (text: string): string => Buffer.from(text).toString('hex');

describe('examples/india-dlt-sms.json', () => {
  const workflow = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: ExportedNode[];
    connections: Record<string, { main: Array<Array<{ node: string }>> }>;
  };
  const send = workflow.nodes.find((n) => n.type === 'n8n-nodes-sms-gateway.sendSms')!;

  it('is webhook -> Send SMS -> accepted or not, and sets only parameters Send SMS declares', () => {
    const webhook = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
    expect(webhook.parameters).toMatchObject({ httpMethod: 'POST', path: 'dlt-sms', responseMode: 'responseNode' });
    expect(workflow.connections[webhook.name].main[0][0].node).toBe(send.name);
    expect(send.onError).toBe('continueRegularOutput');
    const properties = new SendSms().description.properties;
    for (const [name, value] of Object.entries(send.parameters)) {
      const declared = properties.filter((p) => p.name === name);
      expect({ name, declared: declared.length > 0 }).toEqual({ name, declared: true });
      const collection = declared.find((p) => p.type === 'collection');
      if (collection) {
        const entries = (collection.options as INodeProperties[]).map((o) => o.name);
        for (const key of Object.keys(value as IDataObject)) expect({ name, key, declared: entries.includes(key) }).toEqual({ name, key, declared: true });
      }
    }
  });

  describe('its Send SMS node against the sandbox', () => {
    let smsc: SandboxSmsc;
    beforeAll(() => {
      process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    });
    beforeEach(async () => {
      smsc = await startSandbox();
    });
    afterEach(async () => {
      await closeAllSmppTransports();
      await smsc.stop();
    });

    const run = (bodies: IDataObject[]) =>
      runWorkflow({
        nodes: [
          {
            name: send.name,
            type: send.type,
            typeVersion: send.typeVersion,
            parameters: send.parameters,
            credentials: { smppApi: { id: 'cred-smpp', name: 'Sandbox carrier' } },
            continueOnFail: true,
          },
        ],
        connections: chain('Start', send.name),
        nodeTypes,
        credentials: { smppApi: smppCredential(smsc) },
        credentialTypes,
        inputItems: bodies.map((body) => ({ body })),
      });

    it("sends the PE_ID and each request's template ID with every part; a request without a template ID fails naming the TLV", async () => {
      const text =
        'Dear patient, your appointment at City Hospital is confirmed for 12-12-2026 10:30. Please bring your ID and referral letter. For help call 1800 000 0000 between 9:00 and 17:00. -HOSPTL';
      const result = await run([
        { to: '9812345678', templateId: '1107161234567890123', message: text },
        { to: '+919812345679', message: 'no template' },
      ]);
      expect(result.status).toBe('success');
      const [sent, refused] = result.items(send.name);
      expect(sent).toMatchObject({ status: 'accepted', to: '+919812345678', from: 'HOSPTL', parts: 2 });
      expect(refused).toMatchObject({
        status: 'failed',
        field: 'customTlvs',
        error: 'Custom TLV 2 (tag 0x1401): value is empty (to send a TLV without a value, choose the type Hex Octets and leave the value empty)',
      });
      const parts = smsc.store.list();
      expect(parts).toHaveLength(2);
      for (const part of parts) {
        expect(part).toMatchObject({ to: '919812345678', from: 'HOSPTL' });
        expect(part.tlvs).toEqual([
          { tag: '0x1400', hex: hex('1101456789012345678'), text: '1101456789012345678' },
          { tag: '0x1401', hex: hex('1107161234567890123'), text: '1107161234567890123' },
        ]);
      }
    });
  });
});
