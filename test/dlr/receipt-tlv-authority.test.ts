// receipted_message_id is the submit_sm_resp id (SMPP 3.4 5.3.2.12): when a receipt carries it,
// it alone names the message. A receipt whose TLV names an id nobody waits for must not be taken
// by the waiter whose id happens to equal the receipt's text `id:`.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ReceiptTracker } from '../../src/dlr/receipt-tracker';
import type { DeliveryReceipt } from '../../src/dlr/receipt-tracker';
import { RedisReceiptStore } from '../../src/dlr/redis-receipt-store';

const SHORT_WAIT = 150;

/** A receipt whose receipted_message_id is `tlvId` and whose text says `id:<textId>`. */
function receipt(tlvId: string | undefined, textId: string): DeliveryReceipt {
  return { messageId: tlvId ?? textId, ids: { tlvId, textId }, status: 'DELIVRD', final: true, receivedAt: new Date(), from: 'SHOP', to: '447911000001' };
}

describe('receipted_message_id is authoritative', () => {
  it.each(['same', 'learn', 'hex'] as const)(
    'a waiter (format %s) does not take a receipt whose TLV names another id and whose text id is its own',
    async (idFormat) => {
      const tracker = new ReceiptTracker({ idFormat });
      const waiting = tracker.waitFor('16', SHORT_WAIT);
      tracker.accept(receipt('a9f00c', idFormat === 'hex' ? '10' : '16'));
      expect(await waiting).toBeNull();
    },
  );

  it('a wait that starts after such a receipt does not find it either', async () => {
    const tracker = new ReceiptTracker();
    tracker.accept(receipt('a9f00c', '16'));
    expect(await tracker.waitFor('16', SHORT_WAIT)).toBeNull();
    expect(await tracker.latest('16')).toBeNull();
    expect((await tracker.waitFor('a9f00c', SHORT_WAIT))?.messageId).toBe('a9f00c');
  });

  it('a receipt without the TLV is still matched by its text id', async () => {
    const tracker = new ReceiptTracker();
    const waiting = tracker.waitFor('16', 2000);
    tracker.accept(receipt(undefined, '16'));
    expect((await waiting)?.messageId).toBe('16');
  });

  it('through Redis: a receipt recorded with a foreign TLV is not found under the text id', async () => {
    const prefix = `sms-gw-test:${randomBytes(6).toString('hex')}:`;
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    try {
      const recorder = new ReceiptTracker({ store: new RedisReceiptStore({ redis, prefix, blockMs: 200 }) });
      await recorder.record(receipt('a9f00c', '16'));
      const other = new ReceiptTracker({ store: new RedisReceiptStore({ redis, prefix, blockMs: 200 }), feedIdleMs: 50 });
      expect(await other.latest('16')).toBeNull();
      expect(await other.waitFor('16', 400)).toBeNull();
      expect((await other.latest('a9f00c'))?.messageId).toBe('a9f00c');
      recorder.close();
      other.close();
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
