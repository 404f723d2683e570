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
    let stop = store.consume(
      'trigger:wf:node',
      async (r) => void handled.push(r.messageId),
      (e) => errors.push(e),
    );
    for (let i = 0; i < 250 && ((await redis.xinfo('GROUPS', `${prefix}feed`).catch(() => [])) as unknown[]).length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    await store.record(receipt('first'));
    await waitFor(() => handled.includes('first'), 'the first receipt');
    stop(); // the workflow is inactive for a while
    const pipeline = redis.pipeline() as unknown as { smsGatewayReceiptRecord(...args: Array<string | number>): void; exec(): Promise<unknown> };
    for (let i = 0; i < 700; i++) pipeline.smsGatewayReceiptRecord(2, `${prefix}feed`, `${prefix}r:x:m${i}`, `F${JSON.stringify(receipt(`m${i}`))}`, 3600, 10);
    await pipeline.exec();
    const length = await redis.xlen(`${prefix}feed`);
    expect(length).toBeLessThan(700); // trimmed
    stop = store.consume(
      'trigger:wf:node',
      async (r) => void handled.push(r.messageId),
      (e) => errors.push(e),
    );
    await waitFor(() => errors.some((e) => /trimmed/.test(e.message)), 'the loss to be reported', 5000);
    // Every entry is handled or counted as lost: the stopped reader's last blocked read may have
    // taken some (they come back from the pending list, or are counted when the feed dropped them).
    const lost = (): number => errors.reduce((sum, e) => sum + Number(/^(\d+) entries .* trimmed/.exec(e.message)?.[1] ?? 0), 0);
    await waitFor(() => handled.length - 1 + lost() === 700, 'every receipt handled or counted as lost');
    stop();
    expect(errors.filter((e) => !/trimmed/.test(e.message)).map((e) => e.message)).toEqual([]);
    expect(handled.length - 1).toBeGreaterThanOrEqual(length - 1);
    expect(new Set(handled).size).toBe(handled.length); // nothing handled twice
  });

  it('entries the stopped reader had taken and the feed then trimmed are counted, and the reading goes on', async () => {
    const store = new RedisReceiptStore({ redis, prefix: `${prefix}p:`, blockMs: 100, feedLength: 10 });
    const feed = `${prefix}p:feed`;
    const group = 'trigger:wf:other';
    // A reader that took an entry (its blocked read answered as it was stopped) and never handled it.
    await redis.xgroup('CREATE', feed, group, '$', 'MKSTREAM');
    await store.record(receipt('taken'));
    await redis.xreadgroup('GROUP', group, 'n8n-main', 'COUNT', 10, 'STREAMS', feed, '>');
    await redis.xtrim(feed, 'MAXLEN', 0); // the feed moved on past it
    const handled: string[] = [];
    const errors: Error[] = [];
    const stop = store.consume(
      group,
      async (r) => void handled.push(r.messageId),
      (e) => errors.push(e),
    );
    await waitFor(() => errors.some((e) => /after group .* took them/.test(e.message)), 'the taken entry to be counted as lost', 5000);
    await store.record(receipt('next'));
    await waitFor(() => handled.includes('next'), 'the next receipt');
    stop();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^1 entries .* after group trigger:wf:other took them/)]);
    const pending = (await redis.xpending(feed, group)) as unknown[];
    expect(pending[0]).toBe(0);
  });
});
