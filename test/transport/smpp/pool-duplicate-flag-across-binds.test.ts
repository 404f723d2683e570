// Several binds; a carrier answers one submit twice (ESME_RTHROTTLED, then ESME_ROK on the
// same sequence: it took it after all), then that bind drops and cannot rebind. The message goes to
// the other bind, which refuses it. The carrier has the message: the failure must be
// possible_duplicate (retryElsewhere false), never "refused" (another route would send it twice).
import * as smpp from 'smpp';
import type { AddressInfo } from 'net';
import { SmppBindPool } from '../../../src/transport/smpp/bind-pool';
import { classifySubmitError, mayRetryElsewhere } from '../../../src/gateway/failure-class';
import { SmppSubmitError } from '../../../src/transport/smpp/types';
import { simpleSubmit } from '../../support/messages';

describe('duplicate flag carried across binds', () => {
  let server: ReturnType<typeof smpp.createServer>;
  let port: number;
  let binds = 0;
  let tricked = false;
  const accepted: string[] = [];
  beforeAll(async () => {
    server = smpp.createServer({}, (session) => {
      session.on('error', () => undefined);
      session.on('bind_transceiver', (pdu: smpp.PDU) => {
        binds++;
        session.send(pdu.response(binds <= 2 ? { system_id: 'hostile' } : { command_status: smpp.errors.ESME_RBINDFAIL }));
      });
      session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
      session.on('unbind', (pdu: smpp.PDU) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('submit_sm', (pdu: smpp.PDU) => {
        if (!tricked) {
          tricked = true;
          session.send(pdu.response({ command_status: smpp.errors.ESME_RTHROTTLED }));
          accepted.push('msg-1');
          session.send(pdu.response({ message_id: 'msg-1' }));
          setImmediate(() => session.socket.destroy());
          return;
        }
        session.send(pdu.response({ command_status: smpp.errors.ESME_RINVDSTADR }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('the refusal on bind 2 of a message bind 1 accepted is classified possible_duplicate', async () => {
    const pool = new SmppBindPool({
      host: '127.0.0.1',
      port,
      systemId: 'x',
      password: 'y',
      binds: 2,
      windowSize: 1,
      reconnectAttempts: 1,
      reconnectBaseMs: 10,
      reconnectMaxMs: 50,
      enquireLinkMs: 0,
      responseTimeoutMs: 2000,
    });
    pool.on('error', () => undefined);
    await pool.start();
    await new Promise((r) => setTimeout(r, 200)); // both binds up
    let err: unknown;
    try {
      await pool.submit(simpleSubmit('447911123101', 'reminder'));
    } catch (e) {
      err = e;
    } finally {
      await pool.close(200);
    }
    expect(accepted).toEqual(['msg-1']);
    expect(err).toBeInstanceOf(SmppSubmitError);
    const failure = classifySubmitError(err);
    expect({ failure, retryElsewhere: mayRetryElsewhere(failure), possibleDuplicate: (err as SmppSubmitError).possibleDuplicate }).toEqual({
      failure: 'possible_duplicate',
      retryElsewhere: false,
      possibleDuplicate: true,
    });
  }, 20_000);
});
