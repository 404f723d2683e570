// A carrier answering query_sm / cancel_sm wrongly: another message's state, a response of
// the wrong command, and twice.
import * as smpp from 'smpp';
import type { AddressInfo } from 'net';
import { SmppTransport } from '../../../../src/transport/smpp/smpp-transport';
import { SentMessageControl } from '../../../../src/transport/smpp/sent';

describe('hostile answers to query_sm and cancel_sm', () => {
  let server: ReturnType<typeof smpp.createServer>;
  let port: number;
  beforeAll(async () => {
    server = smpp.createServer({}, (session) => {
      session.on('error', () => undefined);
      session.on('bind_transceiver', (pdu: smpp.PDU) => session.send(pdu.response({ system_id: 'hostile' })));
      session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
      session.on('unbind', (pdu: smpp.PDU) => {
        session.send(pdu.response());
        session.close();
      });
      // query_sm: the state of ANOTHER message (DELIVERED), and the answer sent twice.
      session.on('query_sm', (pdu: smpp.PDU) => {
        const resp = { message_id: 'someone-elses-id', message_state: 2, final_date: '', error_code: 0 };
        session.send(pdu.response(resp));
        session.send(pdu.response({ ...resp, message_state: 5 }));
      });
      // cancel_sm: answered with a query_sm_resp (wrong command), status 0.
      session.on('cancel_sm', (pdu: smpp.PDU) =>
        session.send(new smpp.PDU('query_sm_resp', { sequence_number: pdu.sequence_number, message_id: 'x', message_state: 1, final_date: '', error_code: 0 })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const open = async () => {
    const t = new SmppTransport({ host: '127.0.0.1', port, systemId: 'x', password: 'y', enquireLinkMs: 0, responseTimeoutMs: 1000 });
    t.on('error', () => undefined);
    await t.start();
    return t;
  };

  it('a query_sm_resp naming another message is not taken as the state of the one asked for', async () => {
    const t = await open();
    try {
      const control = new SentMessageControl(t);
      const answer = await control.query('my-id-123', { ton: 5, npi: 0, addr: 'CITYALERT' }).catch((e: Error) => e);
      // Either a clear error, or at least the state reported for my-id-123 must not be another message's.
      expect(answer instanceof Error ? 'error' : { id: answer.messageId, state: answer.state }).not.toEqual({ id: 'someone-elses-id', state: 'DELIVERED' });
    } finally {
      await t.close(100);
    }
  });

  it('a cancel_sm answered with a query_sm_resp is not reported as cancelled', async () => {
    const t = await open();
    try {
      const control = new SentMessageControl(t);
      const outcome = await control.cancel('my-id-123', { ton: 5, npi: 0, addr: 'CITYALERT' }).then(
        () => 'cancelled',
        (e: Error) => e.message,
      );
      expect(outcome).not.toBe('cancelled');
    } finally {
      await t.close(100);
    }
  });
});
