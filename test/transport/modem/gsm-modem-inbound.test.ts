/** Receiving through a GsmModem: +CMTI, stored messages, long messages, status reports. */
import { ReceiptTracker, receiptFromPdu } from '../../../src/dlr/receipt-tracker';
import { decodeMessage } from '../../../src/encoding';
import type { ModemInboundMessage, ModemTextMessage } from '../../../src/transport/modem/types';
import { REPORTS_STORED_ONLY, startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

describe('GsmModem receiving', () => {
  let fixture: ModemFixture;
  let clock: number;
  beforeEach(async () => {
    clock = Date.UTC(2026, 0, 15, 9, 30);
    fixture = await startModemFixture({ clock: () => new Date(clock) }, { now: () => clock, concatTimeoutMs: 60_000 });
  });
  afterEach(async () => {
    await fixture.stop();
  });

  function collect(): { parts: ModemInboundMessage[]; texts: ModemTextMessage[] } {
    const parts: ModemInboundMessage[] = [];
    const texts: ModemTextMessage[] = [];
    fixture.modem.addInboundHandler((m) => {
      parts.push(m);
    });
    fixture.modem.addTextHandler((m) => {
      texts.push(m);
    });
    return { parts, texts };
  }

  it('reassembles an incoming concatenated GSM-7 message and then deletes its parts from the SIM', async () => {
    const { parts, texts } = collect();
    const text =
      'Team 4 on site at the north gate. Casualties: two, minor. Need one more ambulance and traffic control at the junction of Mill Road and Station Street. ETA of police? '.repeat(
        2,
      );
    const indexes = fixture.sim.simulator.receiveSms({ from: '+447911123456', text, reference: 77 });
    expect(indexes.length).toBe(3);
    await waitFor(() => texts.length === 1 && fixture.sim.simulator.storage.used === 0, 'the reassembled message and its deletion');
    expect(texts[0]).toMatchObject({
      from: '+447911123456',
      fromAlphanumeric: false,
      text,
      parts: 3,
      totalParts: 3,
      complete: true,
      encoding: 'gsm7',
      smsc: '+447700900999',
    });
    expect(texts[0].sentAt.toISOString()).toBe('2026-01-15T09:30:00.000Z');
    // Every part also went to the inbound handlers as a deliver_sm-shaped PDU.
    expect(parts).toHaveLength(3);
    expect(parts.map((p) => p.pdu.source.addr)).toEqual(['447911123456', '447911123456', '447911123456']);
    expect(parts.map((p) => decodeMessage({ dataCoding: p.pdu.dataCoding, esmClass: p.pdu.esmClass, shortMessage: p.pdu.shortMessage }).concat?.seq)).toEqual([
      1, 2, 3,
    ]);
    expect(fixture.sim.simulator.commands.filter((c) => c.startsWith('AT+CMGD='))).toEqual(indexes.map((i) => `AT+CMGD=${i}`));
  });

  it('reads a UCS-2 message with a 16-bit reference from an alphanumeric sender', async () => {
    const { texts } = collect();
    const text = 'Ваш код подтверждения: 482913. Никому его не сообщайте. Служба 112 никогда не спрашивает код. '.repeat(2);
    fixture.sim.simulator.receiveSms({ from: 'CityAlert', alphanumeric: true, text, concat: 'udh16', reference: 0x4242 });
    await waitFor(() => texts.length === 1, 'the message');
    expect(texts[0]).toMatchObject({ from: 'CityAlert', fromAlphanumeric: true, text, encoding: 'ucs2', complete: true });
  });

  it('reads messages already waiting at start-up once someone listens, and leaves them alone before', async () => {
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: 'sent while n8n was down' }, false);
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: 'this one too' }, false);
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: 'and this, announced with nobody listening' });
    await fixture.modem.signal(); // a round trip: the +CMTI above has been seen and ignored
    expect(fixture.sim.simulator.storage.used).toBe(3);
    const { texts } = collect();
    await waitFor(() => texts.length === 3, 'the stored messages');
    expect(texts.map((t) => t.text)).toEqual(['sent while n8n was down', 'this one too', 'and this, announced with nobody listening']);
    await waitFor(() => fixture.sim.simulator.storage.used === 0, 'deletion');
  });

  it('keeps a message on the SIM when a handler fails', async () => {
    fixture.modem.addInboundHandler(() => {
      throw new Error('workflow failed');
    });
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: 'keep me' });
    await waitFor(() => fixture.log.some((l) => l.includes('inbound handler failed: workflow failed')), 'the failure');
    await fixture.modem.signal();
    expect(fixture.sim.simulator.storage.used).toBe(1);
    expect(fixture.sim.simulator.commands.some((c) => c.startsWith('AT+CMGD'))).toBe(false);
  });

  it('hands out a long message whose last part never came after the timeout, marked incomplete', async () => {
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: 'x'.repeat(300) + 'y'.repeat(100), reference: 9 }, false);
    fixture.sim.simulator.storage.delete(3); // the network lost part 3
    const { texts } = collect();
    await fixture.modem.signal();
    await fixture.modem.flushIncomplete();
    expect(texts).toHaveLength(0);
    clock += 61_000;
    await fixture.modem.flushIncomplete();
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ parts: 2, totalParts: 3, complete: false, text: 'x'.repeat(300) + 'y'.repeat(6) });
    await waitFor(() => fixture.sim.simulator.storage.used === 0, 'deletion of the two parts');
  });

  it('turns a +CDS status report into a receipt the ReceiptTracker matches by message reference', async () => {
    const tracker = new ReceiptTracker();
    const parts: ModemInboundMessage[] = [];
    fixture.modem.addInboundHandler(tracker.handle);
    fixture.modem.addInboundHandler((m) => {
      parts.push(m);
    });
    const sent = await fixture.modem.send({ to: '+4915112345678', text: 'report me', requestReceipt: true });
    const waiting = tracker.waitFor(String(sent.messageReferences[0]), 10_000);
    clock += 5000;
    fixture.sim.simulator.receiveStatusReport({
      messageReference: sent.messageReferences[0],
      recipient: '+4915112345678',
      submittedAt: new Date(clock - 5000),
    });
    const receipt = await waiting;
    expect(receipt).toMatchObject({ messageId: String(sent.messageReferences[0]), status: 'DELIVRD', to: '4915112345678' });
    expect(parts[0].modem.kind).toBe('statusReport');
    const fromPdu = receiptFromPdu(parts[0].pdu);
    expect(fromPdu).toMatchObject({ messageId: String(sent.messageReferences[0]), status: 'DELIVRD' });
    if (parts[0].modem.kind === 'statusReport') {
      expect(parts[0].modem.receipt).toMatchObject({ status: 'DELIVRD', to: '+4915112345678' });
      expect(parts[0].modem.receipt.doneAt?.toISOString()).toBe('2026-01-15T09:30:05.000Z');
    }
  });

  it('reports a failed delivery with the TP-ST reason', async () => {
    const reports: ModemInboundMessage[] = [];
    fixture.modem.addInboundHandler((m) => {
      reports.push(m);
    });
    fixture.sim.simulator.receiveStatusReport({ messageReference: 12, recipient: '+4915112345678', status: 0x46 });
    await waitFor(() => reports.length === 1, 'the report');
    const details = reports[0].modem;
    expect(details.kind === 'statusReport' && details.receipt).toMatchObject({ messageId: '12', status: 'EXPIRED', error: '070 validity period expired' });
  });
});

describe('GsmModem with stored status reports (+CDSI)', () => {
  it('reads the stored report, emits it and deletes it', async () => {
    const fixture = await startModemFixture({ overrides: { cnmi: REPORTS_STORED_ONLY } });
    try {
      const reports: ModemInboundMessage[] = [];
      fixture.modem.addInboundHandler((m) => {
        reports.push(m);
      });
      fixture.sim.simulator.receiveStatusReport({ messageReference: 5, recipient: '+4915112345678' });
      await waitFor(() => reports.length === 1 && fixture.sim.simulator.storage.used === 0, 'the stored report');
      expect(reports[0].modem).toMatchObject({ kind: 'statusReport', storage: { memory: 'SM', index: 1 } });
    } finally {
      await fixture.stop();
    }
  });
});
