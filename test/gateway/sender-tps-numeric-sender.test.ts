// TPS per sender ID with a numeric sender written as the user writes it (+ and separators).
import type { IDataObject } from 'n8n-workflow';
import { busiestWindow } from '../../src/sandbox/message-store';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { chain, runWorkflow } from '../harness/n8n-harness';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';
import { startSandbox } from '../support/sandbox';

describe('TPS per sender ID: numeric senders', () => {
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

  const send = (items: Array<{ to: string; from: string }>, credential: IDataObject) =>
    runWorkflow({
      nodes: [
        {
          name: 'Send',
          type: 'n8n-nodes-sms-gateway.sendSms',
          parameters: { to: '={{ $json.to }}', from: '={{ $json.from }}', message: 'Service notice' },
          credentials: smppCredentialRef,
          continueOnFail: true,
        },
      ],
      connections: chain('Start', 'Send'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, credential) },
      credentialTypes,
      inputItems: items,
    });

  it('a numeric sender listed as the user writes it (+447911000111=1) is limited', async () => {
    const items = Array.from({ length: 4 }, (_, i) => ({ to: `+44791112600${i}`, from: '+447911000111' }));
    const run = await send(items, { senderTps: '+447911000111=1' });
    expect(run.status).toBe('success');
    const froms = new Set(smsc.store.list({}).map((m) => m.from));
    const all = smsc.store
      .list({})
      .map((m) => m.receivedAt)
      .sort((a, b) => a - b);
    expect(all).toHaveLength(4);
    expect({ froms: [...froms], busiest: busiestWindow(all, 1000) }).toEqual({ froms: [...froms], busiest: 1 });
  }, 30_000);
});
