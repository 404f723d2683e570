import type { AddressInfo } from 'net';
import * as smpp from 'smpp';

/**
 * An SMSC written on the `smpp` library alone (its own socket, reader and PDU decoder, none of
 * ours): an independent peer for checking what our client puts on the wire. It takes any bind and
 * answers every submit_sm with a message id; `submits` holds the PDUs as the library decoded them
 * (vendor TLVs it does not know appear under their numeric tag as Buffers).
 */
export interface LibrarySmsc {
  port: number;
  submits: smpp.PDU[];
  stop(): Promise<void>;
}

export async function startLibrarySmsc(): Promise<LibrarySmsc> {
  const submits: smpp.PDU[] = [];
  const sessions = new Set<smpp.Session>();
  let next = 1;
  const server = smpp.createServer({}, (session) => {
    sessions.add(session);
    const answer = (pdu: smpp.PDU, fields: Record<string, unknown> = {}): void => {
      session.send(pdu.response(fields));
    };
    for (const bind of ['bind_transceiver', 'bind_transmitter', 'bind_receiver']) {
      session.on(bind, (pdu: smpp.PDU) => answer(pdu, { system_id: 'library-smsc' }));
    }
    session.on('submit_sm', (pdu: smpp.PDU) => {
      submits.push(pdu);
      answer(pdu, { message_id: `lib-${next++}` });
    });
    session.on('enquire_link', (pdu: smpp.PDU) => answer(pdu));
    session.on('unbind', (pdu: smpp.PDU) => {
      answer(pdu);
      session.close();
    });
    session.on('error', () => undefined);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    submits,
    stop: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
