// Send SMS's Query, Cancel and Replace Sent Message through n8n's engine, against the sandbox SMSC
// over TCP (which holds scheduled messages until their time) and a carrier without the commands.
import type { IDataObject } from 'n8n-workflow';
import * as smpp from 'smpp';
import type { AddressInfo } from 'net';
import { chain, connect, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox, waitFor } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';

describe('Send SMS: query, cancel and replace a sent message', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 20 } });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  /** Send (scheduled `inMs` from now) then `operation` on the IDs it returned, in one workflow. */
  const sendThen = (inMs: number | null, then: IDataObject, extra: { continueOnFail?: boolean; credential?: IDataObject } = {}) => {
    const connections = chain('Start', 'Send');
    connect(connections, 'Send', 'Then', 0);
    return runWorkflow({
      nodes: [
        {
          name: 'Send',
          type: SEND,
          parameters: {
            to: '={{ $json.to }}',
            message: '={{ $json.text }}',
            options: inMs === null ? {} : { scheduleAt: new Date(Date.now() + inMs).toISOString() },
          },
          credentials: smppCredentialRef,
        },
        {
          name: 'Then',
          type: SEND,
          parameters: { messageIds: '={{ $json.messageIds }}', ...then },
          credentials: smppCredentialRef,
          continueOnFail: extra.continueOnFail,
        },
      ],
      connections,
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, extra.credential) },
      credentialTypes,
      inputItems: [{ to: '+447911123101', text: 'Dentist tomorrow at 10:00' }],
    });
  };

  it('queries a scheduled message (ENROUTE), cancels it, and the phone never gets it', async () => {
    const queried = await sendThen(3000, { operation: 'queryMessage' });
    expect(queried.status).toBe('success');
    const [state] = queried.items('Then');
    expect(state).toMatchObject({ state: 'ENROUTE', final: false, finalDate: null });
    expect(state.messageIds).toEqual(queried.items('Send')[0].messageIds);

    const cancelled = await sendThen(3000, { operation: 'cancelMessage' });
    // Both were due at most 3 s after this; the schedules are long so a loaded machine cannot
    // deliver a message before its query or cancel reaches the SMSC.
    const dueBy = Date.now() + 3000;
    expect(cancelled.items('Then')).toEqual([{ messageIds: cancelled.items('Send')[0].messageIds, status: 'cancelled' }]);
    await waitFor(() => smsc.store.list({ to: '447911123101' }).length >= 1, 'the first message', 15000);
    await new Promise((r) => setTimeout(r, Math.max(0, dueBy + 1000 - Date.now())));
    // The first (not cancelled) reached the phone; the cancelled one never does.
    expect(smsc.store.list({ to: '447911123101' }).map((m) => m.id)).toEqual(queried.items('Send')[0].messageIds);
  });

  it('replaces the text of a scheduled message: the phone gets the new one', async () => {
    const run = await sendThen(2500, { operation: 'replaceMessage', newMessage: 'Dentist moved to Friday 9:00' });
    expect(run.items('Then')).toMatchObject([{ status: 'replaced' }]);
    await waitFor(() => smsc.store.list({ to: '447911123101' }).length === 1, 'the replaced message', 15000);
    expect(smsc.store.list({ to: '447911123101' })[0].text).toBe('Dentist moved to Friday 9:00');
  });

  it('queries a delivered message as DELIVERED, and a cancel of it fails naming ESME_RCANCELFAIL', async () => {
    const run = await sendThen(null, { operation: 'queryMessage' });
    expect(run.items('Then')[0]).toMatchObject({ state: 'DELIVERED', final: true });
    const late = await sendThen(null, { operation: 'cancelMessage' });
    expect(late.status).toBe('error');
    expect(late.error?.message).toMatch(/refused the cancel_sm of message .*ESME_RCANCELFAIL: it cannot be cancelled/);
  });

  it('names the field when the new text needs more than one part, or the IDs are of a long message', async () => {
    const long = await sendThen(3000, { operation: 'replaceMessage', newMessage: 'x'.repeat(200) });
    expect(long.status).toBe('error');
    expect(long.error?.message).toMatch(/replace_sm carries one SMS part, and the new text needs 2/);
    expect(long.error?.description).toBe('Check "New Message" (item 0)');
  });

  it('with the modem transport: a clear error, nothing asked of anyone', async () => {
    const run = await runWorkflow({
      nodes: [{ name: 'Then', type: SEND, parameters: { operation: 'cancelMessage', transport: 'modem', messageIds: 'abc' }, credentials: smppCredentialRef }],
      connections: chain('Start', 'Then'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc) },
      credentialTypes,
      inputItems: [{}],
    });
    expect(run.status).toBe('error');
    expect(run.error?.message).toMatch(/^Cancel Sent Message works over an SMPP carrier: a GSM modem cannot/);
  });
});

describe('Send SMS: a carrier that answers generic_nack to query_sm', () => {
  let server: ReturnType<typeof smpp.createServer>;
  let port: number;
  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    server = smpp.createServer({}, (session) => {
      session.on('bind_transceiver', (pdu: smpp.PDU) => session.send(pdu.response({ system_id: 'old-smsc' })));
      session.on('unbind', (pdu: smpp.PDU) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('query_sm', (pdu: smpp.PDU) =>
        session.send(new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: smpp.errors.ESME_RINVCMDID })),
      );
      session.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await closeAllSmppTransports();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const query = (continueOnFail: boolean, onError?: 'continueErrorOutput') =>
    runWorkflow({
      nodes: [
        {
          name: 'Query',
          type: SEND,
          parameters: { operation: 'queryMessage', messageIds: '={{ $json.id }}' },
          credentials: smppCredentialRef,
          continueOnFail,
          onError,
        },
      ],
      connections: chain('Start', 'Query'),
      nodeTypes,
      credentials: {
        smppApi: {
          host: '127.0.0.1',
          port,
          systemId: 'x',
          password: 'y',
          sourceAddress: 'CITYALERT',
          tps: 0,
          windowSize: 10,
          enquireLinkSeconds: 0,
          responseTimeoutSeconds: 5,
        },
      },
      credentialTypes,
      inputItems: [{ id: '4f1' }],
    });

  it('fails saying the carrier does not support query_sm', async () => {
    const run = await query(false);
    expect(run.status).toBe('error');
    expect(run.error?.message).toMatch(/^this carrier does not support query_sm: .*generic_nack with ESME_RINVCMDID/);
  });

  it('with Continue On Fail: a failed item with the same words', async () => {
    const run = await query(true);
    expect(run.status).toBe('success');
    expect(run.items('Query')).toEqual([{ messageIds: ['4f1'], status: 'failed', error: expect.stringMatching(/^this carrier does not support query_sm/) }]);
  });

  it("with the error output: the item leaves by it, with the input item's fields, error and details", async () => {
    const run = await query(false, 'continueErrorOutput');
    expect(run.status).toBe('success');
    expect(run.items('Query', 0)).toEqual([]);
    expect(run.items('Query', 1)).toEqual([
      { id: '4f1', error: expect.stringMatching(/^this carrier does not support query_sm/), details: { messageIds: ['4f1'], status: 'failed' } },
    ]);
  });
});
