// A receipt that comes late (after the message's validity period, as EXPIRED always does, or
// after the application unbound) is kept for the application's next bind for the hold window
// (24 h by default), not dropped because the validity period is over.
import type * as smpp from 'smpp';
import { MemoryApplicationReceipts } from '../../../../src/dlr/application-receipts';
import { clientReceiptRequest } from '../../../../src/transport/smpp/server/client-receipt';
import { SmppServer } from '../../../../src/transport/smpp/server/smpp-server';
import type { SmppServerOptions } from '../../../../src/transport/smpp/server/smpp-server';
import { connectLibraryClient } from '../../../inbound/support/smpp-library-client';
import type { LibraryClient } from '../../../inbound/support/smpp-library-client';
import { waitFor } from '../../../support/sandbox';

const ACCOUNT = { systemId: 'lateapp', password: 'late-pw' };
const SUBMIT = { source_addr: 'SHOP', destination_addr: '447700900002', short_message: 'hello', registered_delivery: 1, validity_period: '000000000001000R' };

describe('late receipts for SMPP applications', () => {
  const servers: SmppServer[] = [];
  const clients: LibraryClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function startServer(options: Partial<SmppServerOptions> = {}, holdMs?: number) {
    const server = new SmppServer({ host: '127.0.0.1', port: 0, inactivityTimeoutMs: 200, ...options });
    await server.start();
    servers.push(server);
    const registry = new MemoryApplicationReceipts(Date.now, holdMs);
    server.subscribe({
      account: ACCOUNT,
      onSubmit: (pdu, at, systemId, id) =>
        registry.remember(clientReceiptRequest(pdu, id, systemId, at, server.listenerId), (r, o) => server.sendReceipt(r, o)),
    });
    return { server, registry };
  }

  async function application(port: number, mode: 'transmitter' | 'receiver') {
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

  it('an EXPIRED receipt reported after the validity period (1 s) reaches the application when it binds again', async () => {
    const { server, registry } = await startServer();
    const sender = await application(server.port, 'transmitter');
    const messageId = String((await sender.client.submit(SUBMIT)).message_id);
    await sender.client.close();
    await new Promise((r) => setTimeout(r, 1500)); // the validity period is over; the carrier's EXPIRED comes now
    expect(await registry.report(messageId, { status: 'EXPIRED', doneAt: Date.now() })).toBe('queued');
    await new Promise((r) => setTimeout(r, 600)); // the server sweeps (every 50 ms here) while the application is away
    expect(server.receiptsWaiting(ACCOUNT.systemId)).toBe(1);
    const back = await application(server.port, 'receiver');
    await waitFor(() => back.delivered.length === 1, 'the late receipt on the next bind');
    expect(back.delivered[0]).toMatchObject({ receipted_message_id: messageId, message_state: 3 });
  });

  it('a receipt is let go once the hold window after its report has passed too', async () => {
    const { server, registry } = await startServer({ receiptHoldMs: 300 }, 300);
    const sender = await application(server.port, 'transmitter');
    const messageId = String((await sender.client.submit(SUBMIT)).message_id);
    await sender.client.close();
    await registry.report(messageId, { status: 'DELIVRD', doneAt: Date.now() });
    await waitFor(() => server.receiptsWaiting(ACCOUNT.systemId) === 0, 'the receipt to be let go after validity and hold', 5000);
    expect(server.stats.receiptsDropped).toBe(1);
    const back = await application(server.port, 'receiver');
    await new Promise((r) => setTimeout(r, 200));
    expect(back.delivered).toEqual([]);
  });
});
