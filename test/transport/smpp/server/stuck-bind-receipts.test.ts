// An application bind that never answers deliver_sm must not hold up the receipts its other
// receiving connection (or other applications) can take: after a delivery times out on it, the
// next receipts go to a connection that answers.
import type * as smpp from 'smpp';
import { MemoryApplicationReceipts } from '../../../../src/dlr/application-receipts';
import { clientReceiptRequest } from '../../../../src/transport/smpp/server/client-receipt';
import { SmppServer } from '../../../../src/transport/smpp/server/smpp-server';
import { connectLibraryClient } from '../../../inbound/support/smpp-library-client';
import type { LibraryClient } from '../../../inbound/support/smpp-library-client';
import { waitFor } from '../../../support/sandbox';

const ACCOUNT = { systemId: 'stuckapp', password: 'stuck-pw' };
const OTHER = { systemId: 'otherapp', password: 'other-pw' };
const SUBMIT = { source_addr: 'SHOP', destination_addr: '447700900002', short_message: 'hello', registered_delivery: 1 };

describe('a stuck application bind does not hold up receipts', () => {
  let server: SmppServer;
  const clients: LibraryClient[] = [];
  let registry: MemoryApplicationReceipts;
  beforeEach(async () => {
    server = new SmppServer({ host: '127.0.0.1', port: 0, deliverTimeoutMs: 300 });
    await server.start();
    registry = new MemoryApplicationReceipts();
    for (const account of [ACCOUNT, OTHER]) {
      server.subscribe({
        account,
        onSubmit: (pdu, at, systemId, id) =>
          registry.remember(clientReceiptRequest(pdu, id, systemId, at, server.listenerId), (r, o) => server.sendReceipt(r, o)),
      });
    }
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  async function bind(account: typeof ACCOUNT, mode: 'transceiver' | 'receiver', answers: boolean) {
    const client = await connectLibraryClient(server.port);
    clients.push(client);
    const delivered: smpp.PDU[] = [];
    client.session.on('deliver_sm', (pdu: smpp.PDU) => {
      delivered.push(pdu);
      if (answers) client.session.send(pdu.response());
    });
    expect(await client.bind(mode, account.systemId, account.password)).toBe(0);
    return { client, delivered };
  }

  it('receipts go to the connection that answers once the stuck one timed out', async () => {
    const stuck = await bind(ACCOUNT, 'transceiver', false); // bound first: picked first
    const healthy = await bind(ACCOUNT, 'receiver', true);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(String((await stuck.client.submit(SUBMIT)).message_id));
    for (const id of ids) await registry.report(id, { status: 'DELIVRD' });
    await waitFor(() => new Set(healthy.delivered.map((p) => p.receipted_message_id)).size === 5, 'every receipt on the connection that answers', 8000);
    expect(stuck.delivered.length).toBeLessThanOrEqual(2);
  });

  it('another application gets its receipts while one application stalls', async () => {
    const stuck = await bind(ACCOUNT, 'transceiver', false);
    const other = await bind(OTHER, 'transceiver', true);
    for (let i = 0; i < 3; i++) await registry.report(String((await stuck.client.submit(SUBMIT)).message_id), { status: 'DELIVRD' });
    const otherIds: string[] = [];
    for (let i = 0; i < 3; i++) otherIds.push(String((await other.client.submit(SUBMIT)).message_id));
    for (const id of otherIds) await registry.report(id, { status: 'DELIVRD' });
    await waitFor(() => other.delivered.length === 3, "the other application's receipts", 3000);
  });
});
