import * as net from 'node:net';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import { BroadcastStoppedError } from '../../src/broadcast/broadcast-stopped';
import type { BroadcastRecipient } from '../../src/broadcast/broadcast-types';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppBindPool } from '../../src/transport/smpp/bind-pool';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';

/**
 * The carrier's host goes dark (packets dropped: a connect or bind is never answered), one bind of
 * a two-bind pool first, the other later. Each bind gives up after its reconnect attempts, as the
 * only bind of a one-bind pool does (and that pool, and the broadcast, stop: pool-gives-up.test.ts).
 * Here the first bind's seat keeps opening fresh binds that each wait for their connect timeout,
 * so when the second bind gives up, the pool still has an open (connecting) member: it never
 * gives up, nothing is bound, and the broadcast waits on for ever instead of stopping with the
 * give-up's reason.
 */

/** A TCP front for the sandbox: passes connections through, or (dark) accepts and never answers. */
async function startFront(target: number): Promise<{ port: number; dark: boolean; held: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const front = {
    port: 0,
    dark: false,
    held: 0,
    close: async (): Promise<void> => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    track(client);
    if (front.dark) {
      front.held++;
      return;
    }
    const upstream = net.connect(target, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  front.port = (server.address() as net.AddressInfo).port;
  return front;
}

const COUNT = 3000;
const recipients: BroadcastRecipient[] = Array.from({ length: COUNT }, (_, i) => ({
  to: `+4479${String(41_000_000 + i).padStart(8, '0')}`,
  text: 'Water off until 18:00.',
  itemIndex: i,
}));

describe('a two-bind pool whose binds give up one after the other', () => {
  let smsc: SandboxSmsc | null = null;
  let front: Awaited<ReturnType<typeof startFront>> | null = null;
  let pool: SmppBindPool | null = null;
  afterAll(async () => {
    await pool?.close(0).catch(() => undefined);
    await front?.close();
    await smsc?.stop().catch(() => undefined);
  });

  it('stops the broadcast with the give-up reason once no bind is left', async () => {
    smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10, faults: { latencyMs: 20 } });
    const sandbox = smsc;
    front = await startFront(sandbox.port);
    const gate = front;
    // One reconnect attempt, 1 s to connect and bind: a bind gives up 1 s after its link dropped.
    pool = new SmppBindPool({
      ...sandboxTransportOptions(sandbox, { windowSize: 2, reconnectAttempts: 1, reconnectBaseMs: 1, reconnectMaxMs: 2, connectTimeoutMs: 1000 }),
      port: gate.port,
      binds: 2,
    });
    await pool.start();
    await waitFor(() => sandbox.sessionCount === 2, '2 binds');
    const journal = new MemoryBroadcastJournal();
    let dark = false;
    const running = runBroadcast(recipients, {
      broadcastId: 'binds-apart',
      sender: pool,
      defaults: { from: 'CITYALERT' },
      message: {},
      journal,
      onAccepted: () => {
        if (sandbox.stats.accepted >= 100 && !dark) {
          // The host goes dark; one bind's link drops now, the other's later.
          dark = gate.dark = true;
          sandbox.dropConnections(1);
        }
      },
    }).then(
      () => null,
      (err: unknown) => err,
    );
    // The first bind's reconnect attempt, then (after it gave up) its seat's fresh bind: both wait unanswered.
    await waitFor(() => gate.held >= 2, 'the first bind to give up and its seat to try a fresh bind', 10_000);
    const accepted = sandbox.stats.accepted;
    expect(pool.boundCount).toBe(1); // the second bind carried on alone meanwhile
    await new Promise((r) => setTimeout(r, 500));
    expect(sandbox.stats.accepted).toBeGreaterThan(accepted);
    sandbox.dropConnections(); // now the second bind's link: it gives up 1 s later
    const droppedAt = performance.now();
    const outcome = await Promise.race([running, new Promise((r) => setTimeout(() => r('still running'), 8000))]);
    expect({ outcome: outcome === 'still running' ? 'still running 8 s after the last bind dropped' : 'ended', bound: pool.boundCount }).toEqual({
      outcome: 'ended',
      bound: 0,
    });
    expect(outcome).toBeInstanceOf(BroadcastStoppedError);
    const { summary } = outcome as BroadcastStoppedError;
    expect((outcome as BroadcastStoppedError).message).toMatch(/gave up reconnecting/);
    expect(performance.now() - droppedAt).toBeLessThan(8000);
    expect(summary.accepted + summary.uncertain).toBeGreaterThanOrEqual(sandbox.stats.accepted);
    expect(summary.accepted).toBeLessThanOrEqual(sandbox.stats.accepted);
  }, 30_000);
});
