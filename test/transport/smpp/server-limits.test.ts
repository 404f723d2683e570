import * as net from 'net';
import { readFileSync } from 'fs';
import { join } from 'path';
import { BindLockout } from '../../../src/transport/smpp/server/bind-lockout';
import { BindAuthenticator } from '../../../src/transport/smpp/server/bind-authenticator';
import { MessageIdSource } from '../../../src/transport/smpp/server/message-id-source';
import { peerKey, widerPrefix } from '../../../src/transport/smpp/server/peer-address';
import { Status } from '../../../src/transport/smpp/command-status';
import { acquireSmppServer, closeAllSmppServers, smppServerUsers } from '../../../src/registry/listener-registry';
import { SmppServer } from '../../../src/transport/smpp/server/smpp-server';
import { RawSmppClient } from '../../inbound/support/raw-smpp-client';
import { connectLibraryClient } from '../../inbound/support/smpp-library-client';
import { waitFor } from '../../support/sandbox';

const policy = { maxFailures: 3, lockoutMs: 1000 };

describe('bind lockout and authentication (injected clock)', () => {
  const fail = (lockout: BindLockout, address: string, systemId = 'app'): boolean => lockout.recordFailure(address, systemId, policy, true);

  it('blocks an address for an account after maxFailures in a row, for lockoutMs; after that every failure blocks it again for twice as long', () => {
    let now = 0;
    const lockout = new BindLockout(() => now);
    expect([fail(lockout, 'a'), fail(lockout, 'a'), fail(lockout, 'a')]).toEqual([false, false, true]);
    expect(lockout.blockedFor('a', 'app', false)).toBe('account-address');
    expect(lockout.blockedFor('b', 'app', false)).toBeNull();
    now = 1000;
    expect(lockout.blockedFor('a', 'app', false)).toBeNull();
    expect(fail(lockout, 'a')).toBe(true); // one more guess: blocked again, 2 s
    now = 2999;
    expect(lockout.blockedFor('a', 'app', false)).not.toBeNull();
    now = 3000;
    expect(fail(lockout, 'a')).toBe(true); // then 4 s
    now = 6999;
    expect(lockout.blockedFor('a', 'app', false)).not.toBeNull();
    now = 7000;
    expect(lockout.blockedFor('a', 'app', false)).toBeNull();
  });

  it("forgets failures older than the lockout period; a bind clears only that address's count for that account", () => {
    let now = 0;
    const lockout = new BindLockout(() => now);
    fail(lockout, 'a');
    fail(lockout, 'a');
    now = 1001;
    expect(fail(lockout, 'a')).toBe(false);
    fail(lockout, 'a');
    lockout.recordSuccess('a', 'app');
    expect(fail(lockout, 'a')).toBe(false);
    expect(lockout.blockedFor('a', 'app', false)).toBeNull();
    // Another account's bind clears nothing here.
    fail(lockout, 'a');
    lockout.recordSuccess('a', 'other');
    expect(fail(lockout, 'a')).toBe(true);
  });

  it('blocks an address over every account at 3 x maxFailures, and guards an account at 10 x from every address except those known for it', () => {
    const lockout = new BindLockout(() => 0);
    for (let i = 0; i < 9; i++) lockout.recordFailure('a', `id${i}`, policy, false);
    expect(lockout.blockedFor('a', 'app', false)).toBe('address');
    for (let i = 0; i < 30; i++) fail(lockout, `spread-${i}`);
    expect(lockout.blockedFor('new-address', 'app', false)).toBe('account');
    expect(lockout.blockedFor('new-address', 'app', true)).toBeNull();
    expect(lockout.blockedFor('new-address', 'other', false)).toBeNull();
  });

  it('keeps its tables bounded, and never evicts a blocked address (10,001 other failing addresses)', () => {
    const lockout = new BindLockout(() => 0, { counting: 100, blocked: 100 });
    for (let i = 0; i < 3; i++) fail(lockout, '10.0.0.1');
    for (let i = 0; i < 10_001; i++) lockout.recordFailure(`10.1.${i >> 8}.${i & 255}`, `junk${i}`, policy, false);
    expect(lockout.trackedCount).toBeLessThanOrEqual(11 * 100 + 3);
    expect(lockout.blockedFor('10.0.0.1', 'app', false)).not.toBeNull();
  });

  it('uses the per-account policy, counts by address, and answers alike for a wrong system_id or password', () => {
    const auth = new BindAuthenticator(new BindLockout(() => 0));
    const accounts = [{ systemId: 'app', password: 'pw', lockout: { maxFailures: 2, lockoutMs: 10 } }];
    expect(auth.authenticate(accounts, 'app', 'pw', '10.0.0.1').status).toBe(0);
    expect(auth.authenticate(accounts, 'nope', 'pw', '10.0.0.1').status).toBe(Status.invalidPassword);
    expect(auth.authenticate(accounts, 'app', 'x', '10.0.0.2').status).toBe(Status.invalidPassword);
    expect(auth.authenticate(accounts, 'app', 'y', '10.0.0.2')).toMatchObject({ status: Status.invalidPassword, lockedNow: true });
    expect(auth.authenticate(accounts, 'app', 'pw', '10.0.0.2')).toMatchObject({ status: Status.bindFailed, reason: 'locked' });
    expect(auth.authenticate(accounts, 'app', 'pw', '10.0.0.1').status).toBe(0);
  });

  it('counts IPv4-mapped addresses as IPv4 and IPv6 addresses by their /64, and widens each by prefix', () => {
    const chain = (key: string): string[] => [1, 2, 3, 4].map(() => (key = widerPrefix(key)));
    expect(chain('127.0.0.2')).toEqual(['127.0.0.0/24', '127.0.0.0/16', '127.0.0.0/8', '0.0.0.0/0']);
    expect(chain(peerKey('2001:db8:1:2::5'))).toEqual(['2001:db8:1::/48', '2001:db8::/32', '2001::/16', '::/0']);
    expect(peerKey('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(peerKey('2001:db8:1:2:aaaa::1')).toBe(peerKey('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(peerKey('2001:db8:1:2::1')).not.toBe(peerKey('2001:db8:1:3::1'));
  });

  it('hands out distinct 16-hex-digit message ids', () => {
    const ids = new MessageIdSource();
    const seen = new Set(Array.from({ length: 10_000 }, () => ids.next()));
    expect(seen.size).toBe(10_000);
    expect([...seen].every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
  });
});

describe('SMPP server connection limits (TCP)', () => {
  const servers: SmppServer[] = [];
  const clients: RawSmppClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const start = async (options: ConstructorParameters<typeof SmppServer>[0]): Promise<SmppServer> => {
    const server = new SmppServer(options);
    await server.start();
    servers.push(server);
    return server;
  };

  it('beyond maxConnections closes the oldest unbound connection to make room, and refuses a new one when every slot is bound', async () => {
    const server = await start({ host: '127.0.0.1', port: 0, maxConnections: 2 });
    server.subscribe({ account: { systemId: 'app', password: 'pw' }, onSubmit: async () => undefined });
    for (let i = 0; i < 3; i++) clients.push(await RawSmppClient.connect(server.port));
    await clients[0].untilClosed();
    expect([clients[1].closed, clients[2].closed]).toEqual([false, false]);
    expect(server.stats).toMatchObject({ connections: 3, refusedConnections: 0, evictedConnections: 1 });
    for (const c of clients.splice(0)) c.destroy();
    await waitFor(() => server.openConnections === 0, 'the server to see them close');
    const bound = [await connectLibraryClient(server.port), await connectLibraryClient(server.port)];
    for (const client of bound) expect(await client.bind('transceiver', 'app', 'pw')).toBe(0);
    const late = await RawSmppClient.connect(server.port);
    clients.push(late);
    await late.untilClosed();
    expect(server.stats).toMatchObject({ refusedConnections: 1, evictedConnections: 1 });
    expect(server.boundSessions).toBe(2);
    await Promise.all(bound.map((client) => client.close()));
  });

  it('closes a connection that never binds', async () => {
    const server = await start({ host: '127.0.0.1', port: 0, bindTimeoutMs: 50 });
    const raw = await RawSmppClient.connect(server.port);
    clients.push(raw);
    await raw.untilClosed();
    expect(raw.received).toHaveLength(0);
  });

  it('closes a bound connection that stays silent past the inactivity timeout', async () => {
    const server = await start({ host: '127.0.0.1', port: 0, inactivityTimeoutMs: 100 });
    server.subscribe({ account: { systemId: 'app', password: 'pw' }, onSubmit: async () => undefined });
    const client = await connectLibraryClient(server.port);
    expect(await client.bind('transceiver', 'app', 'pw')).toBe(0);
    await client.closed;
    await waitFor(() => server.boundSessions === 0, 'the server to forget the idle session');
  });
});

describe('listener registry (one listening port per host:port per process)', () => {
  beforeAll(() => {
    process.env.SMS_GATEWAY_LISTENER_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => closeAllSmppServers());

  it('shares a port between users and closes it when the last lets go', async () => {
    const first = await acquireSmppServer({ host: '127.0.0.1', port: 0 });
    const port = first.resource.port;
    const second = await acquireSmppServer({ host: '127.0.0.1', port });
    expect(second.resource).toBe(first.resource);
    expect(smppServerUsers('127.0.0.1', port)).toBe(2);
    await first.release();
    expect(smppServerUsers('127.0.0.1', port)).toBe(1);
    await second.release();
    expect(smppServerUsers('127.0.0.1', port)).toBe(0);
    await expect(
      new Promise((resolve, reject) => net.connect({ host: '127.0.0.1', port }).once('connect', resolve).once('error', reject)),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('refuses to share a port with different TLS settings, and says so', async () => {
    const dir = join(__dirname, '..', '..', 'fixtures', 'tls');
    const plain = await acquireSmppServer({ host: '127.0.0.1', port: 0 });
    await expect(
      acquireSmppServer({
        host: '127.0.0.1',
        port: plain.resource.port,
        tls: { key: readFileSync(join(dir, 'sandbox-key.pem'), 'utf8'), cert: readFileSync(join(dir, 'sandbox-cert.pem'), 'utf8') },
      }),
    ).rejects.toThrow(/already used by another SMS Trigger with different TLS settings/);
    expect(smppServerUsers('127.0.0.1', plain.resource.port)).toBe(1);
  });

  it('explains a port taken by another program', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      await expect(acquireSmppServer({ host: '127.0.0.1', port })).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use by another program`);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
