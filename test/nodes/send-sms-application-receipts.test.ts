// Send SMS answering applications bound to our SMPP server: "Report Delivery to Application"
// forwards the carrier's outcome, "Send Receipt to Application" an explicit status.
import type { IDataObject } from 'n8n-workflow';
import type * as smpp from 'smpp';
import { chain, runWorkflow } from '../harness/n8n-harness';
import { memoryApplicationReceipts } from '../../src/dlr/application-receipts';
import { resetCarrierReceiptTrackers } from '../../src/dlr/carrier-receipts';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { clientReceiptRequest } from '../../src/transport/smpp/server/client-receipt';
import { SmppServer } from '../../src/transport/smpp/server/smpp-server';
import { connectLibraryClient } from '../inbound/support/smpp-library-client';
import type { LibraryClient } from '../inbound/support/smpp-library-client';
import { startSandbox, waitFor } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const ACCOUNT = { systemId: 'fwdapp', password: 'fwd-pw' };

describe("Send SMS: receipts for applications bound to the SMS Trigger's SMPP server", () => {
  let smsc: SandboxSmsc;
  let server: SmppServer;
  let app: LibraryClient;
  const delivered: smpp.PDU[] = [];

  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 20, undeliveredTo: ['447911123202'] } });
    server = new SmppServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    // What the SMS Trigger does on each submit (see nodes/SmsTrigger/sources/server-source.ts).
    server.subscribe({
      account: ACCOUNT,
      onSubmit: (pdu, at, systemId, id) =>
        memoryApplicationReceipts().remember(clientReceiptRequest(pdu, id, systemId, at), (r, o) => server.sendReceipt(r, o)),
    });
    app = await connectLibraryClient(server.port);
    delivered.length = 0;
    app.session.on('deliver_sm', (pdu: smpp.PDU) => {
      delivered.push(pdu);
      app.session.send(pdu.response());
    });
    expect(await app.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
  });
  afterEach(async () => {
    await app.close();
    await server.close();
    await closeAllSmppTransports();
    resetCarrierReceiptTrackers();
    await smsc.stop();
  });

  const submit = async (destination: string, registeredDelivery = 1): Promise<string> =>
    String(
      (await app.submit({ source_addr: 'APP', destination_addr: destination, short_message: 'Your table is ready', registered_delivery: registeredDelivery }))
        .message_id,
    );

  const run = (parameters: IDataObject, inputItems: IDataObject[]) =>
    runWorkflow({
      nodes: [{ name: 'SMS', type: SEND, parameters, credentials: smppCredentialRef }],
      connections: chain('Start', 'SMS'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc) },
      credentialTypes,
      inputItems,
    });

  it("forwards two application messages; each application gets the carrier's final state for its own id", async () => {
    const delivers = await submit('447911123201');
    const fails = await submit('447911123202');
    const result = await run({ to: '={{ $json.to }}', message: 'Your table is ready', options: { reportToApplication: '={{ $json.messageIds }}' } }, [
      { to: '+447911123201', messageIds: [delivers] },
      { to: '+447911123202', messageIds: [fails] },
    ]);
    expect(result.status).toBe('success');
    expect(result.items('SMS').map((i) => i.applicationReceipt)).toEqual([
      { messageIds: [delivers], status: 'DELIVRD', results: ['queued'] },
      { messageIds: [fails], status: 'UNDELIV', results: ['queued'] },
    ]);
    await waitFor(() => delivered.length === 2, 'both receipts on the application bind');
    const states = new Map(delivered.map((p) => [String(p.receipted_message_id), p.message_state]));
    expect(states).toEqual(
      new Map([
        [delivers, 2],
        [fails, 5],
      ]),
    );
  });

  it('a message the carrier refuses is reported REJECTD to the application (and the node still reports the failure)', async () => {
    smsc.setFaults({ failDestinations: ['447911123203'], failStatus: 0x0b });
    const refused = await submit('447911123203');
    const result = await run({ to: '+447911123203', message: 'x', options: { reportToApplication: refused } }, [{}]);
    expect(result.status).toBe('error');
    await waitFor(() => delivered.length === 1, 'the REJECTD receipt');
    expect(delivered[0]).toMatchObject({ receipted_message_id: refused, message_state: 8 });
  });

  it('"Send Receipt to Application" answers a filtered-out message with the status the workflow chose', async () => {
    const filtered = await submit('447911123204');
    const result = await run({ operation: 'sendApplicationReceipt', applicationMessageIds: filtered, receiptStatus: 'REJECTD', receiptError: '42' }, [{}]);
    expect(result.items('SMS')).toEqual([{ messageIds: [filtered], status: 'REJECTD', results: ['queued'] }]);
    await waitFor(() => delivered.length === 1, 'the receipt');
    expect(delivered[0]).toMatchObject({ receipted_message_id: filtered, message_state: 8 });
    expect(String((delivered[0].short_message as { message?: string }).message ?? delivered[0].short_message)).toMatch(/stat:REJECTD err:042/);
    expect(smsc.store.list()).toHaveLength(0); // nothing was sent to the carrier
  });

  it('"Send Receipt to Application" for an id nobody asked a receipt for says so, and bad values name the field', async () => {
    const noReceipt = await submit('447911123205', 0);
    const quiet = await run({ operation: 'sendApplicationReceipt', applicationMessageIds: noReceipt, receiptStatus: 'DELIVRD' }, [{}]);
    expect(quiet.items('SMS')[0]).toMatchObject({ results: ['not_requested'], note: expect.stringMatching(/asked for no receipt/) });
    const bad = await run({ operation: 'sendApplicationReceipt', applicationMessageIds: noReceipt, receiptError: 'abc' }, [{}]);
    expect(bad.error?.message).toMatch(/Error Code must be up to 3 digits/);
    expect(delivered).toEqual([]);
  });
});

describe("Send SMS in n8n's editor", () => {
  it('keeps Operation on the panel: no credential names a parameter in a `show` rule (see test/nodes/editor-layout.test.ts)', () => {
    // n8n's editor takes parameters named in the credentials' displayOptions.show for the node's
    // authentication and hides what they depend on, Operation included; `hide` rules it never reads.
    const { credentials = [], properties } = nodeTypes[SEND].description;
    expect(credentials.filter((c) => c.displayOptions?.show).map((c) => c.name)).toEqual([]);
    expect(properties.find((p) => p.name === 'operation')?.displayOptions).toBeUndefined();
  });
});
