import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import { SmppSubmitError } from '../../../src/transport/smpp/types';
import type { SubmitResult } from '../../../src/transport/smpp/types';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import { Status } from '../../../src/transport/smpp/command-status';
import { sandboxTransportOptions, startSandbox } from '../../support/sandbox';
import { numberRange, simpleSubmit } from '../../support/messages';

type Outcome = { to: string; result?: SubmitResult; error?: SmppSubmitError };

async function sendAll(t: SmppTransport, numbers: string[], concurrency = numbers.length): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < numbers.length) {
      const to = numbers[next++];
      try {
        outcomes.push({ to, result: await t.submit(simpleSubmit(to, `msg ${to}`)) });
      } catch (error) {
        outcomes.push({ to, error: error as SmppSubmitError });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, numbers.length) }, worker));
  return outcomes;
}

describe('SMPP submit', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport | null = null;
  const open = async (
    extra: Partial<ConstructorParameters<typeof SmppTransport>[0]> = {},
    sandbox: Parameters<typeof startSandbox>[0] = {},
  ): Promise<SmppTransport> => {
    smsc = await startSandbox(sandbox);
    transport = new SmppTransport({ ...sandboxTransportOptions(smsc), ...extra });
    await transport.start();
    return transport;
  };
  afterEach(async () => {
    await transport?.close(100);
    transport = null;
    await smsc?.stop();
  });

  it('never has more than the window outstanding at the server', async () => {
    const t = await open({ windowSize: 7 }, { faults: { latencyMs: 15 } });
    const outcomes = await sendAll(t, numberRange(300));
    expect(outcomes.filter((o) => o.result)).toHaveLength(300);
    expect(smsc.maxOutstanding).toBe(7);
    expect(t.metrics()).toMatchObject({ sent: 300, acked: 300, failed: 0, inFlight: 0, queued: 0 });
  });

  it('resends a message whose answer timed out, after rebind, flagged as a possible duplicate', async () => {
    const t = await open({ responseTimeoutMs: 150, maxAttempts: 3 });
    smsc.setFaults({ stalled: true });
    const disconnected = new Promise<string>((resolve) => t.once('disconnected', (d) => resolve(d.reason)));
    const sending = t.submit(simpleSubmit('447700900001'));
    expect(await disconnected).toMatch(/no submit_sm_resp within 150 ms/);
    smsc.setFaults({ stalled: false });
    await expect(sending).resolves.toMatchObject({ possibleDuplicate: true, attempts: 2 });
    // the stalled copy reached the sandbox too: the duplicate we reported is real
    expect(smsc.store.list({ to: '447700900001' })).toHaveLength(2);
  });

  it('fails with a clear reason when the carrier never answers again (no hang)', async () => {
    const t = await open({ responseTimeoutMs: 150, connectTimeoutMs: 150, maxAttempts: 2, reconnectAttempts: 3 });
    smsc.setFaults({ stalled: true });
    const err = await t.submit(simpleSubmit('447700900001')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmppSubmitError);
    expect(err).toMatchObject({ reason: 'retries_exhausted', possibleDuplicate: true });
    expect((err as Error).message).toMatch(/gave up reconnecting .* after 3 attempts; the message was not sent/);
    expect(t.state).toBe('closed');
    expect(t.metrics()).toMatchObject({ inFlight: 0, queued: 0, failed: 1 });
  });

  it('fails a permanent error at once and keeps sending the others', async () => {
    const t = await open({}, { faults: { failDestinations: ['447700900005'], failStatus: Status.invalidDestination } });
    const outcomes = await sendAll(t, numberRange(10, 447700900000));
    const failed = outcomes.filter((o) => o.error);
    expect(failed).toHaveLength(1);
    expect(failed[0].to).toBe('447700900005');
    expect(failed[0].error).toMatchObject({ reason: 'rejected', statusName: 'ESME_RINVDSTADR', attempts: 1 });
    expect(failed[0].error?.message).toMatch(/invalid destination address/);
    expect(smsc.stats.accepted).toBe(9);
  });

  it('retries throttled submits (30% ESME_RTHROTTLED) until every one is accepted, without duplicates', async () => {
    const t = await open({ windowSize: 10 }, { faults: { throttleRatio: 0.3, latencyMs: 2 } });
    const numbers = numberRange(1000);
    const outcomes = await sendAll(t, numbers);
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(smsc.stats.throttled).toBeGreaterThan(100);
    expect(smsc.store.uniqueDestinations()).toBe(1000);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
    expect(outcomes.every((o) => o.result?.possibleDuplicate === false)).toBe(true);
    expect(t.metrics().throttled).toBe(smsc.stats.throttled);
  });

  it('at window 1, sends throttled retries and the queue behind them once each, never two outstanding', async () => {
    // Every answer frees the only slot: what waits (retries after their backoff, the queue, a
    // pause after persistent throttling) must still be written when the window has room again.
    const t = await open({ windowSize: 1 }, { faults: { throttleRatio: 0.6, latencyMs: 1 } });
    const outcomes = await sendAll(t, numberRange(100));
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(smsc.stats.throttled).toBeGreaterThan(40);
    expect(smsc.maxOutstanding).toBe(1);
    expect(smsc.store.uniqueDestinations()).toBe(100);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
    expect(t.metrics()).toMatchObject({ acked: 100, failed: 0, inFlight: 0, queued: 0 });
  });

  it('loses nothing when the link drops 3 times during 10,000 submits, and flags every possible duplicate', async () => {
    const t = await open({ windowSize: 50, maxAttempts: 5 }, { recordMode: 'count', faults: { latencyMs: 1 } });
    const numbers = numberRange(10_000);
    let accepted = 0;
    smsc.on('message', () => undefined);
    const drops = [2000, 5000, 8000];
    const timer = setInterval(() => {
      accepted = smsc.stats.accepted;
      if (drops.length && accepted >= drops[0]) {
        drops.shift();
        smsc.dropConnections();
      }
    }, 1);
    const outcomes = await sendAll(t, numbers, 500);
    clearInterval(timer);
    expect(drops).toEqual([]);
    expect(outcomes).toHaveLength(10_000);
    const failed = outcomes.filter((o) => o.error);
    for (const f of failed) expect(f.error?.message).toBeTruthy();
    expect(failed).toEqual([]);
    // Every recipient reached the sandbox; every extra copy there was reported by us.
    expect(smsc.store.uniqueDestinations()).toBe(10_000);
    const reported = outcomes.filter((o) => o.result?.possibleDuplicate).length;
    const seen = smsc.store.duplicates().extraCopies;
    expect(reported).toBeGreaterThanOrEqual(seen);
    expect(reported).toBeLessThanOrEqual(3 * 50);
    expect(t.metrics().reconnects).toBeGreaterThanOrEqual(3);
  });
});
