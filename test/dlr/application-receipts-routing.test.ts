// Receipts for SMPP applications go back to the listener the message came in on: the same
// system_id bound to two triggers' ports (or two n8n instances on one Redis) must not get each
// other's receipts.
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

const ACCOUNT = { systemId: 'shared-app', password: 'shared-pw' };
const SUBMIT = { source_addr: 'SHOP', destination_addr: '447700900003', short_message: 'hi', registered_delivery: 1 };

describe('receipts for SMPP applications are routed by listener, not by system_id alone', () => {
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

  /** One trigger (each in its own n8n process, emulated by its own relay identity) listening on its own port. */
  async function trigger(name: string): Promise<SmppServer> {
    const server = new SmppServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    servers.push(server);
    const client = redis();
    const store = new RedisApplicationReceipts(client, prefix);
    server.subscribe({ account: ACCOUNT, onSubmit: (pdu, at, systemId, id) => store.remember(clientReceiptRequest(pdu, id, systemId, at, server.listenerId)) });
    stops.push(
      relayApplicationReceipts(
        client,
        `instance-${name}`,
        prefix,
        { listener: server.listenerId, systemId: ACCOUNT.systemId },
        (r, o) => server.sendReceipt(r, o),
        { blockMs: 100 },
      ),
    );
    return server;
  }

  async function application(port: number) {
    const client = await connectLibraryClient(port);
    clients.push(client);
    const delivered: smpp.PDU[] = [];
    client.session.on('deliver_sm', (pdu: smpp.PDU) => {
      delivered.push(pdu);
      client.session.send(pdu.response());
    });
    expect(await client.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
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

  it('the same system_id on two triggers: each receipt arrives on the port its message was submitted to', async () => {
    const a = await trigger('a');
    const b = await trigger('b');
    expect(a.listenerId).not.toBe(b.listenerId);
    const onA = await application(a.port);
    const onB = await application(b.port);
    const worker = new RedisApplicationReceipts(redis(), prefix);
    const idsOnB: string[] = [];
    for (let i = 0; i < 10; i++) idsOnB.push(String((await onB.client.submit(SUBMIT)).message_id));
    for (const id of idsOnB) expect(await worker.report(id, { status: 'DELIVRD' })).toBe('queued');
    await waitFor(() => onB.delivered.length === 10, 'every receipt on the bind to trigger B');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(onA.delivered).toHaveLength(0);
    expect(onB.delivered.map((p) => p.receipted_message_id).sort()).toEqual([...idsOnB].sort());
  });
});
