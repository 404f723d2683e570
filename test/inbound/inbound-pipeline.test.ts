import { encodeMessage } from '../../src/encoding';
import { messageIdKeys } from '../../src/transport/smpp/receipt-format/receipt-text';
import type { MessageEvent, ReceiptEvent } from '../../src/inbound/inbound-event';
import { DEFAULT_START_KEYWORDS, DEFAULT_STOP_KEYWORDS } from '../../src/inbound/opt-out-keywords';
import { MemoryOptOutStore } from '../../src/optout/opt-out-store';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { waitFor } from '../support/sandbox';
import { startPipelineFixture } from './support/pipeline-fixture';
import type { PipelineFixture } from './support/pipeline-fixture';

const LONG_TEXT = 'Your order has shipped. '.repeat(16).trim(); // 383 GSM-7 characters: 3 parts

describe('inbound pipeline on a carrier bind (sandbox SMSC over TCP)', () => {
  let f: PipelineFixture;
  afterEach(async () => f?.stop());

  it('turns an MO message into one event with E.164 numbers', async () => {
    f = await startPipelineFixture();
    await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: 'Hello from the phone' });
    const [event] = await f.eventCount(1);
    expect(event).toEqual({
      type: 'message',
      from: '+447700900123',
      to: '12345',
      text: 'Hello from the phone',
      encoding: 'gsm7',
      parts: 1,
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      smsc: f.transport.label,
    });
  });

  it.each(['udh8', 'udh16', 'sar'] as const)('joins a three-part message sent with %s into one event', async (concat) => {
    f = await startPipelineFixture();
    const result = await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: LONG_TEXT, concat });
    expect(result).toEqual({ parts: 3, delivered: true });
    const [event] = await f.eventCount(1);
    expect(event).toMatchObject({ type: 'message', text: LONG_TEXT, parts: 3, encoding: 'gsm7' });
    expect((event as MessageEvent).incomplete).toBeUndefined();
    expect(f.events).toHaveLength(1);
  });

  it('joins a long UCS-2 message', async () => {
    f = await startPipelineFixture();
    const text = 'Привет, это длинное сообщение с эмодзи 😀 и кириллицей. '.repeat(3);
    await f.smsc.injectMo({ from: '+447700900123', to: '12345', text });
    const [event] = await f.eventCount(1);
    expect(event).toMatchObject({ text, encoding: 'ucs2' });
    expect((event as MessageEvent).parts).toBeGreaterThan(1);
  });

  it('emits the parts that arrived, marked incomplete, after the reassembly timeout', async () => {
    f = await startPipelineFixture({ pipeline: { reassembly: { timeoutMs: 100 } } });
    const encoded = encodeMessage(LONG_TEXT, { concat: 'udh8', reference: 42 });
    for (const index of [0, 2]) {
      const pdu = blankMessagePdu();
      pdu.source = { ton: 1, npi: 1, addr: '447700900123' };
      pdu.destination = { ton: 0, npi: 1, addr: '12345' };
      pdu.esmClass = 0x40;
      pdu.dataCoding = encoded.dataCoding;
      pdu.shortMessage = encoded.parts[index].shortMessage;
      expect(await f.smsc.deliverTo('sandbox', pdu)).toBe(true); // each part acknowledged while buffered
    }
    const [event] = await f.eventCount(1, 'the incomplete message');
    expect(event).toMatchObject({
      type: 'message',
      incomplete: true,
      parts: 2,
      totalParts: 3,
      missingParts: [2],
      text: encoded.parts[0].text + encoded.parts[2].text,
    });
    expect(f.pipeline.pendingGroups).toBe(0);
  });

  it('emits one receipt per part of a three-part message, each matching the id the carrier gave that part', async () => {
    f = await startPipelineFixture({ sandbox: { receipt: { outcome: 'DELIVRD', delayMs: 5 } } });
    const encoded = encodeMessage(LONG_TEXT, { concat: 'udh8' });
    expect(encoded.parts).toHaveLength(3);
    const sentIds: string[] = [];
    for (const part of encoded.parts) {
      const pdu = blankMessagePdu();
      pdu.source = { ton: 5, npi: 0, addr: 'SHOP' };
      pdu.destination = { ton: 1, npi: 1, addr: '447700900123' };
      pdu.esmClass = part.udhi ? 0x40 : 0;
      pdu.dataCoding = part.dataCoding;
      pdu.registeredDelivery = 1;
      pdu.shortMessage = part.shortMessage;
      sentIds.push((await f.transport.submit(pdu)).messageId);
    }
    const events = (await f.eventCount(3, 'three receipts')) as ReceiptEvent[];
    expect(events.map((e) => e.type)).toEqual(['receipt', 'receipt', 'receipt']);
    for (const id of sentIds) {
      const matches = events.filter((e) => e.messageIdKeys.some((k) => messageIdKeys(id).includes(k)));
      expect(matches).toHaveLength(1);
      expect(matches[0]).toMatchObject({ status: 'DELIVRD', from: 'SHOP', to: '+447700900123', smsc: f.transport.label });
      expect(matches[0].submittedAt).toMatch(/^\d{4}-/);
      expect(matches[0].doneAt).toMatch(/^\d{4}-/);
    }
  });

  it('correlates a receipt whose text writes the id in hex with a decimal submit_sm_resp id', async () => {
    // The SMPP Carrier credential says the carrier writes receipt ids in hex.
    f = await startPipelineFixture({ sandbox: { messageIdFormat: 'decimal' }, pipeline: { receiptIdFormat: 'hex' } });
    const submit = blankMessagePdu();
    submit.destination = { ton: 1, npi: 1, addr: '447700900123' };
    submit.shortMessage = Buffer.from('hello');
    let messageId = '';
    for (let i = 0; i < 27; i++) messageId = (await f.transport.submit(submit)).messageId;
    expect(messageId).toBe('27'); // decimal in submit_sm_resp...
    const hexId = '1B'; // ...and the same id in hex in the receipt text
    // A carrier-style receipt: id only in the text, no receipted_message_id TLV.
    const receipt = blankMessagePdu();
    receipt.source = { ton: 1, npi: 1, addr: '447700900123' };
    receipt.destination = { ton: 5, npi: 0, addr: 'SHOP' };
    receipt.esmClass = 0x04;
    receipt.shortMessage = Buffer.from(`id:${hexId} sub:001 dlvrd:000 submit date:2501020304 done date:2501020305 stat:UNDELIV err:034 text:hello`, 'latin1');
    await f.smsc.deliverTo('sandbox', receipt);
    const [event] = (await f.eventCount(1)) as ReceiptEvent[];
    expect(event).toMatchObject({ type: 'receipt', messageId: hexId, status: 'UNDELIV', error: '034', submittedAt: '2025-01-02T03:04:00.000Z' });
    expect(event.messageIdKeys).toContain(messageId);
    // The messageIds Send SMS reports match through messageIdKeys (the exact id, and the one the credential's format names).
    expect(event.messageIdKeys.some((k) => messageIdKeys(messageId).includes(k))).toBe(true);
  });

  it('puts a STOP sender on the opt-out list, which a broadcast-style check then skips, and START takes them off', async () => {
    const store = new MemoryOptOutStore();
    f = await startPipelineFixture({
      pipeline: { optOut: { store, list: 'alerts', stopKeywords: DEFAULT_STOP_KEYWORDS, startKeywords: DEFAULT_START_KEYWORDS } },
    });
    await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: 'Stop' });
    const [event] = await f.eventCount(1);
    expect(event).toMatchObject({ type: 'message', optOut: 'added', optOutList: 'alerts' });
    const recipients = ['+447700900123', '+447700900456'];
    const skipped = await store.filterOptedOut('alerts', recipients);
    expect(recipients.filter((r) => !skipped.has(r))).toEqual(['+447700900456']);

    await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: 'START' });
    await f.eventCount(2);
    expect(f.events[1]).toMatchObject({ optOut: 'removed' });
    expect(await store.filterOptedOut('alerts', recipients)).toEqual(new Set());
  });

  it('records STOP even when the node filter drops the message', async () => {
    const store = new MemoryOptOutStore();
    f = await startPipelineFixture({
      filter: { keywordMatch: 'exact', keywords: ['INFO'] },
      pipeline: { optOut: { store, list: 'default', stopKeywords: ['STOP'], startKeywords: [] } },
    });
    await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: 'STOP' });
    await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: 'info' });
    await f.eventCount(1);
    expect(f.events.map((e) => (e as MessageEvent).text)).toEqual(['info']);
    expect(await store.count('default')).toBe(1);
  });

  it('refuses the deliver_sm when the workflow hand-off fails, so the carrier redelivers it', async () => {
    let failNext = true;
    const accepted: string[] = [];
    f = await startPipelineFixture({
      pipeline: {
        deliver: async (event) => {
          if (failNext) {
            failNext = false;
            throw new Error('n8n could not start the execution');
          }
          accepted.push((event as MessageEvent).text);
        },
      },
    });
    const result = await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: 'second time lucky' });
    expect(result.delivered).toBe(true); // the sandbox retried after ESME_RX_T_APPN
    expect(accepted).toEqual(['second time lucky']);
  });

  it('receives again after the SMSC drops the link and the transport reconnects', async () => {
    f = await startPipelineFixture();
    await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: 'before the drop' });
    await f.eventCount(1);
    let rebound = false;
    f.transport.once('bound', () => (rebound = true));
    expect(f.smsc.dropConnections()).toBe(1);
    await waitFor(() => rebound, 'the transport to bind again');
    await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: 'after the drop' });
    await f.eventCount(2);
    expect(f.events.map((e) => (e as MessageEvent).text)).toEqual(['before the drop', 'after the drop']);
  });

  it('ignores what the filter rejects but still acknowledges it', async () => {
    f = await startPipelineFixture({ filter: { eventTypes: ['receipt'] } });
    expect(await f.smsc.injectMo({ from: '+447700900123', to: '12345', text: 'not wanted' })).toEqual({ parts: 1, delivered: true });
    expect(f.events).toHaveLength(0);
  });
});
