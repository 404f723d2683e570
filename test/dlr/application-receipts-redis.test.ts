// Queue mode: the SMS Trigger (main) remembers receipt requests in Redis, Send SMS on a worker
// reports outcomes there, and the main relays them to the application's bind, across a main restart.
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type * as smpp from 'smpp';
import { relayApplicationReceipts } from '../../src/dlr/application-receipt-relay';
import { RedisApplicationReceipts } from '../../src/dlr/application-receipts';
import { clientReceiptRequest } from '../../src/transport/smpp/server/client-receipt';
import { SmppServer } from '../../src/transport/smpp/server/smpp-server';
import { connectLibraryClient } from '../inbound/support/smpp-library-client';
import type { LibraryClient } from '../inbound/support/smpp-library-client';
import { waitFor } from '../support/sandbox';

const ACCOUNT = { systemId: 'qapp', password: 'qapp-pw' };
const SUBMIT = { source_addr: 'SHOP', destination_addr: '447700900003', short_message: 'hi', registered_delivery: 1 };

describe('receipts for SMPP applications through Redis (queue mode)', () => {
  let prefix: string;
  const connections: Redis[] = [];
  const stops: Array<() => void> = [];
  const servers: SmppServer[] = [];
  const clients: LibraryClient[] = [];

  const redis = (): Redis => {
    const r = new Redis({ host: '127.0.0.1', port: 6379 });
    connections.push(r);
    return r;
  };

  /** The main: a server whose trigger remembers requests in Redis and relays reported receipts to it. */
  async function main(port = 0): Promise<SmppServer> {
    const server = new SmppServer({ host: '127.0.0.1', port });
    await server.start();
    servers.push(server);
    const client = redis();
    const store = new RedisApplicationReceipts(client, prefix);
    server.subscribe({ account: ACCOUNT, onSubmit: (pdu, at, systemId, id) => store.remember(clientReceiptRequest(pdu, id, systemId, at, server.listenerId)) });
    stops.push(
      relayApplicationReceipts(
        client,
        `test-${prefix}`,
        prefix,
        { listener: server.listenerId, systemId: ACCOUNT.systemId },
        (r, o) => server.sendReceipt(r, o),
        { blockMs: 200 },
      ),
    );
    return server;
  }

  async function application(port: number, mode: 'transceiver' | 'transmitter') {
    const client = await connectLibraryClient(port);
    clients.push(client);
    const delivered: smpp.PDU[] = [];
    client.session.on('deliver_sm', (pdu: smpp.PDU) => {
      delivered.push(pdu);
      client.session.send(pdu.response());
    });
    expect(await client.bind(mode, ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    return { client, delivered };
  }

  beforeEach(() => {
    prefix = `sms-gw-test:${randomBytes(6).toString('hex')}:`;
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
    const admin = redis();
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    for (const c of connections.splice(0)) c.disconnect();
  });

  it('a worker reports, the main delivers to the application; a second report of the same message finds nothing', async () => {
    const server = await main();
    const app = await application(server.port, 'transceiver');
    const messageId = String((await app.client.submit(SUBMIT)).message_id);
    const worker = new RedisApplicationReceipts(redis(), prefix);
    expect(await worker.report(messageId, { status: 'DELIVRD' })).toBe('queued');
    await waitFor(() => app.delivered.length === 1, 'the receipt on the application bind');
    expect(app.delivered[0]).toMatchObject({ receipted_message_id: messageId, message_state: 2 });
    expect(await worker.report(messageId, { status: 'DELIVRD' })).toBe('not_requested'); // a retried execution
    const outbox = await redis().xlen(`${prefix}appdlr:out:${server.listenerId}|${ACCOUNT.systemId}`);
    expect(outbox).toBe(0); // acknowledged and removed
  });

  it('a receipt taken by the main but not yet delivered survives a main restart', async () => {
    const first = await main();
    const sender = await application(first.port, 'transmitter');
    const messageId = String((await sender.client.submit(SUBMIT)).message_id);
    await sender.client.close();
    await new RedisApplicationReceipts(redis(), prefix).report(messageId, { status: 'UNDELIV' });
    await waitFor(() => first.receiptsWaiting(ACCOUNT.systemId) === 1, 'the main to take the receipt (application away)');
    // The main goes down with the receipt in hand; a new one starts on the same port.
    const port = first.port;
    for (const stop of stops.splice(0)) stop();
    await first.close();
    const second = await main(port);
    const back = await application(second.port, 'transceiver');
    await waitFor(() => back.delivered.length === 1, 'the receipt after the restart', 10_000);
    expect(back.delivered[0]).toMatchObject({ receipted_message_id: messageId, message_state: 5 });
  });
});
