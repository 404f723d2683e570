import type { AddressInfo } from 'net';
import * as smpp from 'smpp';

/** One submit_sm that reached the SMSC: its destination, when (performance.now()), its session. */
export interface HeldSubmit {
  to: string;
  at: number;
  pdu: smpp.PDU;
  session: smpp.Session;
  answered: boolean;
}

/**
 * A scripted SMSC over real TCP (the `smpp` library, none of our code): it takes any bind and
 * holds every submit_sm without an answer until the test answers it (answer), so a test decides
 * what is in flight, what the carrier says and when. `submits` lists every submit_sm that arrived.
 */
export interface HeldAnswerSmsc {
  port: number;
  submits: HeldSubmit[];
  binds: number;
  /** Answers `s` with `status` (0: accepted with an id). */
  answer(s: HeldSubmit, status?: number): void;
  /** Answers every submit not answered yet. */
  answerAll(status?: number): void;
  /** Answers every submit from now on at once with ESME_ROK. */
  autoAccept: boolean;
  /** Closes every session (a link drop). */
  dropAll(): void;
  stop(): Promise<void>;
}

export async function startHeldAnswerSmsc(): Promise<HeldAnswerSmsc> {
  const sessions = new Set<smpp.Session>();
  let next = 1;
  const smsc: HeldAnswerSmsc = {
    port: 0,
    submits: [],
    binds: 0,
    autoAccept: false,
    answer(s, status = 0) {
      if (s.answered) return;
      s.answered = true;
      s.session.send(s.pdu.response(status === 0 ? { message_id: `held-${next++}` } : { command_status: status }));
    },
    answerAll(status = 0) {
      for (const s of smsc.submits) smsc.answer(s, status);
    },
    dropAll() {
      for (const s of sessions) s.destroy();
    },
    stop: async () => undefined,
  };
  const server = smpp.createServer({}, (session) => {
    sessions.add(session);
    for (const bind of ['bind_transceiver', 'bind_transmitter', 'bind_receiver']) {
      session.on(bind, (pdu: smpp.PDU) => {
        smsc.binds++;
        session.send(pdu.response({ system_id: 'held-smsc' }));
      });
    }
    session.on('submit_sm', (pdu: smpp.PDU) => {
      const held: HeldSubmit = { to: String(pdu.destination_addr), at: performance.now(), pdu, session, answered: false };
      smsc.submits.push(held);
      if (smsc.autoAccept) smsc.answer(held);
    });
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('error', () => undefined);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smsc.port = (server.address() as AddressInfo).port;
  smsc.stop = async () => {
    for (const s of sessions) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return smsc;
}

/** Waits until check() is true, polling; fails with `what` after timeoutMs. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
