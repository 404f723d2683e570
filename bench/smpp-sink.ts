/**
 * An SMSC sink written on the `smpp` library, in its own process (started by SmppSinkChild): it
 * accepts any bind and answers every submit_sm with ESME_ROK after a `setTimeout` of the set
 * latency, each answer written on its own (as a carrier's answers arrive: one by one, not in
 * bursts). Not our sandbox, so a benchmark against it measures the client, not our server's
 * batching. Controlled over IPC; its own CPU is reported apart from the client's.
 */
import * as smpp from 'smpp';

type Command = { id: number; cmd: 'latency'; ms: number } | { id: number; cmd: 'stats' } | { id: number; cmd: 'reset' } | { id: number; cmd: 'stop' };

/** What the library's session and PDU objects offer that the sink uses (its types are loose). */
interface SinkPdu {
  command: string;
  response(options?: Record<string, unknown>): SinkPdu;
}
interface SinkSession {
  socket: { setNoDelay(on: boolean): void };
  on(event: string, listener: (pdu: SinkPdu) => void): void;
  send(pdu: SinkPdu): boolean;
  close(): void;
}

let latencyMs = Number(process.env.SINK_LATENCY_MS ?? 0);
let accepted = 0;
let nextId = 1;
let cpuStart = process.cpuUsage();
const sessions = new Set<SinkSession>();

const server = (
  smpp.createServer as unknown as (listener: (s: SinkSession) => void) => {
    listen(port: number, host: string, cb: () => void): void;
    address(): { port: number };
    close(): void;
  }
)((session) => {
  sessions.add(session);
  session.socket.setNoDelay(true); // a real SMSC answers each submit when it is done, not when Nagle lets it
  const bind = (pdu: SinkPdu): void => {
    session.send(pdu.response({ system_id: 'SINK' }));
  };
  session.on('bind_transceiver', bind);
  session.on('bind_transmitter', bind);
  session.on('bind_receiver', bind);
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => {
    session.send(pdu.response());
    session.close();
  });
  session.on('submit_sm', (pdu) => {
    const answer = (): void => {
      accepted++;
      session.send(pdu.response({ message_id: String(nextId++) }));
    };
    if (latencyMs > 0) setTimeout(answer, latencyMs);
    else answer();
  });
  session.on('close', () => sessions.delete(session));
  session.on('error', () => sessions.delete(session));
});

server.listen(Number(process.env.SINK_PORT ?? 0), '127.0.0.1', () => {
  const send = (msg: object): void => {
    process.send?.(msg);
  };
  process.on('message', (raw: Command) => {
    switch (raw.cmd) {
      case 'latency':
        latencyMs = raw.ms;
        return send({ id: raw.id, ok: true });
      case 'reset':
        accepted = 0;
        cpuStart = process.cpuUsage();
        return send({ id: raw.id, ok: true });
      case 'stats': {
        const cpu = process.cpuUsage(cpuStart);
        return send({ id: raw.id, accepted, cpuMicros: cpu.user + cpu.system });
      }
      case 'stop':
        for (const s of sessions) s.close();
        server.close();
        process.exit(0);
    }
  });
  send({ ready: true, port: server.address().port });
});
