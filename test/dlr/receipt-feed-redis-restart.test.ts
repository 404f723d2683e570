// The SMS Trigger reads shared receipts as a Redis consumer group. When Redis restarts (here a
// redis-server of the test's own, killed and started again, keeping nothing) the group is gone;
// the reader must create it again so that receipts written meanwhile are read, and must not hand
// out again what it already handled when only the group was lost.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { DeliveryReceipt } from '../../src/dlr/receipt-tracker';
import { RedisReceiptStore } from '../../src/dlr/redis-receipt-store';
import { startPrivateRedis } from '../support/private-redis';
import type { PrivateRedis } from '../support/private-redis';
import { waitFor } from '../support/sandbox';

function receipt(id: string): DeliveryReceipt {
  return { messageId: id, ids: { tlvId: id }, status: 'DELIVRD', final: true, receivedAt: new Date(), from: 'SHOP', to: '447911000001' };
}

const GROUP = 'trigger:wf:node';

describe('the shared receipt feed across a Redis restart', () => {
  let server: PrivateRedis;
  const clients: Redis[] = [];
  const stops: Array<() => void> = [];
  const client = (): Redis => {
    const r = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 2, retryStrategy: () => 50 });
    r.on('error', () => undefined);
    clients.push(r);
    return r;
  };
  const prefix = `sms-gw-test:${randomBytes(4).toString('hex')}:`;

  beforeEach(async () => {
    server = await startPrivateRedis();
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    for (const c of clients.splice(0)) c.disconnect();
    await server.stop();
  });

  async function trigger(): Promise<string[]> {
    const handled: string[] = [];
    const store = new RedisReceiptStore({ redis: client(), prefix, blockMs: 100 });
    stops.push(store.consume(GROUP, async (r) => void handled.push(r.messageId)));
    const admin = client();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const groups = (await admin.xinfo('GROUPS', `${prefix}feed`).catch(() => [])) as unknown[];
      if (groups.length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return handled;
  }

  it('receipts recorded right after Redis came back are read, none lost', async () => {
    const handled = await trigger();
    const recorder = new RedisReceiptStore({ redis: client(), prefix });
    await recorder.record(receipt('before'));
    await waitFor(() => handled.includes('before'), 'the receipt before the restart');
    await server.restart();
    for (const id of ['r1', 'r2', 'r3']) await recorder.record(receipt(id));
    await waitFor(() => ['r1', 'r2', 'r3'].every((id) => handled.includes(id)), 'the receipts recorded after the restart', 10_000);
    expect(handled).toEqual(['before', 'r1', 'r2', 'r3']);
  });

  it('when only the group is lost (the stream kept), nothing handled before is handed out again', async () => {
    const handled = await trigger();
    const recorder = new RedisReceiptStore({ redis: client(), prefix });
    for (const id of ['a', 'b']) await recorder.record(receipt(id));
    await waitFor(() => handled.length === 2, 'the first receipts');
    await client().xgroup('DESTROY', `${prefix}feed`, GROUP);
    await recorder.record(receipt('c'));
    await waitFor(() => handled.includes('c'), 'the receipt after the group was lost', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(handled).toEqual(['a', 'b', 'c']);
  });
});
