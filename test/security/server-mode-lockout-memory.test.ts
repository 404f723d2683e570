/**
 * SMPP 3.4 caps system_id at 16 octets, but a bind PDU may be up to maxPduLength (16 KiB) long.
 * Every failed bind is counted under address + system_id (BindLockout's pair table, 10,000 keys
 * per prefix level, 5 levels, entries pushed out merged one level up with the same system_id).
 * The tables are bounded in keys, so they must also be bounded in bytes: a junk system_id of
 * 16,000 characters must not be kept as is, or 50,000 keys hold ~800 MB.
 */
import { randomBytes } from 'crypto';
import { Status } from '../../src/transport/smpp/command-status';
import { BindLockout } from '../../src/transport/smpp/server/bind-lockout';
import type { LockoutPolicy } from '../../src/transport/smpp/server/bind-lockout';
import { peerKey } from '../../src/transport/smpp/server/peer-address';
import { SmppServer } from '../../src/transport/smpp/server/smpp-server';
import { bindFrom, inPool } from './support/bind-from';
import { MiB, describeGrowth, readMemory } from './support/memory';

const APP = { systemId: 'app', password: 'right-pw' };

describe('server mode: failed binds with huge system_ids', () => {
  let server: SmppServer | null = null;
  afterEach(async () => {
    await server?.close();
  });

  it('1,800 failed binds with 16,000-character system_ids (60 addresses x 30) are refused as ESME_RINVSYSID and retain less than 8 MiB', async () => {
    server = new SmppServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    server.subscribe({ account: APP, onSubmit: async () => undefined });
    const port = server.port;
    // Warm up (code paths, buffers) before the first reading.
    expect(await bindFrom({ port, from: '127.0.9.1' }, 'warm', 'x')).toBe(Status.invalidPassword);
    const before = readMemory();
    const jobs: Array<{ from: string; systemId: string }> = [];
    for (let a = 0; a < 60; a++) for (let i = 0; i < 30; i++) jobs.push({ from: `127.0.10.${a + 1}`, systemId: randomBytes(8000).toString('hex') });
    const outcomes = new Map<string, number>();
    await inPool(jobs, 8, async (job) => {
      const outcome = await bindFrom({ port, from: job.from }, job.systemId, 'x');
      outcomes.set(String(outcome), (outcomes.get(String(outcome)) ?? 0) + 1);
    });
    jobs.length = 0;
    const after = readMemory();
    console.log(
      `outcomes ${JSON.stringify([...outcomes])}; lockout tracked ${server.authenticator.lockout.trackedCount}, blocked ${server.authenticator.lockout.blockedCount}; ${describeGrowth(before, after)}`,
    );
    // No account can have such a system_id: ESME_RINVSYSID (or ESME_RBINDFAIL once the address is blocked).
    expect(outcomes.get(String(Status.invalidSystemId))).toBeGreaterThan(1000);
    expect((after.retained - before.retained) / MiB).toBeLessThan(8);
  });
});

describe('server mode: the lockout tables at their worst', () => {
  it('full to their caps (IPv6 /64s spread over every prefix, 15-character system_ids, blocks and counts) they retain under 64 MB (README: about 57 MB at worst)', () => {
    // Fixed clock: nothing expires, nothing is swept while the tables fill.
    const lockout = new BindLockout(() => 1_700_000_000_000);
    const before = readMemory();
    let n = 0x2545f491;
    const next = (): number => {
      n ^= n << 13;
      n ^= n >>> 17;
      n ^= n << 5;
      return n >>> 0;
    };
    const group = (): string => (next() & 0xffff).toString(16);
    const fill = (failures: number, policy: LockoutPolicy): void => {
      for (let i = 0; i < failures; i++) {
        // Distinct /64s in distinct /48s, /32s and /16s, so every prefix level fills too.
        const address = peerKey(`${group()}:${group()}:${group()}:${group()}::1`);
        lockout.recordFailure(address, `id${next().toString(36)}${next().toString(36)}`.slice(0, 15), policy, false);
      }
    };
    fill(100_000, { maxFailures: 1, lockoutMs: 60_000 }); // every failure a block: the blocked tables fill, then wider prefixes
    fill(100_000, { maxFailures: 1000, lockoutMs: 60_000 }); // counting only: the counting tables fill and push out upwards
    const after = readMemory();
    const entries = lockout.trackedCount + lockout.blockedCount;
    const perEntry = (after.retained - before.retained) / entries;
    // What the default caps allow at most: 10,000 counting + 10,000 blocked keys in each of the 5
    // pair tables and the 4 narrower address tables, plus the widest prefixes and a few accounts.
    const worst = perEntry * (9 * 20_000 + 100);
    console.log(
      `lockout tracked ${lockout.trackedCount}, blocked ${lockout.blockedCount}; ${describeGrowth(before, after)}; ${perEntry.toFixed(0)} B per entry, ${(worst / 1e6).toFixed(1)} MB at every cap`,
    );
    expect(entries).toBeGreaterThan(120_000);
    expect(worst / 1e6).toBeLessThan(64);
  });
});
