// Receipts shared through Redis live under the SMS Gateway Redis credential's key prefix: two n8n
// instances (or tenants) on one Redis with their own prefixes do not see each other's receipts, and
// their triggers' consumer groups (named by workflow id, which repeat across instances) do not meet.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { carrierReceiptTracker, resetCarrierReceiptTrackers, sharedReceiptStore } from '../../src/dlr/carrier-receipts';
import { closeRedisClients } from '../../src/redis/redis-clients';
import type { DeliveryReceipt } from '../../src/dlr/receipt-tracker';

function receipt(id: string): DeliveryReceipt {
  return { messageId: id, ids: { tlvId: id }, status: 'DELIVRD', final: true, receivedAt: new Date(), from: 'SHOP', to: '447911000001' };
}

describe('shared receipts under the configured key prefix', () => {
  const run = randomBytes(4).toString('hex');
  const redis = { host: '127.0.0.1', port: 6379 };
  const host = `smsc-${run}.example`;
  const admin = new Redis(redis);
  afterAll(async () => {
    resetCarrierReceiptTrackers();
    const keys = [...(await admin.keys(`t${run}*`)), ...(await admin.keys(`sms-gw:dlr:${host}*`))];
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
    await closeRedisClients();
  });

  it('a receipt recorded under one prefix is not found under another, and its keys carry the prefix', async () => {
    const settingsA = { host, port: 2775, redis, keyPrefix: `t${run}a:` };
    const settingsB = { host, port: 2775, redis, keyPrefix: `t${run}b:` };
    const a = carrierReceiptTracker(settingsA);
    const b = carrierReceiptTracker(settingsB);
    expect(a).not.toBe(b);
    await a.record(receipt('77'));
    expect((await a.latest('77'))?.messageId).toBe('77');
    expect(await b.latest('77')).toBeNull();
    expect(await b.waitFor('77', 300)).toBeNull();
    expect(await admin.keys(`t${run}a:*`)).not.toHaveLength(0);
    expect(await admin.keys(`sms-gw:dlr:${host}*`)).toHaveLength(0);
  });

  it('the trigger feeds of two prefixes are separate streams', () => {
    const a = sharedReceiptStore({ host, port: 2775, redis, keyPrefix: `t${run}a:` } as Parameters<typeof sharedReceiptStore>[0]) as unknown as {
      feedKey: string;
    };
    const b = sharedReceiptStore({ host, port: 2775, redis, keyPrefix: `t${run}b:` } as Parameters<typeof sharedReceiptStore>[0]) as unknown as {
      feedKey: string;
    };
    expect(a.feedKey).not.toBe(b.feedKey);
  });
});
