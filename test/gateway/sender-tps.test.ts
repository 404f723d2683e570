// TPS per sender ID within the credential's cap: a slow sender's parts wait for its budget while
// another sender's go at once; over real TCP to the sandbox, and as Send SMS reads the credential.
import type { IDataObject } from 'n8n-workflow';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { busiestWindow } from '../../src/sandbox/message-store';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { parseSenderTps, SenderTpsLimit } from '../../src/gateway/sender-tps';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { chain, runWorkflow } from '../harness/n8n-harness';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { simpleSubmit } from '../support/messages';

/** Arrival times (ms) at the sandbox of what `from` sent, ascending. */
const arrivals = (smsc: SandboxSmsc, from: string): number[] =>
  smsc.store
    .list({ from })
    .map((m) => m.receivedAt)
    .sort((a, b) => a - b);

describe('parseSenderTps', () => {
  it('reads SENDER=TPS lists and names the entry at fault', () => {
    expect([...parseSenderTps('MyBrand=10, 60777 = 5;\nALERTS=1')]).toEqual([
      ['MyBrand', 10],
      ['60777', 5],
      ['ALERTS', 1],
    ]);
    expect(parseSenderTps('  ').size).toBe(0);
    expect(() => parseSenderTps('MyBrand10')).toThrow('"MyBrand10" is not SENDER=TPS (e.g. MyBrand=10)');
    expect(() => parseSenderTps('MyBrand=2.5')).toThrow('the TPS must be a whole number of at least 1');
    expect(() => parseSenderTps('MyBrand=0')).toThrow('the TPS must be a whole number of at least 1');
    expect(() => parseSenderTps('MyBrand=50', 20)).toThrow('"MyBrand=50" is above the credential\'s Messages per Second (20)');
    expect(() => parseSenderTps('A=1, A=2')).toThrow('"A" is listed twice');
  });
});

describe('TPS per sender ID over TCP', () => {
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

  it('a sender limited to 4/s never has more than 4 in a second at the SMSC; an unlisted sender is not held back', async () => {
    const transport = new SmppTransport(sandboxTransportOptions(smsc));
    await transport.start();
    try {
      const sender = new SenderTpsLimit(parseSenderTps('SLOW=4')).wrap(transport);
      const slow = Array.from({ length: 10 }, (_, i) =>
        sender.submit(simpleSubmit(`4479111230${String(i).padStart(2, '0')}`, 'slow', { source: { ton: 5, npi: 0, addr: 'SLOW' } })),
      );
      const fast = Array.from({ length: 10 }, (_, i) =>
        sender.submit(simpleSubmit(`4479111231${String(i).padStart(2, '0')}`, 'fast', { source: { ton: 5, npi: 0, addr: 'FAST' } })),
      );
      await Promise.all(fast);
      // The unlisted sender finished while the limited one is still waiting for its budget.
      expect(smsc.store.list({ from: 'FAST' })).toHaveLength(10);
      expect(smsc.store.list({ from: 'SLOW' }).length).toBeLessThan(10);
      await Promise.all(slow);
      expect(busiestWindow(arrivals(smsc, 'SLOW'), 1000)).toBeLessThanOrEqual(4);
    } finally {
      await transport.close(100);
    }
  });

  it("Send SMS reads the credential's TPS per Sender ID", async () => {
    const run = (credential: IDataObject) =>
      runWorkflow({
        nodes: [
          {
            name: 'Send',
            type: 'n8n-nodes-sms-gateway.sendSms',
            parameters: { to: '={{ $json.to }}', message: 'Gas leak reported: avoid the area', from: 'BRAND' },
            credentials: smppCredentialRef,
            continueOnFail: true,
          },
        ],
        connections: chain('Start', 'Send'),
        nodeTypes,
        credentials: { smppApi: smppCredential(smsc, credential) },
        credentialTypes,
        inputItems: Array.from({ length: 6 }, (_, i) => ({ to: `+4479111232${String(i).padStart(2, '0')}` })),
      });
    const sent = await run({ senderTps: 'BRAND=2' });
    expect(sent.items('Send').map((i) => i.status)).toEqual(Array(6).fill('accepted'));
    expect(busiestWindow(arrivals(smsc, 'BRAND'), 1000)).toBeLessThanOrEqual(2);

    const bad = await run({ tps: 5, senderTps: 'BRAND=10' });
    expect(bad.status).toBe('error');
    expect(bad.error?.message).toBe(
      'SMPP credential: TPS per Sender ID: "BRAND=10" is above the credential\'s Messages per Second (5): a sender cannot send faster than its account',
    );
  });
});
