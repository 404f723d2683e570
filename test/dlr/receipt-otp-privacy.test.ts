// No OTP code may reach workflow data through a receipt: a carrier echoes the first characters of
// the message (`text:`), and what is read around that echo (err, stat) or a receipt not recognised
// as one (esm_class 0x08, 0x24, or 0 with a receipt text) must not carry it into events or outputs.
import { receiptFromJson, receiptToJson } from '../../src/dlr/receipt-json';
import { receiptFromPdu } from '../../src/dlr/receipt-pdu';
import type { InboundEvent } from '../../src/inbound/inbound-event';
import { InboundPipeline } from '../../src/inbound/inbound-pipeline';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { deliveryPart } from '../../nodes/shared/sending/delivery-summary';

const CODE = '482913';

function pduWith(esmClass: number, text: string, where: 'short' | 'payload' = 'short'): MessagePdu {
  const pdu = blankMessagePdu();
  pdu.source = { ton: 1, npi: 1, addr: '447911000001' };
  pdu.destination = { ton: 5, npi: 0, addr: 'SHOP' };
  pdu.esmClass = esmClass;
  if (where === 'short') pdu.shortMessage = Buffer.from(text, 'latin1');
  else pdu.tlvs = { messagePayload: Buffer.from(text, 'latin1') };
  return pdu;
}

const STANDARD = `id:7a1f sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:DELIVRD err:000 text:Your code is ${CODE}`;

const HOSTILE: Array<[string, MessagePdu]> = [
  ['esm_class 0x08 (SME delivery acknowledgement)', pduWith(0x08, STANDARD)],
  ['esm_class 0x24 (receipt and intermediate bits both set)', pduWith(0x24, STANDARD)],
  ['esm_class 0x10 (manual/user acknowledgement)', pduWith(0x10, `Your code is ${CODE}`)],
  ['esm_class 0 with a receipt text (carriers that do not set the bit)', pduWith(0x00, STANDARD)],
  ['esm_class 0 with a receipt text in message_payload', pduWith(0x00, STANDARD, 'payload')],
  [
    'no err: before the echo, an err: inside it',
    pduWith(0x04, `id:7a1f sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:DELIVRD text:Code err:${CODE}`),
  ],
  [
    'no stat: before the echo, a stat: inside it',
    pduWith(0x04, `id:7a1f sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 err:000 text:stat:${CODE}`),
  ],
  [
    'the echo without a text: label after stat',
    pduWith(0x04, `id:7a1f sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:DELIVRD Your code ${CODE}`),
  ],
  [
    'the echo without a text: label after err',
    pduWith(0x04, `id:7a1f sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:DELIVRD err:000 Your code ${CODE}`),
  ],
  ['a receipt whose id: comes only in the echo', pduWith(0x04, `sub:001 stat:DELIVRD text:id:${CODE}`)],
];

async function eventsOf(pdu: MessagePdu): Promise<InboundEvent[]> {
  const events: InboundEvent[] = [];
  const pipeline = new InboundPipeline({ smsc: 'test', source: 'carrier', filter: () => true, deliver: async (e) => void events.push(e) });
  await pipeline.handleDeliver({ pdu, receivedAt: new Date() });
  pipeline.close();
  return events;
}

describe('receipts never carry the message echo (an OTP code) into workflow data', () => {
  it.each(HOSTILE)('%s: the SMS Trigger event is a receipt without the code', async (_name, pdu) => {
    const events = await eventsOf(pdu);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('receipt');
    expect(JSON.stringify(events)).not.toContain(CODE);
  });

  it.each(HOSTILE)('%s: Send SMS wait output and the Redis record are without the code', (_name, pdu) => {
    const receipt = receiptFromPdu(pdu);
    expect(receipt).not.toBeNull();
    expect(JSON.stringify(deliveryPart('7a1f', receipt))).not.toContain(CODE);
    expect(receiptToJson(receipt!)).not.toContain(CODE);
  });

  it('a readable receipt keeps its id, status, error and carrier word', () => {
    const receipt = receiptFromPdu(
      pduWith(0x04, `id:7a1f sub:001 dlvrd:000 submit date:2612011200 done date:2612011201 stat:Undelivered err:034 text:Your code is ${CODE}`),
    );
    expect(receipt).toMatchObject({ messageId: '7a1f', status: 'UNDELIV', carrierStatus: 'UNDELIVERED', error: '034', final: true });
  });

  it('"stat:EN ROUTE" (two words) is still read as ENROUTE', () => {
    expect(receiptFromPdu(pduWith(0x04, 'id:7a1f stat:EN ROUTE err:000 text:x'))?.status).toBe('ENROUTE');
  });

  it('an ordinary MO message (esm_class 0, not a receipt text) stays a message', async () => {
    const [event] = await eventsOf(pduWith(0x00, 'Hello, my id: is 42 and my stat: fine'));
    expect(event).toMatchObject({ type: 'message', text: 'Hello, my id: is 42 and my stat: fine' });
  });

  it('a stored receipt that carries a code-like error or carrier word is cleaned when read back', () => {
    const stored = JSON.stringify({
      messageId: '1',
      status: 'DELIVRD',
      final: true,
      receivedAt: new Date().toISOString(),
      from: '',
      to: '',
      error: `000 Your code ${CODE}`,
      carrierStatus: `DELIVRD ${CODE}`,
    });
    const receipt = receiptFromJson(stored);
    expect(JSON.stringify(receipt)).not.toContain(CODE);
  });
});
