import type { IDataObject } from 'n8n-workflow';
import { chain, logCapture, runWorkflow, testCredential } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { Status } from '../../src/transport/smpp/command-status';
import { startSandbox } from '../support/sandbox';
import { processWide } from '../../src/process-wide/shared-resource-pool';
import { MemoryOptOutStore } from '../../src/optout/opt-out-store';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';

describe('Send SMS node (through n8n WorkflowExecute, sandbox over TCP)', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 20 } });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const run = (parameters: IDataObject, inputItems: IDataObject[], extra: { continueOnFail?: boolean; credential?: IDataObject } = {}) =>
    runWorkflow({
      nodes: [
        {
          name: 'Send SMS',
          type: SEND,
          parameters: { to: '={{ $json.to }}', message: '={{ $json.text }}', ...parameters },
          credentials: smppCredentialRef,
          continueOnFail: extra.continueOnFail,
        },
      ],
      connections: chain('Start', 'Send SMS'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, extra.credential) },
      credentialTypes,
      inputItems,
    });

  it('sends one SMS and reports its message id', async () => {
    const result = await run({}, [{ to: '+44 7911 123456', text: 'Your parcel arrives today' }]);
    expect(result.status).toBe('success');
    const [item] = result.items('Send SMS');
    expect(item).toMatchObject({ to: '+447911123456', from: 'CITYALERT', parts: 1, encoding: 'gsm7', status: 'accepted' });
    const received = smsc.store.list({ to: '447911123456' });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ text: 'Your parcel arrives today', from: 'CITYALERT', sourceTon: 5, destTon: 1 });
    expect(item.messageIds).toEqual([received[0].id]);
  });

  it('sends to a list, one output item per recipient, paired to its input item', async () => {
    const result = await run({ to: '+447911123001, +447911123002;+447911123003' }, [{ text: 'hello all' }]);
    expect(result.status).toBe('success');
    expect(result.items('Send SMS').map((i) => i.to)).toEqual(['+447911123001', '+447911123002', '+447911123003']);
    expect(result.outputs('Send SMS')[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
    expect(
      smsc.store
        .list()
        .map((m) => m.to)
        .sort(),
    ).toEqual(['447911123001', '447911123002', '447911123003']);
  });

  it('stops on an invalid number without continueOnFail, naming the item and field, and sends nothing', async () => {
    const result = await run({}, [
      { to: '+447911123001', text: 'a' },
      { to: '+99 123', text: 'b' },
    ]);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/\+99 123/);
    expect(result.error?.itemIndex).toBe(1);
    expect(result.error?.description).toBe('Check "To" (item 1)');
    expect(smsc.store.list()).toHaveLength(0);
  });

  it("with continueOnFail, an invalid number becomes that item's error and the others still send", async () => {
    const result = await run(
      {},
      [
        { to: '+447911123001', text: 'a' },
        { to: 'not a number', text: 'b' },
        { to: '+447911123003', text: 'c' },
      ],
      { continueOnFail: true },
    );
    expect(result.status).toBe('success');
    const items = result.items('Send SMS');
    expect(items.map((i) => i.status)).toEqual(['accepted', 'failed', 'accepted']);
    expect(items[1]).toMatchObject({ field: 'to' });
    expect(String(items[1].error)).toMatch(/not a number/);
    expect(smsc.store.list()).toHaveLength(2);
  });

  it("reports a carrier rejection as the item's error (continueOnFail) with the SMPP status", async () => {
    smsc.setFaults({ failDestinations: ['447911123002'], failStatus: Status.invalidDestination });
    const result = await run(
      {},
      [
        { to: '+447911123001', text: 'a' },
        { to: '+447911123002', text: 'b' },
      ],
      { continueOnFail: true },
    );
    const items = result.items('Send SMS');
    expect(items[0].status).toBe('accepted');
    expect(items[1]).toMatchObject({ status: 'failed' });
    expect(String(items[1].error)).toMatch(/ESME_RINVDSTADR/);
  });

  it('sends a long UCS-2 message as correctly concatenated parts', async () => {
    const text = 'Внимание! Штормовое предупреждение. '.repeat(6).trim();
    const result = await run({}, [{ to: '+447911123009', text }]);
    const [item] = result.items('Send SMS');
    expect(item.encoding).toBe('ucs2');
    expect(item.parts).toBeGreaterThan(2);
    expect((item.messageIds as string[]).length).toBe(item.parts);
    const parts = smsc.store.list({ to: '447911123009' }).sort((a, b) => (a.concat?.seq ?? 0) - (b.concat?.seq ?? 0));
    expect(parts).toHaveLength(item.parts as number);
    expect(new Set(parts.map((p) => p.concat?.ref)).size).toBe(1);
    expect(parts.map((p) => p.concat?.total)).toEqual(parts.map(() => item.parts));
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });

  it('waits for the delivery receipt of every part when asked', async () => {
    const text = 'x'.repeat(200);
    // "Wait for delivery receipt" alone asks the carrier for receipts (no separate option needed).
    const result = await run({ waitForReceipt: true, receiptTimeoutSeconds: 10 }, [{ to: '+447911123010', text }]);
    const [item] = result.items('Send SMS');
    expect(item.parts).toBe(2);
    expect(item.delivery).toMatchObject({ status: 'DELIVRD' });
    const parts = (item.delivery as { parts: Array<{ messageId: string; status: string }> }).parts;
    expect(parts.map((p) => p.messageId)).toEqual(item.messageIds);
    expect(parts.every((p) => p.status === 'DELIVRD')).toBe(true);
  });

  it('refuses a message over the part limit before sending anything', async () => {
    const result = await run({ options: { maxParts: 2 } }, [{ to: '+447911123011', text: 'y'.repeat(400) }]);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/3 parts.*limit is 2/i);
    expect(smsc.store.list()).toHaveLength(0);
  });

  it('skips numbers that replied STOP, unless told to send anyway', async () => {
    const optOut = processWide('memoryOptOut', () => new MemoryOptOutStore());
    await optOut.optOut('default', '+447911123002');
    try {
      const result = await run({ to: '+447911123001, +447911123002' }, [{ text: 'Sale this weekend' }]);
      expect(result.items('Send SMS').map((i) => [i.to, i.status])).toEqual([
        ['+447911123001', 'accepted'],
        ['+447911123002', 'skipped_opt_out'],
      ]);
      expect(smsc.store.list({ to: '447911123002' })).toHaveLength(0);
      const forced = await run({ to: '+447911123002', options: { skipOptedOut: false } }, [{ text: 'Your login code is 1234' }]);
      expect(forced.items('Send SMS')[0].status).toBe('accepted');
    } finally {
      await optOut.optIn('default', '+447911123002');
    }
  });

  it('credential test: binds with the right password, reports the wrong one, never echoing it', async () => {
    const ok = await testCredential({ nodeTypes, credentialType: 'smppApi', data: smppCredential(smsc), credentialTypes });
    expect(ok.status).toBe('OK');
    const bad = await testCredential({ nodeTypes, credentialType: 'smppApi', data: smppCredential(smsc, { password: 'hunter22' }), credentialTypes });
    expect(bad.status).toBe('Error');
    expect(bad.message).toMatch(/ESME_RINVPASWD/);
    expect(bad.message).not.toContain('hunter22');
    const refused = await testCredential({ nodeTypes, credentialType: 'smppApi', data: smppCredential(smsc, { port: 1 }), credentialTypes });
    expect(refused.message).toMatch(/connection refused/);
    expect(logCapture.text()).not.toContain('hunter22');
  });

  it('names the credential field for bad credential values', async () => {
    const result = await run({}, [{ to: '+447911123001', text: 'a' }], { credential: { windowSize: 0 } });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/Window Size must be a whole number of at least 1 \(got 0\)/);
  });
});
