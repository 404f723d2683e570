/**
 * Custom TLVs and service_type from the nodes' parameters and the SMPP Carrier credential to the
 * wire: Send SMS (both versions), Bulk Alert Broadcast and OTP Issue through n8n's WorkflowExecute,
 * the sandbox SMSC over TCP recording what every part carried.
 */
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';
import { runIssue } from '../fixtures/otp/otp-node-runs';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';
const hex = (text: string): string => Buffer.from(text).toString('hex');
const PE_ID = '1101456789012345678';
const dltCredential = { customTlvs: { tlv: [{ tag: '0x1400', type: 'string', value: PE_ID }] } };
const peTlv = { tag: '0x1400', hex: hex(PE_ID), text: PE_ID };
const templateTlv = (id: string) => ({ tag: '0x1401', hex: hex(id), text: id });
const LONG = 'Your appointment at City Hospital on Monday at 10:30 is confirmed. Bring your referral letter. '.repeat(2);

describe('custom TLVs and service_type from the nodes (n8n WorkflowExecute, sandbox over TCP)', () => {
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

  const send = (parameters: IDataObject, inputItems: IDataObject[], extra: { credential?: IDataObject; typeVersion?: number; continueOnFail?: boolean } = {}) =>
    runWorkflow({
      nodes: [
        {
          name: 'Send SMS',
          type: SEND,
          typeVersion: extra.typeVersion,
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

  it("Send SMS: the credential's TLV and the item's template ID (an expression) go with every part, with the service type", async () => {
    const result = await send(
      {
        smppOptions: { serviceType: 'CMT', customTlvs: { tlv: [{ tag: '0x1401', type: 'string', value: '={{ $json.template }}' }] } },
      },
      [
        { to: '+919812345001', text: LONG, template: '1107160000000000001' },
        { to: '+919812345002', text: 'short one', template: '1107160000000000002' },
      ],
      { credential: dltCredential },
    );
    expect(result.status).toBe('success');
    const first = smsc.store.list({ to: '919812345001' });
    expect(first).toHaveLength(2);
    for (const part of first) expect(part).toMatchObject({ serviceType: 'CMT', tlvs: [peTlv, templateTlv('1107160000000000001')] });
    expect(smsc.store.list({ to: '919812345002' })).toEqual([
      expect.objectContaining({ serviceType: 'CMT', tlvs: [peTlv, templateTlv('1107160000000000002')] }),
    ]);
  });

  it('Send SMS version 1 reads them from Options', async () => {
    const result = await send(
      { options: { serviceType: 'WAP', customTlvs: { tlv: [{ tag: '1410', type: 'int8', value: '7' }] } } },
      [{ to: '+447911123456', text: 'v1' }],
      { typeVersion: 1 },
    );
    expect(result.status).toBe('success');
    expect(smsc.store.list()).toEqual([expect.objectContaining({ serviceType: 'WAP', tlvs: [{ tag: '0x1410', hex: '07' }] })]);
  });

  it('a bad TLV of one item fails that item naming the row and the field; the others still send (continueOnFail)', async () => {
    const result = await send(
      {
        smppOptions: { customTlvs: { tlv: [{ tag: '0x1401', type: 'int16', value: '={{ $json.template }}' }] } },
      },
      [
        { to: '+447911123001', text: 'a', template: '12' },
        { to: '+447911123002', text: 'b', template: '70000' },
      ],
      { continueOnFail: true },
    );
    expect(result.status).toBe('success');
    const items = result.items('Send SMS');
    expect(items.map((i) => i.status)).toEqual(['accepted', 'failed']);
    expect(items[1]).toMatchObject({ field: 'customTlvs', error: 'Custom TLV 1 (tag 0x1401): value 70000 does not fit Integer, 2 Octets (0 to 65535)' });
    expect(smsc.store.list().map((m) => m.to)).toEqual(['447911123001']);
  });

  it('without continueOnFail the node stops before sending anything and says where to look', async () => {
    const result = await send({ smppOptions: { customTlvs: { tlv: [{ tag: '0x0424', type: 'hex', value: '00' }] } } }, [{ to: '+447911123001', text: 'a' }]);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/tag 0x0424 \(message_payload\) is set by the gateway/);
    expect(result.error?.description).toBe('Check "Custom TLVs" in SMPP Options (item 0)');
    expect(smsc.store.list()).toHaveLength(0);
  });

  it('a service type over 5 characters is refused naming the field', async () => {
    const result = await send({ smppOptions: { serviceType: 'TOOLONG' } }, [{ to: '+447911123001', text: 'a' }]);
    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('service_type "TOOLONG" is 7 characters; SMPP 3.4 allows 5 (6 octets with the closing NUL)');
    expect(result.error?.description).toBe('Check "Service Type" in SMPP Options (item 0)');
    expect(smsc.store.list()).toHaveLength(0);
  });

  it("a bad TLV in the credential names the credential's field", async () => {
    const result = await send({}, [{ to: '+447911123001', text: 'a' }], {
      credential: { customTlvs: { tlv: [{ tag: 'PE_ID', type: 'string', value: PE_ID }] } },
    });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/Custom TLV 1: tag "PE_ID" is not a hex number/);
    expect(result.error?.description).toMatch(/"Custom TLVs" in the SMPP Carrier credential/);
    expect(smsc.store.list()).toHaveLength(0);
  });

  it("Bulk Alert Broadcast: every recipient's message carries the credential's and the node's TLVs", async () => {
    const result = await runWorkflow({
      nodes: [
        {
          name: 'Broadcast',
          type: BROADCAST,
          parameters: {
            recipientSource: 'items',
            recipientField: 'phone',
            messageSource: 'text',
            message: LONG,
            broadcastId: `tlv-${Date.now()}`,
            smppOptions: { serviceType: 'ALRT', customTlvs: { tlv: [{ tag: '0x1401', type: 'string', value: '1107160000000000009' }] } },
          },
          credentials: smppCredentialRef,
        },
      ],
      connections: chain('Start', 'Broadcast'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, dltCredential) },
      credentialTypes,
      inputItems: [{ phone: '+919812345101' }, { phone: '+919812345102' }, { phone: '+919812345103' }],
    });
    expect(result.status).toBe('success');
    const received = smsc.store.list();
    expect(received).toHaveLength(6);
    for (const part of received) expect(part).toMatchObject({ serviceType: 'ALRT', tlvs: [peTlv, templateTlv('1107160000000000009')] });
  });

  it('OTP Issue: the code SMS carries them (Message Options)', async () => {
    const result = await runIssue(
      {
        phoneNumber: '+919812345201',
        appName: 'ACME',
        messageOptions: { serviceType: 'OTP', customTlvs: { tlv: [{ tag: '0x1401', type: 'string', value: '1107160000000000042' }] } },
      },
      { smsc, smpp: { ...dltCredential, defaultCountry: 'IN' } },
    );
    expect(result.error?.message).toBeUndefined();
    expect(result.status).toBe('success');
    expect(smsc.store.list()).toEqual([expect.objectContaining({ serviceType: 'OTP', tlvs: [peTlv, templateTlv('1107160000000000042')] })]);
  });
});
