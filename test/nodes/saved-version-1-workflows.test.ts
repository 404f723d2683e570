/**
 * Workflows saved before Send SMS and Broadcast Alert got version 2 (SMPP fields moved from
 * "Options" to "SMPP Options"; "Channel" split into Resource and Operation) load and run unchanged:
 * each node of test/fixtures/saved-v1/nodes-as-saved.json runs with its saved version and
 * parameters, through n8n's engine against the sandbox, and does what it did then.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { HarnessRun } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential } from '../support/node-types';
import { lastCodeSentTo, otpCredentialTypes, otpNodeTypes, SIGNING_KEY } from '../fixtures/otp/otp-node-runs';
import { capXml } from '../cellbroadcast/cap-fixtures';

interface SavedNode {
  name: string;
  type: string;
  typeVersion: number;
  parameters: IDataObject;
  credentials: Record<string, { id: string; name: string }>;
}

const saved = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'saved-v1', 'nodes-as-saved.json'), 'utf8')) as { nodes: SavedNode[] };
const node = (name: string): SavedNode => {
  const found = saved.nodes.find((n) => n.name === name);
  if (!found) throw new Error(`no node "${name}" in nodes-as-saved.json`);
  return found;
};

describe('nodes as saved with version 1 run unchanged', () => {
  let smsc: SandboxSmsc;
  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    smsc = await startSandbox();
  });
  afterAll(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const run = (name: string, inputItems: IDataObject[]): Promise<HarnessRun> => {
    const { type, typeVersion, parameters, credentials } = node(name);
    return runWorkflow({
      nodes: [{ name, type, typeVersion, parameters, credentials }],
      connections: chain('Start', name),
      nodeTypes: { ...nodeTypes, ...otpNodeTypes },
      credentials: { smppApi: smppCredential(smsc), smsOtpApi: { serverKey: SIGNING_KEY, defaultCountry: 'GB', appName: 'ACME' } },
      credentialTypes: [...credentialTypes, ...otpCredentialTypes],
      inputItems,
    });
  };

  it('holds every node type whose version moved parameters, each at version 1', () => {
    const types = new Set(saved.nodes.map((n) => `${n.type.split('.')[1]} v${n.typeVersion}`));
    expect([...types].sort()).toEqual(['bulkAlertBroadcast v1', 'otpIssue v1', 'otpVerify v1', 'sendSms v1']);
  });

  it.each(['Reply with Help', 'Confirm Opt-Out'])('Send SMS "%s" (inbound keywords example) replies to the sender', async (name) => {
    const result = await run(name, [{ from: '+447400123401', to: '60777', text: 'HELP' }]);
    expect(result.error).toBeUndefined();
    expect(result.items(name)).toEqual([expect.objectContaining({ to: '+447400123401', from: '60777', status: 'accepted' })]);
    expect(smsc.store.list({ to: '447400123401' }).at(-1)).toMatchObject({ from: '60777', text: node(name).parameters.message });
  });

  it('Send SMS "Send Notification" waits for and reports the delivery receipt', async () => {
    const result = await run('Send Notification', [{ body: { to: '+447400123402', message: 'Parcel today' } }]);
    expect(result.error).toBeUndefined();
    expect(result.items('Send Notification')[0]).toMatchObject({ to: '+447400123402', from: 'ParcelCo', delivery: { status: 'DELIVRD' } });
  });

  it('Send SMS with the SMPP fields inside Options sends them (SAR parts, priority, flash)', async () => {
    const text = 'Storm warning. '.repeat(12).trim();
    const result = await run('Send SMS (SMPP fields in Options)', [{ phone: '+447400123403', text }]);
    expect(result.error).toBeUndefined();
    const parts = smsc.store.list({ to: '447400123403' });
    expect(parts).toHaveLength(2);
    for (const part of parts) {
      // SAR: the parts are tied by optional parameters, not a UDH (no UDHI bit in esm_class).
      expect({ udhi: (part.esmClass & 0x40) !== 0, priority: part.priority, messageClass: part.messageClass, total: part.concat?.total }).toEqual({
        udhi: false,
        priority: 1,
        messageClass: 0,
        total: 2,
      });
    }
  });

  it('Broadcast Alert "Broadcast Text Alert" (emergency example) sends to its list', async () => {
    const result = await run('Broadcast Text Alert', [{ alert: '  Boil water notice for the east district.  ' }]);
    expect(result.error).toBeUndefined();
    expect(result.items('Broadcast Text Alert')[0]).toMatchObject({ total: 3, accepted: 3, failed: 0 });
    for (const to of ['447400100000', '447400100001', '447400100002']) {
      expect(smsc.store.list({ to }).at(-1)).toMatchObject({ from: 'CityAlert', text: 'Boil water notice for the east district.' });
    }
  });

  it('Broadcast Alert with Channel "SMS to Recipients" and SMPP fields in Options sends them', async () => {
    const result = await run('Broadcast Alert (Channel, SMPP fields in Options)', [{ phone: '+447400123404', text: 'Gas leak: keep windows closed.' }]);
    expect(result.error).toBeUndefined();
    expect(smsc.store.list({ to: '447400123404' })).toEqual([
      expect.objectContaining({ from: 'CityAlert', priority: 2, text: 'Gas leak: keep windows closed.' }),
    ]);
  });

  it('Broadcast Alert with Channel "Cell Broadcast to an Area" (CAP example) broadcasts to the area', async () => {
    const result = await run('Cell Broadcast', [{ capXml: capXml({ identifier: 'SAVED-V1-1', msgType: 'Alert' }) }]);
    expect(result.error).toBeUndefined();
    expect(result.items('Cell Broadcast')[0]).toMatchObject({ type: 'cellBroadcast', action: 'broadcast', capIdentifier: 'SAVED-V1-1', repetitions: 30 });
    expect(smsc.cellBroadcast.active()).toHaveLength(1);
  });

  it('Issue OTP and Verify OTP of the two-factor example: the code sent approves', async () => {
    const issued = await run('Send Login Code', [{ body: { phone: '+447400123405' } }]);
    expect(issued.error).toBeUndefined();
    expect(issued.items('Send Login Code')[0]).toMatchObject({ status: 'pending' });
    const code = lastCodeSentTo(smsc, '447400123405');
    const checked = await run('Check Login Code', [{ body: { phone: '+447400123405', code } }]);
    expect(checked.error).toBeUndefined();
    expect(checked.items('Check Login Code', 0)).toEqual([expect.objectContaining({ approved: true })]);
  });
});
