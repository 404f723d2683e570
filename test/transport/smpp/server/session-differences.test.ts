import { CommandId } from '../../../../src/transport/smpp/pdu/command-ids';
import { decodeFrame, encodeEmptyRequest, encodeGeneric, encodeSimpleResponse, responseIdFor } from '../../../../src/transport/smpp/pdu/pdu-codec';
import { encodeMessagePdu } from '../../../../src/transport/smpp/pdu/message-pdu';
import { Status } from '../../../../src/transport/smpp/command-status';
import { SmppServer } from '../../../../src/transport/smpp/server/smpp-server';
import type { SandboxSmsc } from '../../../../src/sandbox/sandbox-smsc';
import type { SandboxOptions } from '../../../../src/sandbox/types';
import { startSandbox, waitFor } from '../../../support/sandbox';
import { simpleSubmit } from '../../../support/messages';
import { RawPeer } from '../../../security/support/raw-peer';
import type { WireFrame } from '../../../security/support/raw-peer';

/**
 * The sandbox SMSC and SMS Trigger's server mode run one SMPP server session core
 * (src/transport/smpp/server/session-core.ts). The first block holds what both answer alike, PDU
 * for PDU, over real TCP; the second pins each place where they differ on purpose: server mode
 * faces the internet (a refused bind ends the connection, nothing after an unbind is looked at,
 * a submit in hand is answered before unbind_resp), the sandbox is a carrier for tests (latency
 * and stalls hold every answer, a refused bind may be retried on the same connection).
 */

const ACCOUNT = { systemId: 'app', password: 'secret' };
const UNKNOWN_COMMAND = 0x00000077;
const BIND_TRANSMITTER_RESP = responseIdFor(CommandId.bindTransmitter);
const BIND_TRANSCEIVER_RESP = responseIdFor(CommandId.bindTransceiver);

/** One side under test: its port and how to stop it. */
interface Side {
  port: number;
  stop(): Promise<void>;
}

async function sandboxSide(options: SandboxOptions = {}): Promise<Side & { smsc: SandboxSmsc }> {
  const smsc = await startSandbox({ accounts: [ACCOUNT], ...options });
  return { smsc, port: smsc.port, stop: () => smsc.stop() };
}

async function serverSide(onSubmit: (text: string) => Promise<void> = async () => undefined): Promise<Side & { server: SmppServer }> {
  const server = new SmppServer({ host: '127.0.0.1', port: 0, maxConnectionsPerAddress: 100 });
  await server.start();
  server.subscribe({ account: ACCOUNT, onSubmit: (pdu) => onSubmit(pdu.shortMessage.toString('latin1')) });
  return { server, port: server.port, stop: () => server.close() };
}

const SIDES: Array<[string, () => Promise<Side>]> = [
  ['sandbox', () => sandboxSide()],
  ['server mode', () => serverSide()],
];

function frame(commandId: number, sequence: number, body = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(16 + body.length);
  out.writeUInt32BE(out.length, 0);
  out.writeUInt32BE(commandId, 4);
  out.writeUInt32BE(0, 8);
  out.writeUInt32BE(sequence, 12);
  body.copy(out, 16);
  return out;
}

function submit(sequence: number, to = '447700900001', text = 'hello'): Buffer {
  return encodeMessagePdu(CommandId.submitSm, sequence, simpleSubmit(to, text));
}

async function answer(peer: RawPeer, sequence: number, what: string): Promise<WireFrame> {
  const found = await peer.waitForAnswer(sequence, what);
  if (!found) throw new Error(`the connection closed before the ${what}`);
  return found;
}

