import { readFileSync } from 'fs';
import * as net from 'net';
import { join } from 'path';
import { CommandId } from '../../../../src/transport/smpp/pdu/command-ids';
import { FrameReader } from '../../../../src/transport/smpp/pdu/frame-reader';
import { encodeEmptyRequest, encodeGeneric } from '../../../../src/transport/smpp/pdu/pdu-codec';
import { SmppServer } from '../../../../src/transport/smpp/server/smpp-server';
import { startSandbox } from '../../../support/sandbox';

/**
 * A peer that never closes its side: the server answers (unbind_resp, generic_nack), ends its
 * side with a FIN, and then? Node keeps a half-closed socket open until the peer closes too, so
 * "unbind answered and the session closed" only holds if the server destroys the socket itself.
 */
const ACCOUNT = { systemId: 'app', password: 'secret' };

interface HalfOpenPeer {
  socket: net.Socket;
  frames: Array<{ commandId: number; sequence: number }>;
  gotFin: Promise<void>;
  closed: Promise<void>;
  waitFor(commandId: number): Promise<void>;
}

function halfOpenPeer(port: number): Promise<HalfOpenPeer> {
  return new Promise((resolve, reject) => {
    // allowHalfOpen: the peer does not answer the server's FIN with its own.
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const reader = new FrameReader();
    const frames: Array<{ commandId: number; sequence: number }> = [];
    const waiters: Array<() => void> = [];
    let finResolve = (): void => undefined;
    const gotFin = new Promise<void>((r) => (finResolve = r));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('data', (chunk: Buffer) => {
      for (const f of reader.push(chunk)) frames.push({ commandId: f.readUInt32BE(4), sequence: f.readUInt32BE(12) });
      for (const w of [...waiters]) w();
    });
    socket.on('end', () => finResolve());
    socket.on('error', () => undefined);
    socket.once('connect', () =>
      resolve({
        socket,
        frames,
        gotFin,
        closed,
        waitFor: (commandId) =>
          new Promise<void>((r) => {
            const check = (): void => {
              if (frames.some((f) => f.commandId === commandId)) r();
            };
            waiters.push(check);
            check();
          }),
      }),
    );
    socket.once('error', reject);
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T | 'timeout'> {
  return Promise.race([promise, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref())]).then((v) => {
    if (v === 'timeout') console.log(`timed out: ${what}`);
    return v;
  });
}

describe('a bound peer that keeps its side of the TCP connection open after the server ended it', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('server mode: after unbind/unbind_resp the connection is released (slot freed, close() returns)', async () => {
    const server = new SmppServer({ host: '127.0.0.1', port: 0, inactivityTimeoutMs: 200, bindTimeoutMs: 200 });
    await server.start();
    server.subscribe({ account: ACCOUNT, onSubmit: async () => undefined });
    const peer = await halfOpenPeer(server.port);
    cleanups.push(() => peer.socket.destroy());
    peer.socket.write(encodeGeneric('bind_transceiver', 1, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }));
    await peer.waitFor(0x80000009);
    peer.socket.write(encodeEmptyRequest(CommandId.unbind, 2));
    await peer.waitFor(CommandId.unbindResp);
    await peer.gotFin;
    // Well past the bind timeout and the inactivity timeout (and its sweep).
    await new Promise((r) => setTimeout(r, 1500));
    const openAfter = server.openConnections;
    const bound = server.boundSessions;
    const closeResult = await within(
      server.close().then(() => 'closed'),
      3000,
      'server.close()',
    );
    peer.socket.destroy();
    expect({ openAfter, bound, closeResult }).toEqual({ openAfter: 0, bound: 0, closeResult: 'closed' });
  });

  it('server mode: after a bad command_length from a bound peer (generic_nack + FIN) the connection is released', async () => {
    const server = new SmppServer({ host: '127.0.0.1', port: 0, inactivityTimeoutMs: 200, bindTimeoutMs: 200 });
    await server.start();
    server.subscribe({ account: ACCOUNT, onSubmit: async () => undefined });
    const peer = await halfOpenPeer(server.port);
    cleanups.push(() => peer.socket.destroy());
    peer.socket.write(encodeGeneric('bind_transceiver', 1, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }));
    await peer.waitFor(0x80000009);
    const bad = Buffer.alloc(16);
    bad.writeUInt32BE(0xffffffff, 0);
    peer.socket.write(bad);
    await peer.waitFor(CommandId.genericNack);
    await peer.gotFin;
    await new Promise((r) => setTimeout(r, 1500));
    const openAfter = server.openConnections;
    const closeResult = await within(
      server.close().then(() => 'closed'),
      3000,
      'server.close()',
    );
    peer.socket.destroy();
    expect({ openAfter, closeResult }).toEqual({ openAfter: 0, closeResult: 'closed' });
  });

  it('server mode: three half-open ex-sessions (cap 3) from one address keep the per-address cap full for good: the same application cannot bind again', async () => {
    const server = new SmppServer({ host: '127.0.0.1', port: 0, inactivityTimeoutMs: 200, bindTimeoutMs: 200, maxConnectionsPerAddress: 3 });
    await server.start();
    server.subscribe({ account: ACCOUNT, onSubmit: async () => undefined });
    for (let i = 0; i < 3; i++) {
      const peer = await halfOpenPeer(server.port);
      cleanups.push(() => peer.socket.destroy());
      peer.socket.write(encodeGeneric('bind_transceiver', 1, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }));
      await peer.waitFor(0x80000009);
      peer.socket.write(encodeEmptyRequest(CommandId.unbind, 2));
      await peer.waitFor(CommandId.unbindResp);
      await peer.gotFin;
    }
    await new Promise((r) => setTimeout(r, 1000));
    const fresh = await halfOpenPeer(server.port);
    cleanups.push(() => fresh.socket.destroy());
    fresh.socket.write(encodeGeneric('bind_transceiver', 1, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }));
    const outcome = await within(
      fresh.waitFor(0x80000009).then(() => 'bound'),
      2000,
      'bind_resp',
    );
    for (const c of cleanups.splice(0)) c();
    await server.close();
    expect(outcome).toBe('bound');
  });

  it('server mode: close() right after the peer went half-open (before any grace ran out) still finishes', async () => {
    const server = new SmppServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    server.subscribe({ account: ACCOUNT, onSubmit: async () => undefined });
    const peer = await halfOpenPeer(server.port);
    cleanups.push(() => peer.socket.destroy());
    peer.socket.write(encodeGeneric('bind_transceiver', 1, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }));
    await peer.waitFor(0x80000009);
    peer.socket.write(encodeEmptyRequest(CommandId.unbind, 2));
    await peer.gotFin;
    const closeResult = await within(
      server.close().then(() => 'closed'),
      3000,
      'server.close()',
    );
    expect({ closeResult, open: server.openConnections }).toEqual({ closeResult: 'closed', open: 0 });
  });

  it('server mode (TLS): close() does not wait for a peer that opened TCP and never starts its handshake', async () => {
    const fixtures = join(__dirname, '../../../fixtures/tls');
    const server = new SmppServer({
      host: '127.0.0.1',
      port: 0,
      tlsHandshakeTimeoutMs: 60_000,
      tls: { key: readFileSync(join(fixtures, 'sandbox-key.pem'), 'utf8'), cert: readFileSync(join(fixtures, 'sandbox-cert.pem'), 'utf8') },
    });
    await server.start();
    const silent = net.connect({ host: '127.0.0.1', port: server.port });
    silent.on('error', () => undefined);
    cleanups.push(() => silent.destroy());
    await new Promise<void>((r) => silent.once('connect', () => r()));
    while (server.openConnections === 0) await new Promise((r) => setTimeout(r, 10));
    const closeResult = await within(
      server.close().then(() => 'closed'),
      3000,
      'server.close()',
    );
    expect(closeResult).toBe('closed');
  });

  it('sandbox: after unbind/unbind_resp the session no longer counts as bound', async () => {
    const smsc = await startSandbox({ accounts: [ACCOUNT] });
    try {
      const peer = await halfOpenPeer(smsc.port);
      cleanups.push(() => peer.socket.destroy());
      peer.socket.write(encodeGeneric('bind_transceiver', 1, { system_id: ACCOUNT.systemId, password: ACCOUNT.password }));
      await peer.waitFor(0x80000009);
      peer.socket.write(encodeEmptyRequest(CommandId.unbind, 2));
      await peer.waitFor(CommandId.unbindResp);
      await peer.gotFin;
      await new Promise((r) => setTimeout(r, 1000));
      expect(smsc.sessionCount).toBe(0);
    } finally {
      for (const c of cleanups.splice(0)) c();
      await smsc.stop();
    }
  });
});
