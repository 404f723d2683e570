// The shared receipt feed keeps a set number of entries (MAXLEN ~). A trigger that was inactive
// while more receipts than that were recorded cannot read the oldest any more: that loss must be
// reported, not passed over in silence.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { DeliveryReceipt } from '../../src/dlr/receipt-tracker';
import { RedisReceiptStore } from '../../src/dlr/redis-receipt-store';
import { waitFor } from '../support/sandbox';

function receipt(id: string): DeliveryReceipt {
  return { messageId: id, ids: { tlvId: id }, status: 'DELIVRD', final: true, receivedAt: new Date(), from: 'SHOP', to: '447911000001' };
}

describe('a trimmed receipt feed', () => {
  const prefix = `sms-gw-test:${randomBytes(6).toString('hex')}:`;
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a trigger that comes back after the feed went past its length reports the receipts it lost', async () => {
    const store = new RedisReceiptStore({ redis, prefix, blockMs: 100, feedLength: 10 });
    const handled: string[] = [];
    const errors: Error[] = [];
    let stop = store.consume('trigger:wf:node', async (r) => void handled.push(r.messageId), (e) => errors.push(e));
    for (let i = 0; i < 250 && ((await redis.xinfo('GROUPS', `${prefix}feed`).catch(() => [])) as unknown[]).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await store.record(receipt('first'));
    await waitFor(() => handled.includes('first'), 'the first receipt');
    stop(); // the workflow is inactive for a while
    const pipeline = redis.pipeline() as unknown as { smsGatewayReceiptRecord(...args: Array<string | number>): void; exec(): Promise<unknown> };
    for (let i = 0; i < 700; i++) pipeline.smsGatewayReceiptRecord(2, `${prefix}feed`, `${prefix}r:x:m${i}`, `F${JSON.stringify(receipt(`m${i}`))}`, 3600, 10);
    await pipeline.exec();
    expect(await redis.xlen(`${prefix}feed`)).toBeLessThan(700); // trimmed
    stop = store.consume('trigger:wf:node', async (r) => void handled.push(r.messageId), (e) => errors.push(e));
    await waitFor(() => errors.some((e) => /trimmed/.test(e.message)), 'the loss to be reported', 5000);
    const length = await redis.xlen(`${prefix}feed`);
    await waitFor(() => handled.length === 1 + length, 'the receipts still in the feed');
    stop();
    const lost = Number(/(\d+) entries/.exec(errors.find((e) => /trimmed/.test(e.message))!.message)?.[1]);
    expect(lost + length).toBe(700);
  });
});
