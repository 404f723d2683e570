/**
 * Ways around the bind lockout of SMPP server mode, each as an attacker tried it: resetting the
 * count with a bind of one's own account, spreading guesses over thousands of addresses, flushing
 * the bounded tables, and filling the blocked table so that old blocks are never purged. The
 * authenticator runs with an injected clock (minutes and days pass at once); the TCP cases bind
 * from loopback addresses (127.0.0.9 the attacker, 127.0.0.1 the application).
 */
import { Status } from '../../src/transport/smpp/command-status';
import { BindAuthenticator } from '../../src/transport/smpp/server/bind-authenticator';
import type { ServerAccount } from '../../src/transport/smpp/server/bind-authenticator';
import { BindLockout } from '../../src/transport/smpp/server/bind-lockout';
import { peerKey } from '../../src/transport/smpp/server/peer-address';
import { SmppServer } from '../../src/transport/smpp/server/smpp-server';
import { bindFrom, inPool } from './support/bind-from';
import { describeGrowth, MiB, readMemory } from './support/memory';

const APP: ServerAccount = { systemId: 'app', password: 'right-pw' };
const MINUTE = 60_000;

function authenticatorWithClock(): { auth: BindAuthenticator; advance(ms: number): void } {
  let now = Date.parse('2026-12-01T00:00:00Z');
  const auth = new BindAuthenticator(new BindLockout(() => now));
  return { auth, advance: (ms) => void (now += ms) };
}

/** Tries `guesses` wrong passwords for `systemId` from `address`; returns how many were evaluated (answered ESME_RINVPASWD, not refused unseen). */
function guess(auth: BindAuthenticator, address: string, guesses: number, systemId = APP.systemId, accounts: ServerAccount[] = [APP]): number {
  let evaluated = 0;
  for (let i = 0; i < guesses; i++) if (auth.authenticate(accounts, systemId, `wrong-${i}`, address).status === Status.invalidPassword) evaluated++;
  return evaluated;
}

const v4 = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('the lockout cannot be reset, spread out or flushed', () => {
  it("a tenant binding as its own account between guesses does not reset its failures at another (33,336 guesses found b's password in 10.6 s): 60 guesses over TCP, at most 10 evaluated", async () => {
    const b: ServerAccount = { systemId: 'b', password: 'zz9' };
    const server = new SmppServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    for (const account of [{ systemId: 'a', password: 'pa' }, b]) server.subscribe({ account, onSubmit: async () => undefined });
    try {
      const tenant = { port: server.port, from: '127.0.0.9' };
      const answers: Array<number | string> = [];
      for (let i = 0; i < 60; i++) {
        answers.push(await bindFrom(tenant, 'b', `g${i}`));
        if (i % 9 === 8) expect(await bindFrom(tenant, 'a', 'pa')).toBe(0); // the tenant's own account still binds
      }
      expect(answers.filter((a) => a === Status.invalidPassword).length).toBeLessThanOrEqual(10);
      expect(await bindFrom(tenant, 'b', b.password)).toBe(Status.bindFailed);
      expect(await bindFrom({ port: server.port, from: '127.0.0.1' }, 'b', b.password)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("90,900 wrong passwords from 10,100 addresses, 9 each (0 blocks before): at most 100 are evaluated in 5 min; then a new address is refused even with the right password while the owner's address binds", () => {
    const { auth } = authenticatorWithClock();
    expect(auth.authenticate([APP], APP.systemId, APP.password, '192.168.7.7').status).toBe(0); // the owner, bound before
    let evaluated = 0;
    for (let i = 1; i <= 10_100; i++) evaluated += guess(auth, v4(i), 9);
    expect({ evaluated }).toEqual({ evaluated: Math.min(evaluated, 100) });
    expect(auth.authenticate([APP], APP.systemId, APP.password, '172.16.0.1').status).toBe(Status.bindFailed);
    expect(auth.authenticate([APP], APP.systemId, APP.password, '192.168.7.7').status).toBe(0);
  });

  it('the same over TCP: 9,900 wrong passwords from 1,100 loopback addresses, at most 100 evaluated; the application on 127.0.0.1 still binds', async () => {
    const server = new SmppServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    server.subscribe({ account: APP, onSubmit: async () => undefined });
    try {
      expect(await bindFrom({ port: server.port }, APP.systemId, APP.password)).toBe(0);
      const jobs = Array.from({ length: 1100 * 9 }, (_, i) => ({
        from: `127.1.${Math.floor(i / 9 / 250)}.${1 + (Math.floor(i / 9) % 250)}`,
        password: `g${i}`,
      }));
      let evaluated = 0;
      await inPool(jobs, 16, async ({ from, password }) => {
        if ((await bindFrom({ port: server.port, from }, APP.systemId, password)) === Status.invalidPassword) evaluated++;
      });
      expect({ evaluated }).toEqual({ evaluated: Math.min(evaluated, 100) });
      expect(await bindFrom({ port: server.port, from: '127.0.0.1' }, APP.systemId, APP.password)).toBe(0);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("an address's 9 failures survive 10,001 junk binds from other addresses (the table used to evict them): at most 1 more guess from it is evaluated", () => {
    const { auth } = authenticatorWithClock();
    expect(guess(auth, '127.0.0.2', 9)).toBe(9);
    for (let i = 0; i < 10_001; i++) guess(auth, v4(i), 1, `junk${i}`);
    expect(guess(auth, '127.0.0.2', 10)).toBeLessThanOrEqual(1);
    expect(auth.authenticate([APP], APP.systemId, APP.password, '127.0.0.2').status).toBe(Status.bindFailed);
  });
});

describe('blocked entries: purged when they end, never evicted, history kept', () => {
  const v6 = (i: number): string => `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;

  it('100,000 scanner /64s blocked once each (1M failed binds) take bounded memory; a block made then is not evictable by 10,001 junk binds; two days later the blocked table is empty without those addresses coming back', () => {
    const { auth, advance } = authenticatorWithClock();
    const before = readMemory();
    for (let i = 0; i < 100_000; i++) guess(auth, peerKey(v6(i)), 10, 'scan');
    const after = readMemory();
    console.log(`lockout after 1M failed binds from 100,000 /64s: ${describeGrowth(before, after)}, blocked entries ${auth.lockout.blockedCount}`);
    expect(after.retained - before.retained).toBeLessThan(40 * MiB); // was ~80 MB
    // The blocked table is full: this block used to land in the evictable table.
    guess(auth, '127.0.0.2', 10);
    for (let i = 0; i < 10_001; i++) guess(auth, v4(i), 1, `junk${i}`);
    expect(auth.authenticate([APP], APP.systemId, APP.password, '127.0.0.2').status).toBe(Status.bindFailed);
    advance(2 * 24 * 3600_000);
    auth.lockout.sweep(); // the server's timer, every minute
    expect(auth.lockout.blockedCount).toBe(0);
  });

  it("an ended block's doubling history survives 10,001 failures elsewhere: one more failure blocks 127.0.0.3 again (it used to get 10 fresh tries)", () => {
    const { auth, advance } = authenticatorWithClock();
    guess(auth, '127.0.0.3', 10);
    advance(6 * MINUTE);
    expect(guess(auth, '127.0.0.3', 2)).toBe(1); // blocked again at once, for 10 min
    advance(11 * MINUTE);
    auth.lockout.sweep(); // the server's timer: the ended block goes back to the bounded table
    for (let i = 0; i < 10_001; i++) guess(auth, `10.9.${(i >> 8) & 255}.${i & 255}`, 1, `junk${i}`);
    expect(guess(auth, '127.0.0.3', 10)).toBe(1);
  });
});
