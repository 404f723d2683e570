/**
 * Connection slots of the SMS Trigger's SMPP server mode against attackers on many addresses
 * (loopback is a whole /8): each attacker address holds 10 silent sockets (the per-address cap)
 * and reopens every one as soon as it closes, so together they fill the global cap of 50. The
 * application binds from 127.0.0.1. Unbound connections are evictable at capacity, bound ones
 * never, and an address that bound recently has priority over the unbound ones of the others.
 */
import * as net from 'net';
import { encodeGeneric } from '../../src/transport/smpp/pdu/pdu-codec';
import { SmppServer } from '../../src/transport/smpp/server/smpp-server';
import { waitFor } from '../support/sandbox';
import { bindFrom, holdSilentSockets } from './support/bind-from';

const APP = { systemId: 'app', password: 'right-pw' };
let server: SmppServer;
let attack: ReturnType<typeof holdSilentSockets> | null = null;

async function startServer(): Promise<SmppServer> {
  // The SMS Trigger's defaults: 50 connections, 10 per address, 5 s to bind.
  server = new SmppServer({ host: '0.0.0.0', port: 0, maxConnections: 50, maxConnectionsPerAddress: 10, bindTimeoutMs: 5000 });
  await server.start();
  server.subscribe({ account: APP, onSubmit: async () => undefined });
  return server;
}

afterEach(async () => {
  attack?.stop();
  attack = null;
  await server?.close();
});

const attackers = (n: number): string[] => Array.from({ length: n }, (_, i) => `127.0.${1 + Math.floor(i / 200)}.${2 + (i % 200)}`);

/** A bound session of the application, kept open: it must survive the attack. */
function boundSession(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
    socket.once('connect', () =>
      socket.write(
        encodeGeneric('bind_transceiver', 1, {
          system_id: APP.systemId,
          password: APP.password,
          system_type: '',
          interface_version: 0x34,
          addr_ton: 0,
          addr_npi: 0,
          address_range: '',
        }),
      ),
    );
    socket.once('data', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe.each([5, 20, 100])('%i attacker addresses x 10 silent sockets renewed continuously (global cap 50)', (n) => {
  it(`the application on 127.0.0.1, which bound before, binds again within 2 s 5 times (was refused: 0 of 75 binds at 5 addresses); its bound session is never evicted`, async () => {
    const { port } = await startServer();
    expect(await bindFrom({ port }, APP.systemId, APP.password)).toBe(0);
    const held = await boundSession(port);
    attack = holdSilentSockets(port, attackers(n), 10);
    await waitFor(() => server.openConnections >= 50, 'the attackers to fill every slot', 10_000);
    await new Promise((r) => setTimeout(r, 500));
    const connectsBefore = attack.connects();
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      expect(await bindFrom({ port }, APP.systemId, APP.password, 2000).catch((err: Error) => err.message)).toBe(0);
      expect(Date.now() - started).toBeLessThan(2000);
    }
    // The attack went on meanwhile: its sockets were closed to make room and came back.
    expect(attack.connects()).toBeGreaterThan(connectsBefore);
    expect(server.stats.evictedConnections).toBeGreaterThan(0);
    expect(held.destroyed).toBe(false);
    expect(server.boundSessions).toBeGreaterThanOrEqual(1);
    held.destroy();
  }, 30_000);
});

it('5 attacker addresses x 10 silent sockets (every slot full): an application that never bound before still binds within 2 s', async () => {
  const { port } = await startServer();
  attack = holdSilentSockets(port, attackers(5), 10);
  await waitFor(() => server.openConnections >= 50, 'the attackers to fill every slot', 10_000);
  await new Promise((r) => setTimeout(r, 500));
  const started = Date.now();
  expect(await bindFrom({ port, from: '127.0.0.1' }, APP.systemId, APP.password, 2000).catch((err: Error) => err.message)).toBe(0);
  expect(Date.now() - started).toBeLessThan(2000);
}, 30_000);
