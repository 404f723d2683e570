// In Redis mode nothing may vanish silently: an entry of the shared receipt feed that cannot be
// read is kept (a dead-letter stream) and reported, not acknowledged away; a receipt PDU whose text
// names no id still reaches the SMS Trigger as a receipt event (status UNKNOWN) instead of nowhere.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ReceiptTracker } from '../../src/dlr/receipt-tracker';
import type { DeliveryReceipt } from '../../src/dlr/receipt-tracker';
import { RedisReceiptStore } from '../../src/dlr/redis-receipt-store';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import { waitFor } from '../support/sandbox';

describe('unreadable receipts in Redis mode are kept, not acknowledged away', () => {
  let prefix: string;
  const clients: Redis[] = [];
  const stops: Array<() => void> = [];
  const client = (): Redis => {
    const r = new Redis({ host: '127.0.0.1', port: 6379 });
    clients.push(r);
    return r;
  };
  beforeEach(() => {
    prefix = `sms-gw-test:${randomBytes(6).toString('hex')}:`;
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    const admin = client();
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    for (const c of clients.splice(0)) c.disconnect();
  });

  async function consumer(): Promise<{ handled: DeliveryReceipt[]; errors: Error[] }> {
    const handled: DeliveryReceipt[] = [];
    const errors: Error[] = [];
    const store = new RedisReceiptStore({ redis: client(), prefix, blockMs: 100 });
    stops.push(
      store.consume(
        'trigger:wf:node',
        async (r) => void handled.push(r),
        (e) => errors.push(e),
      ),
    );
    const admin = client();
    for (let i = 0; i < 250 && ((await admin.xinfo('GROUPS', `${prefix}feed`).catch(() => [])) as unknown[]).length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    return { handled, errors };
  }

  it('a feed entry that is not a receipt goes to the dead-letter stream and is reported', async () => {
    const { handled, errors } = await consumer();
    const admin = client();
    const id = await admin.xadd(`${prefix}feed`, '*', 'r', '{"messageId": 7, "status": "DELIVRD"');
    await waitFor(() => errors.length > 0, 'the unreadable entry to be reported');
    const dead = await admin.xrange(`${prefix}dead`, '-', '+');
    expect(dead).toHaveLength(1);
    expect(dead[0][1]).toEqual(expect.arrayContaining(['id', String(id), 'r', '{"messageId": 7, "status": "DELIVRD"']));
    expect(errors[0].message).toContain(`${prefix}dead`);
    expect(handled).toHaveLength(0);
  });

  it('a receipt PDU without a readable id reaches the trigger as an UNKNOWN receipt', async () => {
    const { handled } = await consumer();
    const tracker = new ReceiptTracker({ store: new RedisReceiptStore({ redis: client(), prefix }) });
    const pdu = blankMessagePdu();
    pdu.esmClass = 0x04;
    pdu.source = { ton: 1, npi: 1, addr: '447911000001' };
    pdu.destination = { ton: 5, npi: 0, addr: 'SHOP' };
    pdu.shortMessage = Buffer.from('status report: something the carrier wrote its own way', 'latin1');
    await tracker.handle({ pdu, receivedAt: new Date() });
    await waitFor(() => handled.length === 1, 'the unreadable receipt on the feed');
    expect(handled[0]).toMatchObject({ messageId: '', status: 'UNKNOWN' });
  });
});
