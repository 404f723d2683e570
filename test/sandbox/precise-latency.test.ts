import { PreciseWakeup } from '../../src/sandbox/precise-wakeup';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

/**
 * The sandbox's benchmark mode answers at the configured latency using a worker thread's wake-up
 * instead of millisecond timers. What must hold is behaviour: it wakes, never before the time
 * asked, keeps the earliest of several times, and the sandbox never answers early.
 */
describe('PreciseWakeup', () => {
  let wakeup: PreciseWakeup | null = null;
  afterEach(async () => {
    await wakeup?.close();
    wakeup = null;
  });

  // A worker thread takes tens of milliseconds to start: arm only once it runs, or a wake-up
  // would be late because of the start and an early one could go unnoticed.
  const started = async (): Promise<void> => {
    await wakeup?.ready;
  };

  it('calls back once the time has come, never before', async () => {
    const fired: number[] = [];
    wakeup = new PreciseWakeup(() => fired.push(performance.now()));
    await started();
    const at = performance.now() + 7.3;
    wakeup.wakeAt(at);
    await new Promise((r) => setTimeout(r, 200));
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(at);
  });

  it('an earlier time replaces the armed one; a later one waits for the next arming', async () => {
    const fired: number[] = [];
    wakeup = new PreciseWakeup(() => fired.push(performance.now()));
    await started();
    const start = performance.now();
    wakeup.wakeAt(start + 150);
    wakeup.wakeAt(start + 5); // earlier: wins
    wakeup.wakeAt(start + 80); // later than the armed 5 ms: ignored
    await new Promise((r) => setTimeout(r, 300));
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(start + 5);
    expect(fired[0]).toBeLessThan(start + 80);
  });

  it('does not call back after close', async () => {
    const fired: number[] = [];
    wakeup = new PreciseWakeup(() => fired.push(performance.now()));
    wakeup.wakeAt(performance.now() + 30);
    await wakeup.close();
    wakeup = null;
    await new Promise((r) => setTimeout(r, 80));
    expect(fired).toHaveLength(0);
  });
});

describe('sandbox with preciseLatency', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  afterEach(async () => {
    await transport?.close();
    await smsc?.stop();
  });

  it('answers every submit, none sooner than the latency after it was sent', async () => {
    smsc = await startSandbox({ preciseLatency: true, faults: { latencyMs: 15 } });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 20 }));
    await transport.start();
    await new Promise((r) => setTimeout(r, 150)); // the wake-up thread is running
    // Submits 2 ms apart, so answers fall due while others arrive and wake-ups flush: an answer
    // let out early at any of those moments shows as a round trip under 15 ms.
    const pending: Array<Promise<number>> = [];
    for (let i = 0; i < 20; i++) {
      const pdu = blankMessagePdu();
      pdu.destination = { ton: 1, npi: 1, addr: String(447400000000 + i) };
      pdu.shortMessage = Buffer.from('precise');
      const sent = performance.now(); // before the write: never later than the real send
      pending.push(transport.submit(pdu).then(() => performance.now() - sent));
      await new Promise((r) => setTimeout(r, 2));
    }
    const roundTrips = await Promise.all(pending);
    expect(smsc.stats.accepted).toBe(20);
    expect(Math.min(...roundTrips)).toBeGreaterThanOrEqual(15);
  });
});
