// One odd receipt must not change how every other receipt is matched: a carrier's ID format is
// learned only from several receipts that agree (and none that disagrees), and the IDs a trigger
// event offers for matching are the exact ones, not their hex/decimal re-readings.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ReceiptTracker } from '../../src/dlr/receipt-tracker';
import type { DeliveryReceipt } from '../../src/dlr/receipt-tracker';
import { RedisReceiptStore } from '../../src/dlr/redis-receipt-store';
import type { ReceiptEvent } from '../../src/inbound/inbound-event';
import { InboundPipeline } from '../../src/inbound/inbound-pipeline';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';

function receipt(tlvId: string | undefined, textId: string): DeliveryReceipt {
  return { messageId: tlvId ?? textId, ids: { tlvId, textId }, status: 'DELIVRD', final: true, receivedAt: new Date(), from: 'SHOP', to: '447911000001' };
}

describe('learning the id format cannot be poisoned by one receipt', () => {
  it('one receipt whose text id is the hex of its TLV does not switch a learning tracker to hex', async () => {
    const tracker = new ReceiptTracker({ idFormat: 'learn' });
    tracker.accept(receipt('4096', '1000')); // odd: 0x1000 = 4096
    expect(tracker.learnedFormat).toBeNull();
    // The next message's receipt, text only, names its id exactly: it still reaches it.
    const waiting = tracker.waitFor('1000', 1000);
    tracker.accept(receipt(undefined, '1000'));
    expect((await waiting)?.messageId).toBe('1000');
  });

  it('one exact match of an ambiguous text id does not fix the format', () => {
    const tracker = new ReceiptTracker({ idFormat: 'learn' });
    void tracker.waitFor('1715004123', 100);
    tracker.accept(receipt(undefined, '1715004123'));
    expect(tracker.learnedFormat).toBeNull();
  });

  it('three receipts that agree teach the format; a disagreeing one in between starts the count again', () => {
    const tracker = new ReceiptTracker({ idFormat: 'learn' });
    tracker.accept(receipt('42', '2a'));
    tracker.accept(receipt('255', 'ff'));
    tracker.accept(receipt('300', '300')); // says "same": the carrier is not consistent yet
    tracker.accept(receipt('4096', '1000'));
    expect(tracker.learnedFormat).toBeNull();
    tracker.accept(receipt('1000', '3e8'));
    tracker.accept(receipt('65535', 'ffff'));
    expect(tracker.learnedFormat).toBe('hex');
  });

  it('through Redis: one odd receipt in one process does not save a format every process then uses', async () => {
    const prefix = `sms-gw-test:${randomBytes(6).toString('hex')}:`;
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    try {
      const store = new RedisReceiptStore({ redis, prefix });
      const tracker = new ReceiptTracker({ idFormat: 'learn', store });
      await tracker.record(receipt('4096', '1000'));
      await new Promise((r) => setTimeout(r, 50));
      expect(await store.learnedFormat()).toBeNull();
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});

describe('trigger events offer the exact id for matching', () => {
  it('the receipt of "10" does not offer "16" (its decimal reading), so a workflow does not take it for message 16', async () => {
    const events: ReceiptEvent[] = [];
    const pipeline = new InboundPipeline({ smsc: 'test', source: 'carrier', filter: () => true, deliver: async (e) => void events.push(e as ReceiptEvent) });
    const pdu = blankMessagePdu();
    pdu.esmClass = 0x04;
    pdu.shortMessage = Buffer.from('id:10 sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:DELIVRD err:000 text:', 'latin1');
    await pipeline.handleDeliver({ pdu, receivedAt: new Date() });
    pipeline.close();
    expect(events[0].messageIdKeys).toEqual(['10']);
  });

  it('with the credential saying the carrier writes hex, the event also offers the submit id the text stands for', async () => {
    const events: ReceiptEvent[] = [];
    const pipeline = new InboundPipeline({
      smsc: 'test',
      source: 'carrier',
      filter: () => true,
      receiptIdFormat: 'hex',
      deliver: async (e) => void events.push(e as ReceiptEvent),
    });
    const pdu = blankMessagePdu();
    pdu.esmClass = 0x04;
    pdu.shortMessage = Buffer.from('id:ff sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:DELIVRD err:000 text:', 'latin1');
    await pipeline.handleDeliver({ pdu, receivedAt: new Date() });
    pipeline.close();
    expect(events[0].messageIdKeys).toEqual(['ff', '255']);
  });
});