describe('SMPP server session core: the sandbox and server mode answer alike', () => {
  let side: Side | null = null;
  const peers: RawPeer[] = [];

  async function open(start: () => Promise<Side>): Promise<RawPeer> {
    side = await start();
    const peer = await RawPeer.connect(side.port);
    peers.push(peer);
    return peer;
  }

  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await side?.stop();
    side = null;
  });

  it.each(SIDES)(
    '%s: before a bind, answers enquire_link, refuses submit_sm with ESME_RINVBNDSTS and an unknown command with generic_nack ESME_RINVBNDSTS',
    async (_name, start) => {
      const peer = await open(start);
      peer.send(Buffer.concat([encodeEmptyRequest(CommandId.enquireLink, 1), submit(2), frame(UNKNOWN_COMMAND, 3)]));
      expect(await answer(peer, 1, 'enquire_link_resp')).toMatchObject({ commandId: CommandId.enquireLinkResp, status: 0 });
      expect(await answer(peer, 2, 'submit_sm_resp')).toMatchObject({ commandId: CommandId.submitSmResp, status: Status.invalidBindStatus });
      expect(await answer(peer, 3, 'generic_nack')).toMatchObject({ commandId: CommandId.genericNack, status: Status.invalidBindStatus });
      expect(peer.closed).toBe(false);
    },
  );

  it.each(SIDES)(
    '%s: once bound, refuses a second bind with ESME_RALYBND, an unknown command with ESME_RINVCMDID, a malformed submit with generic_nack, and stays bound',
    async (_name, start) => {
      const peer = await open(start);
      expect(await peer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
      peer.send(
        Buffer.concat([
          encodeGeneric('bind_transceiver', 2, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }),
          frame(UNKNOWN_COMMAND, 3),
          frame(CommandId.submitSm, 4, Buffer.from([0x00, 0x05])), // cut off inside the source address
          submit(5),
        ]),
      );
      expect(await answer(peer, 2, 'bind_transceiver_resp')).toMatchObject({ commandId: BIND_TRANSCEIVER_RESP, status: Status.alreadyBound });
      expect(await answer(peer, 3, 'generic_nack')).toMatchObject({ commandId: CommandId.genericNack, status: Status.invalidCommandId });
      const malformed = await answer(peer, 4, 'generic_nack');
      expect(malformed.commandId).toBe(CommandId.genericNack);
      expect(malformed.status).not.toBe(0);
      expect(await answer(peer, 5, 'submit_sm_resp')).toMatchObject({ commandId: CommandId.submitSmResp, status: 0 });
    },
  );

  it.each(SIDES)('%s: refuses submit_sm on a receiver bind with ESME_RINVBNDSTS', async (_name, start) => {
    const peer = await open(start);
    expect(await peer.bind('receiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    peer.send(submit(2));
    expect(await answer(peer, 2, 'submit_sm_resp')).toMatchObject({ status: Status.invalidBindStatus });
  });

  it.each(SIDES)('%s: answers unbind with unbind_resp and closes', async (_name, start) => {
    const peer = await open(start);
    expect(await peer.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    peer.send(encodeEmptyRequest(CommandId.unbind, 2));
    expect(await answer(peer, 2, 'unbind_resp')).toMatchObject({ commandId: CommandId.unbindResp, status: 0 });
    await peer.closedPromise;
  });

  it.each(SIDES)('%s: answers a bad command_length with generic_nack ESME_RINVCMDLEN (sequence 0) and closes', async (_name, start) => {
    const peer = await open(start);
    const bad = Buffer.alloc(16);
    bad.writeUInt32BE(8, 0); // shorter than the header
    peer.send(bad);
    await peer.closedPromise;
    expect(peer.frames).toEqual([expect.objectContaining({ commandId: CommandId.genericNack, status: Status.invalidCommandLength, sequence: 0 })]);
  });
});

describe('SMPP server session core: where the sandbox and server mode differ on purpose', () => {
  const stops: Array<() => Promise<void>> = [];
  const peers: RawPeer[] = [];

  async function connect(port: number, options: { answerRequests?: boolean } = {}): Promise<RawPeer> {
    const peer = await RawPeer.connect(port, options);
    peers.push(peer);
    return peer;
  }

  async function sandbox(options: SandboxOptions = {}): Promise<SandboxSmsc> {
    const side = await sandboxSide(options);
    stops.push(side.stop);
    return side.smsc;
  }

  async function server(onSubmit?: (text: string) => Promise<void>): Promise<SmppServer> {
    const side = await serverSide(onSubmit);
    stops.push(side.stop);
    return side.server;
  }

  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    for (const stop of stops.splice(0)) await stop();
  });

  it('a refused bind: the sandbox keeps the connection for another try, server mode closes it', async () => {
    const smsc = await sandbox();
    const carrierPeer = await connect(smsc.port);
    expect(await carrierPeer.bind('transmitter', ACCOUNT.systemId, 'wrong', 1)).toBe(Status.invalidPassword);
    expect(await carrierPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password, 2)).toBe(0);

    const listener = await server();
    const appPeer = await connect(listener.port);
    // Were the connection kept, this enquire_link would be answered long before the bind timeout closes it.
    appPeer.send(
      Buffer.concat([encodeGeneric('bind_transmitter', 1, { system_id: ACCOUNT.systemId, password: 'wrong' }), encodeEmptyRequest(CommandId.enquireLink, 2)]),
    );
    expect(await answer(appPeer, 1, 'bind_transmitter_resp')).toMatchObject({ status: Status.invalidPassword });
    await appPeer.closedPromise;
    expect(appPeer.frames.map((f) => f.sequence)).toEqual([1]);
  });

  it('an unreadable bind: the sandbox answers it and keeps the connection, server mode answers it and closes', async () => {
    const cutOff = frame(CommandId.bindTransmitter, 1); // no body at all: no system_id, no password
    const smsc = await sandbox();
    const carrierPeer = await connect(smsc.port);
    carrierPeer.send(cutOff);
    expect((await answer(carrierPeer, 1, 'bind_transmitter_resp')).status).not.toBe(0);
    expect(await carrierPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password, 2)).toBe(0);

    const listener = await server();
    const appPeer = await connect(listener.port);
    appPeer.send(Buffer.concat([cutOff, encodeEmptyRequest(CommandId.enquireLink, 2)]));
    expect((await answer(appPeer, 1, 'bind_transmitter_resp')).status).not.toBe(0);
    await appPeer.closedPromise;
    expect(appPeer.frames.map((f) => f.sequence)).toEqual([1]);
  });

  it('bind_resp names the sandbox "SANDBOX" and server mode by its serverSystemId (default "n8n")', async () => {
    const systemIdOf = (found: WireFrame): unknown => {
      const decoded = decodeFrame(found.frame);
      return decoded.kind === 'generic' ? decoded.pdu.system_id : undefined;
    };
    const carrierPeer = await connect((await sandbox()).port);
    expect(await carrierPeer.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    expect(systemIdOf(carrierPeer.frames[0])).toBe('SANDBOX');
    const appPeer = await connect((await server()).port);
    expect(await appPeer.bind('transceiver', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    expect(systemIdOf(appPeer.frames[0])).toBe('n8n');
  });

  it('a stalled sandbox holds enquire_link_resp and bind_resp (answers wait their turn); server mode answers them at once', async () => {
    const smsc = await sandbox({ faults: { stalled: true } });
    const requests = Buffer.concat([
      encodeEmptyRequest(CommandId.enquireLink, 1),
      encodeGeneric('bind_transceiver', 2, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }),
      frame(UNKNOWN_COMMAND, 3), // generic_nack goes out at once, never behind the held answers
    ]);
    const carrierPeer = await connect(smsc.port);
    carrierPeer.send(requests);
    // The bind took effect when it was read, though its bind_resp is held: ESME_RINVCMDID, not ESME_RINVBNDSTS.
    expect(await answer(carrierPeer, 3, 'generic_nack')).toMatchObject({ status: Status.invalidCommandId });
    expect(carrierPeer.frames.map((f) => f.sequence)).toEqual([3]);
    smsc.setFaults({ stalled: false });
    expect(await answer(carrierPeer, 1, 'enquire_link_resp')).toMatchObject({ status: 0 });
    expect(await answer(carrierPeer, 2, 'bind_transceiver_resp')).toMatchObject({ status: 0 });
    expect(carrierPeer.frames.map((f) => f.sequence)).toEqual([3, 1, 2]);

    const appPeer = await connect((await server()).port);
    appPeer.send(requests);
    expect(await answer(appPeer, 3, 'generic_nack')).toMatchObject({ status: Status.invalidCommandId });
    expect(appPeer.frames.map((f) => f.sequence)).toEqual([1, 2, 3]);
  });

  it('a submit with an empty destination: the sandbox takes it, server mode refuses it with ESME_RINVDSTADR', async () => {
    const carrierPeer = await connect((await sandbox()).port);
    expect(await carrierPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    carrierPeer.send(submit(2, ''));
    expect(await answer(carrierPeer, 2, 'submit_sm_resp')).toMatchObject({ status: 0 });

    const appPeer = await connect((await server()).port);
    expect(await appPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    appPeer.send(submit(2, ''));
    expect(await answer(appPeer, 2, 'submit_sm_resp')).toMatchObject({ status: Status.invalidDestination });
  });

  it('the peer unbinds with a submit in hand: the sandbox answers unbind at once (the held submit_sm_resp never goes), server mode answers the submit first', async () => {
    const smsc = await sandbox();
    const carrierPeer = await connect(smsc.port);
    expect(await carrierPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    smsc.setFaults({ latencyMs: 60_000 });
    carrierPeer.send(Buffer.concat([submit(2), encodeEmptyRequest(CommandId.unbind, 3)]));
    await carrierPeer.closedPromise;
    expect(carrierPeer.responses().map((f) => f.commandId)).toEqual([BIND_TRANSMITTER_RESP, CommandId.unbindResp]);

    let release = (): void => undefined;
    const listener = await server(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const appPeer = await connect(listener.port);
    expect(await appPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    appPeer.send(Buffer.concat([submit(2), encodeEmptyRequest(CommandId.unbind, 3)]));
    await waitFor(() => listener.stats.submits === 1, 'the submit to reach the trigger');
    release();
    await appPeer.closedPromise;
    expect(appPeer.responses().map((f) => [f.commandId, f.sequence])).toEqual([
      [BIND_TRANSMITTER_RESP, 1],
      [CommandId.submitSmResp, 2],
      [CommandId.unbindResp, 3],
    ]);
  });

  it("requests read after the peer's unbind: the sandbox still takes a pipelined submit (unanswered), server mode looks at nothing more", async () => {
    const smsc = await sandbox();
    const carrierPeer = await connect(smsc.port);
    expect(await carrierPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    carrierPeer.send(Buffer.concat([encodeEmptyRequest(CommandId.unbind, 2), submit(3, '447700900003', 'after unbind')]));
    await carrierPeer.closedPromise;
    expect(carrierPeer.responses().map((f) => f.commandId)).toEqual([BIND_TRANSMITTER_RESP, CommandId.unbindResp]);
    expect(smsc.store.list().map((m) => m.text)).toEqual(['after unbind']);

    const taken: string[] = [];
    const listener = await server(async (text) => void taken.push(text));
    const appPeer = await connect(listener.port);
    expect(await appPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    appPeer.send(Buffer.concat([encodeEmptyRequest(CommandId.unbind, 2), submit(3, '447700900003', 'after unbind')]));
    await appPeer.closedPromise;
    expect(appPeer.responses().map((f) => f.commandId)).toEqual([BIND_TRANSMITTER_RESP, CommandId.unbindResp]);
    expect(taken).toEqual([]);
    expect(listener.stats.submits).toBe(0);
  });

  it('while the SMSC side asks the peer to unbind: the sandbox refuses new submits with ESME_RINVBNDSTS, server mode still takes them', async () => {
    const smsc = await sandbox();
    const carrierPeer = await connect(smsc.port);
    expect(await carrierPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    expect(smsc.unbindSessions()).toBe(1);
    await carrierPeer.waitUntil(() => carrierPeer.frames.some((f) => f.commandId === CommandId.unbind), "the sandbox's unbind");
    carrierPeer.send(submit(2));
    expect(await answer(carrierPeer, 2, 'submit_sm_resp')).toMatchObject({ status: Status.invalidBindStatus });

    const taken: string[] = [];
    const listener = await server(async (text) => void taken.push(text));
    const appPeer = await connect(listener.port);
    expect(await appPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    const closing = listener.close();
    await appPeer.waitUntil(() => appPeer.frames.some((f) => f.commandId === CommandId.unbind), "the server's unbind");
    appPeer.send(submit(2, '447700900002', 'while closing'));
    expect(await answer(appPeer, 2, 'submit_sm_resp')).toMatchObject({ status: 0 });
    expect(taken).toEqual(['while closing']);
    await closing;
  });

  it('an unbind_resp with another sequence number: the sandbox waits for its own, server mode closes on any while closing', async () => {
    const smsc = await sandbox();
    const carrierPeer = await connect(smsc.port);
    expect(await carrierPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    smsc.unbindSessions();
    await carrierPeer.waitUntil(() => carrierPeer.frames.some((f) => f.commandId === CommandId.unbind), "the sandbox's unbind");
    const unbind = carrierPeer.frames.find((f) => f.commandId === CommandId.unbind) as WireFrame;
    carrierPeer.send(Buffer.concat([encodeSimpleResponse(CommandId.unbindResp, 0, unbind.sequence + 100), encodeEmptyRequest(CommandId.enquireLink, 2)]));
    expect(await answer(carrierPeer, 2, 'enquire_link_resp')).toMatchObject({ status: 0 });
    expect(carrierPeer.closed).toBe(false);
    carrierPeer.send(encodeSimpleResponse(CommandId.unbindResp, 0, unbind.sequence));
    await carrierPeer.closedPromise;

    const listener = await server();
    const appPeer = await connect(listener.port);
    expect(await appPeer.bind('transmitter', ACCOUNT.systemId, ACCOUNT.password)).toBe(0);
    const closing = listener.close();
    await appPeer.waitUntil(() => appPeer.frames.some((f) => f.commandId === CommandId.unbind), "the server's unbind");
    const serverUnbind = appPeer.frames.find((f) => f.commandId === CommandId.unbind) as WireFrame;
    // Were it ignored, the enquire_link would be answered long before the close's grace period ends.
    appPeer.send(Buffer.concat([encodeSimpleResponse(CommandId.unbindResp, 0, serverUnbind.sequence + 100), encodeEmptyRequest(CommandId.enquireLink, 2)]));
    await appPeer.closedPromise;
    expect(appPeer.frames.some((f) => f.commandId === CommandId.enquireLinkResp)).toBe(false);
    await closing;
  });
});
