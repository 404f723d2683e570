// The relay that moves receipts reported in Redis to the trigger's SMPP server takes at most
// maxInFlight of them while the application does not take them: the rest wait in the Redis stream
// (durable, nothing dropped over the server's per-application quota), and all arrive once it binds.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type * as smpp from 'smpp';
import { relayApplicationReceipts } from '../../src/dlr/application-receipt-relay';
import { applicationReceiptKeys, RedisApplicationReceipts } from '../../src/dlr/application-receipts';
import { clientReceiptRequest } from '../../src/transport/smpp/server/client-receipt';
import { SmppServer } from '../../src/transport/smpp/server/smpp-server';
import { connectLibraryClient } from '../inbound/support/smpp-library-client';
import type { LibraryClient } from '../inbound/support/smpp-library-client';
import { waitFor } from '../support/sandbox';

const ACCOUNT = { systemId: 'bpapp', password: 'bp-pw' };
const SUBMIT = { source_addr: 'SHOP', destination_addr: '447700900003', short_message: 'hi', registered_delivery: 1 };

describe('relay backpressure', () => {
  const prefix = `sms-gw-test:${randomBytes(6).toString('hex')}:`;
  const connections: Redis[] = [];
  const clients: LibraryClient[] = [];
  let stop: () => void = () => undefined;
  let server: SmppServer;
  const redis = (): Redis => {
    const r = new Redis({ host: '127.0.0.1', port: 6379 });
    connections.push(r);
    return r;
  };
  afterAll(async () => {
    stop();
    await Promise.all(clients.map((c) => c.close()));
    await server?.close();
    const admin = redis();
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    for (const c of connections) c.disconnect();
  });

  it('takes at most maxInFlight while the application is away; the rest stay in Redis and arrive later', async () => {
    server = new SmppServer({ host: '127.0.0.1', port: 0, maxConnectionsPerAddress: 20 });
    await server.start();
    const client = redis();
    const store = new RedisApplicationReceipts(client, prefix);
    server.subscribe({ account: ACCOUNT, onSubmit: (pdu, at, systemId, id) => store.remember(clientReceiptRequest(pdu, id, systemId, at, server.listenerId)) });
    stop = relayApplicationReceipts(
      client,
      `bp-${prefix}`,
      prefix,
      { listener: server.listenerId, systemId: ACCOUNT.systemId },
      (r, o) => server.sendReceipt(r, o),
      { blockMs: 100, maxInFlight: 20 },
    );
    const sender = await connectLibraryClient(server.port);
    clients.push(sender);
    expect(await sender.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(String((await sender.submit(SUBMIT)).message_id));
    const worker = new RedisApplicationReceipts(redis(), prefix);
    for (const id of ids) await worker.report(id, { status: 'DELIVRD' });
    await waitFor(() => server.receiptsWaiting(ACCOUNT.systemId) === 20, 'the relay to take its share');
    await new Promise((r) => setTimeout(r, 400));
    expect(server.receiptsWaiting(ACCOUNT.systemId)).toBe(20);
    expect(await redis().xlen(applicationReceiptKeys(prefix).outbox({ listener: server.listenerId, systemId: ACCOUNT.systemId }))).toBe(60);
    const receiver = await connectLibraryClient(server.port);
    clients.push(receiver);
    const delivered = new Set<string>();
    receiver.session.on('deliver_sm', (pdu: smpp.PDU) => {
      delivered.add(String(pdu.receipted_message_id));
      receiver.session.send(pdu.response());
    });
    expect(await receiver.bind('receiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    await waitFor(() => delivered.size === 60, 'every receipt once the application binds', 15_000);
    expect(server.stats.receiptsDropped).toBe(0);
  });
});
