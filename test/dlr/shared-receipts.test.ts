// Receipts shared through the real Redis: what one process's bind receives, a wait in another
// process gets; nothing is acknowledged to the carrier before it is recorded.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ReceiptTracker } from '../../src/dlr/receipt-tracker';
import type { DeliveryReceipt } from '../../src/dlr/receipt-tracker';
import { RedisReceiptStore } from '../../src/dlr/redis-receipt-store';
import { receiptTrackerFor } from '../../src/dlr/tracker-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { simpleSubmit } from '../support/messages';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';
import { startTcpProxy } from '../support/tcp-proxy';
import type { TcpProxy } from '../support/tcp-proxy';

const clients: Redis[] = [];
const trackers: ReceiptTracker[] = [];

/** One "process": its own Redis connection and tracker over the shared prefix. */
function processOn(prefix: string, port = 6379, idFormat: 'same' | 'learn' = 'same'): ReceiptTracker {
  const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  clients.push(redis);
  const tracker = new ReceiptTracker({ idFormat, store: new RedisReceiptStore({ redis, prefix, blockMs: 200 }), feedIdleMs: 100 });
  trackers.push(tracker);
  return tracker;
}

function receipt(id: string, status: DeliveryReceipt['status'] = 'DELIVRD', final = true): DeliveryReceipt {
  return { messageId: id, ids: { tlvId: id, textId: id }, status, final, receivedAt: new Date(), from: 'SHOP', to: '447911000001' };
}

let prefix: string;
beforeEach(() => {
  prefix = `sms-gw-test:${randomBytes(6).toString('hex')}:`;
});

afterEach(async () => {
  for (const t of trackers.splice(0)) t.close();
  const admin = new Redis({ host: '127.0.0.1', port: 6379 });
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length) await admin.del(...keys);
  admin.disconnect();
  for (const c of clients.splice(0)) c.disconnect();
});

describe('receipts shared through Redis between processes', () => {
  it('a receipt recorded by process A reaches the wait in process B', async () => {
    const a = processOn(prefix);
    const b = processOn(prefix);
    const waiting = b.waitFor('a1', 5000);
    await new Promise((r) => setTimeout(r, 100)); // B's wait is in place and following the feed
    await a.record(receipt('a1'));
    expect(await waiting).toMatchObject({ messageId: 'a1', status: 'DELIVRD' });
  });

  it('a wait that starts late, and "latest", find a receipt recorded earlier by another process', async () => {
    const a = processOn(prefix);
    await a.record(receipt('b2', 'UNDELIV'));
    const b = processOn(prefix);
    expect(await b.waitFor('b2', 2000)).toMatchObject({ status: 'UNDELIV' });
    expect(await processOn(prefix).latest('b2')).toMatchObject({ status: 'UNDELIV' });
  });

  it('a final receipt is not replaced by a late intermediate one', async () => {
    const a = processOn(prefix);
    await a.record(receipt('c3', 'DELIVRD'));
    await a.record(receipt('c3', 'ENROUTE', false));
    expect(await processOn(prefix).latest('c3')).toMatchObject({ status: 'DELIVRD', final: true });
  });

  it('1,000 waits spread over two processes all get receipts recorded by a third', async () => {
    const recorder = processOn(prefix);
    const waiters = [processOn(prefix), processOn(prefix)];
    const ids = Array.from({ length: 1000 }, (_, i) => (0x10000 + i).toString(16));
    // Half start before the receipts, half after.
    const early = ids.slice(0, 500).map((id, i) => waiters[i % 2].waitFor(id, 10_000));
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all(ids.map((id) => recorder.record(receipt(id))));
    const late = ids.slice(500).map((id, i) => waiters[i % 2].waitFor(id, 10_000));
    const got = await Promise.all([...early, ...late]);
    expect(got.filter((r) => r?.status === 'DELIVRD')).toHaveLength(1000);
  });

  it('a learned id format reaches the other processes', async () => {
    const a = processOn(prefix, 6379, 'learn');
    // Three receipts that agree teach the format (one alone does not: see receipt-learning-poison.test.ts).
    for (const [hex, decimal] of [
      ['ff', '255'],
      ['1000', '4096'],
      ['abcd', '43981'],
    ])
      await a.record({ ...receipt(hex), ids: { tlvId: hex, textId: decimal } });
    const b = processOn(prefix, 6379, 'learn');
    const waiting = b.waitFor('1f', 5000);
    await waitFor(() => b.learnedFormat === 'decimal', 'B to read the format A learned');
    await a.record({ ...receipt('31'), ids: { textId: '31' } }); // text-only, decimal 31 = hex 1f
    expect(await waiting).toMatchObject({ status: 'DELIVRD' });
  });
});

describe('no receipt is acknowledged without being recorded (Redis restarting)', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  let proxy: TcpProxy;
  afterEach(async () => {
    await transport?.close(100);
    await smsc?.stop();
    await proxy?.close();
  });

  it('refuses the receipt while Redis is down, takes the redelivery once Redis is back, and a wait elsewhere gets it', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 20 } });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { systemId: 'sandbox' }));
    receiptTrackerFor(transport, processOn(prefix, proxy.port)); // this bind records through the proxy
    await transport.start();
    await proxy.down();
    const sent = await transport.submit(simpleSubmit('447911000002', 'hello', { registeredDelivery: 1 }));
    await waitFor(() => smsc.stats.receiptsSent === 0 && transport.metrics().deliverReceived >= 1, 'the receipt to be offered while Redis is down');
    await new Promise((r) => setTimeout(r, 300));
    expect(smsc.stats.receiptsSent).toBe(0); // refused: the carrier keeps it
    await proxy.up();
    await waitFor(() => smsc.stats.receiptsSent === 1, 'the redelivered receipt to be acknowledged', 10_000);
    expect(transport.metrics().deliverReceived).toBeGreaterThan(1);
    expect(await processOn(prefix).waitFor(sent.messageId, 2000)).toMatchObject({ status: 'DELIVRD' });
  });
});
