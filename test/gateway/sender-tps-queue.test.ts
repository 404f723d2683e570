// TPS per sender ID behind a backed-up account queue, over real TCP to the sandbox: a sender's
// budget is spent when its part leaves for the carrier, so parts that waited behind another
// sender's backlog do not reach the carrier in a burst; and a sender out of budget does not hold
// up the others' parts (one bind, and a pool of 4 binds).
import { busiestWindow } from '../../src/sandbox/message-store';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { parseSenderTps, SenderTpsLimit } from '../../src/gateway/sender-tps';
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SendThrottle, SubmitResult } from '../../src/transport/smpp/types';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';
import { simpleSubmit } from '../support/messages';

/** Arrival times (ms) at the sandbox of what `from` sent, ascending. */
const arrivals = (smsc: SandboxSmsc, from: string): number[] =>
  smsc.store
    .list({ from })
    .map((m) => m.receivedAt)
    .sort((a, b) => a - b);

const submitFrom = (
  sender: { submit: (pdu: ReturnType<typeof simpleSubmit>) => Promise<SubmitResult> },
  from: string,
  count: number,
  base: number,
): Array<Promise<SubmitResult>> =>
  Array.from({ length: count }, (_, i) => sender.submit(simpleSubmit(String(base + i), `from ${from}`, { source: { ton: 5, npi: 0, addr: from } })));

/** No resend for an answer a busy machine delivered late: this test counts what reaches the SMSC. */
const LOADED_MACHINE = { responseTimeoutMs: 30_000 };

describe('TPS per sender ID is taken when a part leaves the queue', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  it.each([1, 4])(
    'behind 30 parts of another sender, a sender limited to 2/s never has more than 2 in a second at the SMSC (%i bind(s))',
    async (binds) => {
      const lease = await acquireSmppTransport({ ...sandboxTransportOptions(smsc, LOADED_MACHINE), tps: 10, binds });
      await waitFor(() => smsc.sessionCount === binds, `${binds} binds at the sandbox`);
      // The credential's cap, counted where its tokens are taken (every bind takes from this one throttle).
      const throttle = lease.resource.options.throttle as SendThrottle;
      const takes: number[] = [];
      const take = throttle.tryTake.bind(throttle);
      throttle.tryTake = () => {
        const granted = take();
        if (granted) takes.push(performance.now());
        return granted;
      };
      const sender = new SenderTpsLimit(parseSenderTps('SLOW=2', 10)).wrap(lease.resource);
      const other = submitFrom(sender, 'OTHER', 30, 447911300000);
      const slow = submitFrom(sender, 'SLOW', 10, 447911310000);
      const results = await Promise.all([...other, ...slow]);
      // Nobody missed, nobody twice.
      expect(new Set(results.map((r) => r.messageId)).size).toBe(40);
      expect(smsc.stats.accepted).toBe(40);
      expect(
        smsc.store
          .list({})
          .map((m) => m.to)
          .sort(),
      ).toEqual([...Array.from({ length: 30 }, (_, i) => String(447911300000 + i)), ...Array.from({ length: 10 }, (_, i) => String(447911310000 + i))].sort());
      // At the SMSC: before the fix, 8 of SLOW's parts arrived in one second (all taken while OTHER's 30 waited).
      expect({ slow: busiestWindow(arrivals(smsc, 'SLOW'), 1000), credentialCapKept: busiestWindow(takes, 1000) <= 10 }).toEqual({
        slow: 2,
        credentialCapKept: true,
      });
    },
    30_000,
  );

  it.each([1, 4])(
    'a sender out of budget does not hold up the parts of others queued behind it (%i bind(s))',
    async (binds) => {
      const lease = await acquireSmppTransport({ ...sandboxTransportOptions(smsc, { ...LOADED_MACHINE, windowSize: 2 }), tps: 50, binds });
      await waitFor(() => smsc.sessionCount === binds, `${binds} binds at the sandbox`);
      const sender = new SenderTpsLimit(parseSenderTps('SLOW=1', 50)).wrap(lease.resource);
      // More of the slow sender's parts than the binds' windows (and the pool's hand-over) hold.
      const slow = submitFrom(sender, 'SLOW', 40, 447911320000);
      const fast = submitFrom(sender, 'FAST', 20, 447911330000);
      await Promise.all(fast);
      expect(smsc.store.list({ from: 'FAST' })).toHaveLength(20);
      // At 1/s the slow sender has sent only a few of its 40 meanwhile.
      expect(smsc.store.list({ from: 'SLOW' }).length).toBeLessThan(20);
      // The rest are withdrawn by closing, not lost: each fails with a reason.
      const settling = Promise.allSettled(slow);
      await closeAllSmppTransports();
      const settled = await settling;
      const accepted = settled.filter((s) => s.status === 'fulfilled').length;
      expect(accepted).toBe(smsc.store.list({ from: 'SLOW' }).length);
      for (const s of settled) if (s.status === 'rejected') expect((s.reason as Error).message).toMatch(/closed/);
    },
    30_000,
  );

  it('parts held for their sender on a bind that drops go to the other binds: none lost, none twice', async () => {
    const lease = await acquireSmppTransport({ ...sandboxTransportOptions(smsc, LOADED_MACHINE), tps: 50, binds: 4 });
    await waitFor(() => smsc.sessionCount === 4, '4 binds at the sandbox');
    const sender = new SenderTpsLimit(parseSenderTps('SLOW=2', 50)).wrap(lease.resource);
    const slow = submitFrom(sender, 'SLOW', 10, 447911350000);
    await waitFor(() => smsc.store.list({ from: 'SLOW' }).length >= 2, "the first of SLOW's parts at the sandbox");
    expect(lease.resource.members.some((m) => m.heldForSenderCount > 0)).toBe(true);
    smsc.dropConnections(2);
    const results = await Promise.all(slow);
    const resent = results.filter((r) => r.possibleDuplicate).length;
    const to = smsc.store.list({ from: 'SLOW' }).map((m) => m.to);
    // Every number reached; a number twice only where the result says it may have been.
    expect(new Set(to)).toEqual(new Set(Array.from({ length: 10 }, (_, i) => String(447911350000 + i))));
    expect(to.length - 10).toBeLessThanOrEqual(resent);
    expect(busiestWindow(arrivals(smsc, 'SLOW'), 1000)).toBeLessThanOrEqual(2);
  }, 30_000);
});
