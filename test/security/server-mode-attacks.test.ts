/**
 * The SMS Trigger's SMPP server mode against an attacker on the network, over real TCP: the
 * attacker binds from 127.0.0.2 (or many loopback addresses), the application from 127.0.0.1.
 * The lockout must not be flushable nor usable to lock the application out, and connection
 * slots must not be starved.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type * as net from 'net';
import { Status } from '../../src/transport/smpp/command-status';
import { SmppServer } from '../../src/transport/smpp/server/smpp-server';
import type { SmppServerOptions } from '../../src/transport/smpp/server/smpp-server';
import { waitFor } from '../support/sandbox';
import { bindFrom, inPool, silentSocket } from './support/bind-from';

const APP = { systemId: 'app', password: 'right-pw' };
const TLS = {
  key: readFileSync(join(__dirname, '../fixtures/tls/sandbox-key.pem'), 'utf8'),
  cert: readFileSync(join(__dirname, '../fixtures/tls/sandbox-cert.pem'), 'utf8'),
};

let server: SmppServer;
const sockets: net.Socket[] = [];

async function startServer(options: Partial<SmppServerOptions> = {}): Promise<SmppServer> {
  server = new SmppServer({ host: '127.0.0.1', port: 0, ...options });
  await server.start();
  server.subscribe({ account: APP, onSubmit: async () => undefined });
  return server;
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
});

describe('bind lockout under attack', () => {
  it('10 wrong passwords and then 10,001 junk binds from 127.0.0.2 do not unlock "app": the right password is still refused from 127.0.0.2 and accepted from 127.0.0.1', async () => {
    const { port } = await startServer();
    const attacker = { port, from: '127.0.0.2' };
    for (let i = 0; i < 10; i++) expect(await bindFrom(attacker, APP.systemId, `guess-${i}`)).toBe(Status.invalidPassword);
    await inPool(
      Array.from({ length: 10_001 }, (_, i) => `junk${i}`),
      8,
      async (junk) => {
        await bindFrom(attacker, junk, 'x');
      },
    );
    expect(await bindFrom(attacker, APP.systemId, APP.password)).not.toBe(0);
    expect(await bindFrom({ port, from: '127.0.0.1' }, APP.systemId, APP.password)).toBe(0);
  }, 180_000); // 10,000 binds: seconds when quiet, over a minute on a loaded 2-core machine

  it('10,010 junk binds from 1,001 other addresses do not unlock "app" for 127.0.0.2, nor lock out 127.0.0.1', async () => {
    const { port } = await startServer();
    for (let i = 0; i < 10; i++) await bindFrom({ port, from: '127.0.0.2' }, APP.systemId, `guess-${i}`);
    const addresses = Array.from({ length: 1001 }, (_, i) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`);
    await inPool(addresses, 8, async (from) => {
      for (let k = 0; k < 10; k++) await bindFrom({ port, from }, `junk-${from}-${k}`, 'x');
    });
    expect(await bindFrom({ port, from: '127.0.0.2' }, APP.systemId, APP.password)).not.toBe(0);
    expect(await bindFrom({ port, from: '127.0.0.1' }, APP.systemId, APP.password)).toBe(0);
  }, 180_000); // 10,000 binds: seconds when quiet, over a minute on a loaded 2-core machine

  it('someone who knows the system_id cannot lock the application out: 50 wrong passwords for "app" from 127.0.0.2, and 127.0.0.1 binds at once', async () => {
    const { port } = await startServer();
    for (let i = 0; i < 50; i++) await bindFrom({ port, from: '127.0.0.2' }, APP.systemId, `guess-${i}`);
    expect(await bindFrom({ port, from: '127.0.0.1' }, APP.systemId, APP.password)).toBe(0);
  });
});

describe('connection limits at accept time', () => {
  for (const tls of [false, true]) {
    it(`${tls ? 'TLS' : 'plain TCP'}: 500 silent sockets from 127.0.0.2, and a legitimate ESME from 127.0.0.1 still binds within 2 s`, async () => {
      const { port } = await startServer({ maxConnections: 50, ...(tls ? { tls: TLS } : {}) });
      for (let i = 0; i < 500; i++) sockets.push(await silentSocket(port, '127.0.0.2'));
      const started = Date.now();
      expect(await bindFrom({ port, from: '127.0.0.1', tls }, APP.systemId, APP.password, 2000)).toBe(0);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  }

  it('TLS: 200 silent clients against a limit of 5 count from accept; the handshake deadline closes them', async () => {
    const { port } = await startServer({ maxConnections: 5, maxConnectionsPerAddress: 5, tlsHandshakeTimeoutMs: 2000, tls: TLS });
    let mostOpen = 0;
    for (let i = 0; i < 200; i++) {
      sockets.push(await silentSocket(port, '127.0.0.2'));
      mostOpen = Math.max(mostOpen, server.openConnections);
    }
    expect(mostOpen).toBe(5);
    // At its cap each new one took the slot of the oldest still in its handshake.
    expect(server.stats.refusedConnections + server.stats.evictedConnections).toBeGreaterThanOrEqual(195);
    await waitFor(() => server.openConnections === 0, 'the handshake deadline to close the silent ones', 5000);
  });
});
