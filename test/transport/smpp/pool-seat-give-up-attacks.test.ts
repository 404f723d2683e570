/**
 * Attacks on when a bind pool gives up for good (each seat records why it gave up; the pool gives
 * up when every seat has). Real TCP to the sandbox SMSC, sometimes through a front that can refuse
 * or hold new connections.
 */
import * as net from 'node:net';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import { SmppBindPool } from '../../../src/transport/smpp/bind-pool';
import { simpleSubmit } from '../../support/messages';
import { sandboxTransportOptions, startSandbox, waitFor } from '../../support/sandbox';

const ESME_RALYBND = 0x05;
const ESME_RSYSERR = 0x08;

/** A TCP front: passes connections through, resets them at once, or holds them unread until released. */
async function startFront(target: number): Promise<{
  port: number;
  mode: 'pass' | 'reset' | 'hold';
  resets: number;
  held: net.Socket[];
  release(): void;
  close(): Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const pipe = (client: net.Socket): void => {
    const upstream = net.connect(target, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  const front = {
    port: 0,
    mode: 'pass' as 'pass' | 'reset' | 'hold',
    resets: 0,
    held: [] as net.Socket[],
    release(): void {
      for (const client of front.held.splice(0)) pipe(client);
    },
    close: async (): Promise<void> => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((client) => {
    track(client);
    if (front.mode === 'reset') {
      front.resets++;
      client.resetAndDestroy();
    } else if (front.mode === 'hold') {
      client.pause();
      front.held.push(client);
    } else pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  front.port = (server.address() as net.AddressInfo).port;
  return front;
}

describe('a bind pool giving up (attacks)', () => {
  let smsc: SandboxSmsc | null = null;
  let pool: SmppBindPool | null = null;
  let front: Awaited<ReturnType<typeof startFront>> | null = null;
  afterEach(async () => {
    // A bind left open by a pool that gave up is closed here so the run ends.
    for (const member of pool?.members ?? []) await member.close(0).catch(() => undefined);
    await pool?.close(0).catch(() => undefined);
    await front?.close();
    await smsc?.stop().catch(() => undefined);
    pool = null;
    front = null;
    smsc = null;
  });

  it('a carrier that allows one bind of two and refuses binds for 1.3 s: the seat that still has attempts gets through, the pool does not give up', async () => {
    smsc = await startSandbox({ faults: { latencyMs: 5 } });
    const sandbox = smsc;
    // The carrier allows one bind for the account (ESME_RALYBND for a second), and refuses every
    // bind while `outage` is on.
    let outage = false;
    let refused = 0;
    const authenticate = sandbox.authenticate.bind(sandbox);
    sandbox.authenticate = (systemId: string, password: string): number => {
      if (outage) return (refused++, ESME_RSYSERR);
      if (sandbox.sessionCount >= 1) return (refused++, ESME_RALYBND);
      return authenticate(systemId, password);
    };
    // Two attempts in a row per seat: the bound seat's bind gives up about 1 s after its link
    // dropped (attempts at 0 and 0.5-1 s); the unbound seat retries at 0.5-1 s and 1.5-3 s.
    pool = new SmppBindPool({
      ...sandboxTransportOptions(sandbox, { reconnectAttempts: 2, reconnectBaseMs: 1000, reconnectMaxMs: 4000 }),
      binds: 2,
    });
    const gaveUp: string[] = [];
    pool.on('gaveUp', (err) => gaveUp.push(err.message));
    await pool.start();
    await waitFor(() => refused >= 1, 'the second seat refused (ESME_RALYBND)');
    expect(pool.boundCount).toBe(1);

    // The carrier drops the bound one and refuses binds for 1.3 s.
    outage = true;
    expect(sandbox.sessionCount).toBe(1);
    sandbox.dropConnections();
    setTimeout(() => {
      outage = false;
    }, 1300);
    await waitFor(() => pool?.boundCount === 0, 'the bound link to drop');

    // The second seat has failed at most twice of its 2+1 when the first seat's bind gives up; its
    // third try (at 1.5 s or later) finds the carrier taking binds again.
    await waitFor(() => pool?.boundCount === 1 || gaveUp.length > 0, 'a seat to bind again, or the pool to give up', 8000);
    expect({ gaveUp, bound: pool.boundCount, state: pool.state }).toEqual({ gaveUp: [], bound: 1, state: 'bound' });
    await expect(pool.submit(simpleSubmit('+447700900001'))).resolves.toMatchObject({ messageId: expect.any(String) });
  }, 20_000);

  it('a seat still binding when the pool gives up leaves no bind open at the carrier', async () => {
    smsc = await startSandbox({ faults: { latencyMs: 5 } });
    const sandbox = smsc;
    front = await startFront(sandbox.port);
    const gate = front;
    // One reconnect attempt; a fresh bind may take 4 s to connect and bind.
    pool = new SmppBindPool({
      ...sandboxTransportOptions(sandbox, { reconnectAttempts: 1, reconnectBaseMs: 10, reconnectMaxMs: 300, connectTimeoutMs: 4000 }),
      port: gate.port,
      binds: 2,
    });
    const gaveUp: string[] = [];
    pool.on('gaveUp', (err) => gaveUp.push(err.message));
    await pool.start();
    await waitFor(() => sandbox.sessionCount === 2, '2 binds');

    // The first bind's link drops and its one reconnect is reset: it gives up; its seat opens a
    // fresh bind 0.3 s later, which the front holds (connected, unanswered).
    gate.mode = 'reset';
    sandbox.dropConnections(1);
    await waitFor(() => gate.resets >= 1, 'the first bind to try its reconnect');
    gate.mode = 'hold';
    await waitFor(() => gate.held.length >= 1, "the first seat's fresh bind");

    // The second bind's link drops and its reconnect is reset: every seat has given up.
    gate.mode = 'reset';
    sandbox.dropConnections();
    await waitFor(() => gaveUp.length > 0, 'the pool to give up', 5000);
    expect(gaveUp[0]).toMatch(/gave up reconnecting/);
    expect(pool.state).toBe('closed');

    // The carrier answers the held connection now, well within its 4 s to bind.
    gate.mode = 'pass';
    gate.release();
    await new Promise((r) => setTimeout(r, 1000));
    await pool.close(0);
    await new Promise((r) => setTimeout(r, 300));
    expect({ bindsAtCarrier: sandbox.sessionCount, poolMembers: pool.members.length, poolBound: pool.boundCount }).toEqual({
      bindsAtCarrier: 0,
      poolMembers: 0,
      poolBound: 0,
    });
  }, 20_000);
});
