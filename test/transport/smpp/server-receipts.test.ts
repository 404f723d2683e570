// Receipts our SMPP server sends back to applications (ESMEs on the `smpp` library) that ask for
// them: for the id our submit_sm_resp gave, on that application's bind, queued across reconnects.
import * as smpp from 'smpp';
import { MemoryApplicationReceipts } from '../../../src/dlr/application-receipts';
import { parseReceiptText } from '../../../src/transport/smpp/receipt-format/receipt-text';
import type { MessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';
import { clientReceiptRequest } from '../../../src/transport/smpp/server/client-receipt';
import { SmppServer } from '../../../src/transport/smpp/server/smpp-server';
import type { SmppServerOptions } from '../../../src/transport/smpp/server/smpp-server';
import { connectLibraryClient } from '../../inbound/support/smpp-library-client';
import type { LibraryClient } from '../../inbound/support/smpp-library-client';
import { waitFor } from '../../support/sandbox';

const ACCOUNT = { systemId: 'shopapp', password: 's3cret!' };
const SUBMIT = { source_addr: 'SHOP', destination_addr: '447700900002', short_message: 'Your order shipped', registered_delivery: 1 };

describe('SMPP server mode: delivery receipts back to the application', () => {
  const servers: SmppServer[] = [];
  const clients: LibraryClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** A server whose trigger remembers each request (as the SMS Trigger does) and hands its pdu on. */
  async function startServer(options: Partial<SmppServerOptions> = {}, onSubmit?: (id: string) => Promise<void>) {
    const server = new SmppServer({ host: '127.0.0.1', port: 0, ...options });
    await server.start();
    servers.push(server);
    const registry = new MemoryApplicationReceipts();
    const submitted: Array<{ pdu: MessagePdu; messageId: string }> = [];
    server.subscribe({
      account: ACCOUNT,
      onSubmit: async (pdu, receivedAt, systemId, messageId) => {
        await registry.remember(clientReceiptRequest(pdu, messageId, systemId, receivedAt), (r, o) => server.sendReceipt(r, o));
        submitted.push({ pdu, messageId });
        await onSubmit?.(messageId);
      },
    });
    return { server, registry, submitted };
  }

  /** An application bound to the server that records every deliver_sm and answers it (unless told not to). */
  async function application(port: number, mode: 'transceiver' | 'receiver' | 'transmitter', answer = true) {
    const client = await connectLibraryClient(port);
    clients.push(client);
    const delivered: smpp.PDU[] = [];
    const order: string[] = [];
    client.session.on('deliver_sm', (pdu: smpp.PDU) => {
      delivered.push(pdu);
      order.push(`deliver_sm ${String(pdu.receipted_message_id)}`);
      if (answer) client.session.send(pdu.response());
    });
    expect(await client.bind(mode, ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    return { client, delivered, order };
  }

  it('sends deliver_sm for the id of our submit_sm_resp: standard text, receipted_message_id and message_state', async () => {
    const { server, registry } = await startServer();
    const app = await application(server.port, 'transceiver');
    const resp = await app.client.submit(SUBMIT);
    const messageId = String(resp.message_id);
    expect(await registry.report(messageId, { status: 'UNDELIV', error: '1' })).toBe('queued');
    await waitFor(() => app.delivered.length === 1, 'the receipt');
    const [receipt] = app.delivered;
    expect(Number(receipt.esm_class) & 0x3c).toBe(0x04);
    expect(receipt.receipted_message_id).toBe(messageId);
    expect(receipt.message_state).toBe(5);
    expect(receipt.source_addr).toBe('447700900002');
    expect(receipt.destination_addr).toBe('SHOP');
    const text = parseReceiptText(
      Buffer.isBuffer(receipt.short_message)
        ? receipt.short_message.toString('latin1')
        : String((receipt.short_message as { message?: string }).message ?? receipt.short_message),
    );
    expect(text).toMatchObject({ id: messageId, stat: 'UNDELIV', err: '001', dlvrd: '000' });
    expect(text?.text).toBe('');
  });

  it('queues the receipt while the application is away and delivers it when it binds again (as a receiver)', async () => {
    const { server, registry } = await startServer();
    const sender = await application(server.port, 'transmitter');
    const messageId = String((await sender.client.submit(SUBMIT)).message_id);
    await sender.client.close();
    await registry.report(messageId, { status: 'DELIVRD' });
    await waitFor(() => server.receiptsWaiting(ACCOUNT.systemId) === 1, 'the receipt to wait');
    const back = await application(server.port, 'receiver');
    await waitFor(() => back.delivered.length === 1, 'the receipt after the reconnect');
    expect(back.delivered[0].receipted_message_id).toBe(messageId);
    await waitFor(() => server.receiptsWaiting(ACCOUNT.systemId) === 0, 'the queue to empty once acknowledged');
  });

  it('sends again a receipt whose deliver_sm_resp never came (connection lost), after the reconnect', async () => {
    const { server, registry } = await startServer();
    const silent = await application(server.port, 'transceiver', false);
    const messageId = String((await silent.client.submit(SUBMIT)).message_id);
    await registry.report(messageId, { status: 'DELIVRD' });
    await waitFor(() => silent.delivered.length === 1, 'the first, unanswered deliver_sm');
    await silent.client.close();
    const back = await application(server.port, 'transceiver');
    await waitFor(() => back.delivered.length === 1, 'the resent receipt');
    expect(back.delivered[0].receipted_message_id).toBe(messageId);
  });

  it('never sends the receipt before the submit_sm_resp that names its id', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let report!: (id: string) => Promise<unknown>;
    // The workflow reports while the submit is still in hand (acknowledge "when the workflow finished").
    const { server, registry } = await startServer({}, async (id) => {
      await report(id);
      await gate;
    });
    report = (id) => registry.report(id, { status: 'DELIVRD' });
    const app = await application(server.port, 'transceiver');
    // Recorded in the library's callback, in the order the PDUs are read.
    const submitSm = app.client.session.submit_sm as (fields: object, callback: (resp: smpp.PDU) => void) => void;
    const answered = new Promise<void>((resolve) =>
      submitSm.call(app.client.session, SUBMIT, (resp: smpp.PDU) => {
        app.order.push(`submit_sm_resp ${String(resp.message_id)}`);
        resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(app.order).toEqual([]);
    release();
    await answered;
    await waitFor(() => app.delivered.length === 1, 'the receipt');
    const id = app.order[0].split(' ')[1];
    expect(app.order).toEqual([`submit_sm_resp ${id}`, `deliver_sm ${id}`]);
  });

  it('lets a receipt go when the validity period and the hold window end before the application binds', async () => {
    const { server, registry } = await startServer({ inactivityTimeoutMs: 200, receiptHoldMs: 100 });
    const sender = await application(server.port, 'transmitter');
    const messageId = String((await sender.client.submit({ ...SUBMIT, validity_period: '000000000001000R' })).message_id);
    await sender.client.close();
    await registry.report(messageId, { status: 'DELIVRD' });
    await waitFor(() => server.receiptsWaiting(ACCOUNT.systemId) === 0, 'the expired receipt to be dropped', 5000);
    const back = await application(server.port, 'receiver');
    await new Promise((r) => setTimeout(r, 200));
    expect(back.delivered).toEqual([]);
  });

  it('honours registered_delivery: 2 gets failures only, 0 gets nothing', async () => {
    const { server, registry } = await startServer();
    const app = await application(server.port, 'transceiver');
    const failuresOnly = String((await app.client.submit({ ...SUBMIT, registered_delivery: 2 })).message_id);
    const none = String((await app.client.submit({ ...SUBMIT, registered_delivery: 0 })).message_id);
    expect(await registry.report(failuresOnly, { status: 'DELIVRD' })).toBe('not_requested');
    expect(await registry.report(none, { status: 'UNDELIV' })).toBe('not_requested');
    expect(await registry.report(failuresOnly, { status: 'EXPIRED' })).toBe('queued');
    await waitFor(() => app.delivered.length === 1, 'the failure receipt');
    expect(app.delivered[0]).toMatchObject({ receipted_message_id: failuresOnly, message_state: 3 });
  });
});
