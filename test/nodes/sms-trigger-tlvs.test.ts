// The SMS Trigger hands on the TLVs (optional parameters) of MO messages and delivery receipts as
// `tlvs: [{ tag, name?, hex, text? }]`: from its own bind, and for receipts another bind received
// and shared through Redis. Sandbox SMSC over TCP, the trigger activated as n8n does.
import Redis from 'ioredis';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { readSmppCredential } from '../../nodes/shared/credentials/smpp-credential';
import { receiptKeyPrefix, resetCarrierReceiptTrackers } from '../../src/dlr/carrier-receipts';
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { closeRedisClients } from '../../src/redis/redis-clients';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { encodeCustomTlvs } from '../../src/tlv/custom-tlv';
import { activateTrigger } from '../inbound/support/active-trigger';
import type { ActiveTrigger } from '../inbound/support/active-trigger';
import { TRIGGER, carrierCredential, carrierRef, triggerCredentialTypes, triggerNodeTypes } from '../inbound/support/trigger-node-setup';
import { simpleSubmit } from '../support/messages';
import { startSandbox, waitFor } from '../support/sandbox';

const hex = (text: string): string => Buffer.from(text).toString('hex');
// What a carrier adds: its own operator code, and a binary value.
const carrierTlvs = encodeCustomTlvs([
  { tag: '0x1402', type: 'string', value: 'IN-AIRTEL' },
  { tag: '0x1403', type: 'hex', value: '00ff' },
]);
const CARRIER_EVENT_TLVS = [
  { tag: '0x1402', hex: hex('IN-AIRTEL'), text: 'IN-AIRTEL' },
  { tag: '0x1403', hex: '00ff' },
];

describe('SMS Trigger: TLVs of MO messages and receipts', () => {
  let smsc: SandboxSmsc;
  const active: ActiveTrigger[] = [];
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterAll(async () => closeRedisClients());
  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 5, tlvs: carrierTlvs } });
  });
  afterEach(async () => {
    for (const t of active.splice(0)) await t.close();
    await closeAllSmppTransports();
    resetCarrierReceiptTrackers();
    await smsc.stop();
  });

  async function activate(events: string[], credential: ICredentialDataDecryptedObject = {}, options: Record<string, unknown> = {}): Promise<ActiveTrigger> {
    const trigger = await activateTrigger({
      type: TRIGGER,
      nodeType: triggerNodeTypes[TRIGGER],
      parameters: { source: 'carrier', events, handleOptOut: false, options },
      credentials: { smppApi: carrierCredential(smsc, credential) },
      credentialRefs: carrierRef,
      credentialTypes: triggerCredentialTypes,
    });
    active.push(trigger);
    return trigger;
  }

  it('an MO message: its TLVs in order; one without TLVs has no `tlvs`', async () => {
    const trigger = await activate(['message']);
    await smsc.injectMo({ from: '+919812345678', to: '56767', text: 'YES', tlvs: carrierTlvs });
    await smsc.injectMo({ from: '+919812345678', to: '56767', text: 'plain' });
    await waitFor(() => trigger.emitted.length === 2, 'two message events');
    expect(trigger.emitted[0].json).toMatchObject({ type: 'message', text: 'YES', tlvs: CARRIER_EVENT_TLVS });
    expect(trigger.emitted[1].json.text).toBe('plain');
    expect(trigger.emitted[1].json).not.toHaveProperty('tlvs');
  });

  it.each(['sar', 'udh16'] as const)("a 3-part MO message (%s): the parts' TLVs once, without the SAR ones", async (concat) => {
    const trigger = await activate(['message']);
    const text = 'A long reply from a patient that needs several parts to arrive. '.repeat(6);
    await smsc.injectMo({ from: '+919812345678', to: '56767', text, concat, tlvs: carrierTlvs });
    await waitFor(() => trigger.emitted.length === 1, 'the joined message');
    expect(trigger.emitted[0].json).toMatchObject({ text, parts: 3, tlvs: CARRIER_EVENT_TLVS });
  });

  it("a delivery receipt: every TLV, standard ones named (receipted_message_id, message_state), the carrier's own after", async () => {
    const trigger = await activate(['receipt']);
    const sender = await acquireSmppTransport(readSmppCredential(carrierCredential(smsc)).connection);
    try {
      const { messageId } = await sender.resource.submit(simpleSubmit('919812345678', 'hi', { registeredDelivery: 1 }));
      await waitFor(() => trigger.emitted.length === 1, 'the receipt event');
      expect(trigger.emitted[0].json).toMatchObject({
        type: 'receipt',
        messageId,
        status: 'DELIVRD',
        tlvs: [
          { tag: '0x001e', name: 'receipted_message_id', hex: hex(messageId) + '00', text: messageId },
          { tag: '0x0427', name: 'message_state', hex: '02' },
          ...CARRIER_EVENT_TLVS,
        ],
      });
    } finally {
      await sender.release();
    }
  });

  it('a receipt another bind received, shared through Redis, keeps its TLVs', async () => {
    const shared = { useRedis: true, redisHost: '127.0.0.1', redisPort: 6379 };
    // The "worker" binds first as a transceiver, so the sandbox hands it the receipt.
    const worker = await acquireSmppTransport(readSmppCredential(carrierCredential(smsc, shared) as ICredentialDataDecryptedObject).connection);
    try {
      const trigger = await activate(['receipt'], shared, { bindMode: 'receiver' });
      // The trigger reads receipts recorded after its group exists: on a busy machine creating it
      // can take longer than the sandbox takes to send a receipt.
      const admin = new Redis({ host: '127.0.0.1', port: 6379 });
      const feed = `${receiptKeyPrefix({ host: '127.0.0.1', port: smsc.port })}feed`;
      const groups = async (): Promise<number> => ((await admin.xinfo('GROUPS', feed).catch(() => [])) as unknown[]).length;
      for (let i = 0; i < 500 && (await groups()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await groups()).toBe(1);
      admin.disconnect();
      const { messageId } = await worker.resource.submit(simpleSubmit('919812345679', 'hi', { registeredDelivery: 1 }));
      await waitFor(() => trigger.emitted.length === 1, 'the shared receipt event');
      expect(worker.resource.metrics().deliverReceived).toBe(1);
      expect(trigger.emitted[0].json).toMatchObject({
        messageId,
        tlvs: [expect.objectContaining({ name: 'receipted_message_id' }), expect.objectContaining({ name: 'message_state' }), ...CARRIER_EVENT_TLVS],
      });
    } finally {
      await worker.release();
      const admin = new Redis({ host: '127.0.0.1', port: 6379 });
      const keys = await admin.keys(`${receiptKeyPrefix({ host: '127.0.0.1', port: smsc.port })}*`);
      if (keys.length) await admin.del(...keys);
      admin.disconnect();
    }
  });
});
