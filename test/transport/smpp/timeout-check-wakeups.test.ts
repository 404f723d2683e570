import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import { sandboxTransportOptions, startSandbox } from '../../support/sandbox';
import { simpleSubmit } from '../../support/messages';

/**
 * Every wake-up of an idle process costs 100-250 µs of CPU on a VM: a response-timeout sweep
 * every second was 5 µs per message at window 1 (46 msg/s), and woke an idle transport every
 * second for nothing. The check runs only when an answer can be due, and a stall is still found
 * within the response timeout, also after the transport sat idle.
 */
describe('SMPP transport: the response-timeout check wakes only when an answer can be late', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport | null = null;
  let checks: jest.SpyInstance;
  beforeEach(() => {
    // checkTimeouts is private: counted through the prototype, where every instance calls it.
    checks = jest.spyOn(SmppTransport.prototype as unknown as { checkTimeouts(): void }, 'checkTimeouts');
  });
  afterEach(async () => {
    checks.mockRestore();
    smsc.setFaults({ stalled: false });
    await transport?.close(100);
    transport = null;
    await smsc.stop();
  });

  it('does not check while every answer comes well within the timeout', async () => {
    smsc = await startSandbox({ recordMode: 'count', faults: { latencyMs: 10 } });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 1, responseTimeoutMs: 2000 }));
    await transport.start();
    const started = performance.now();
    let sent = 0;
    // One at a time for 1.2 s, as a 20-TPS contract or an OTP stream sends: each answer in ~10 ms.
    while (performance.now() - started < 1200) {
      await transport.submit(simpleSubmit(String(447700900000 + sent++)));
    }
    expect(sent).toBeGreaterThan(10);
    // A sweep every quarter of the timeout (500 ms) checked 2-3 times here; no answer was ever 2 s late.
    expect(checks).toHaveBeenCalledTimes(0);
  });

  it('does not check while idle, and still finds a stall after the idle time', async () => {
    smsc = await startSandbox({ recordMode: 'count' });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 1, responseTimeoutMs: 150, maxAttempts: 3 }));
    await transport.start();
    await transport.submit(simpleSubmit('447700900001'));
    // Nothing in flight for 500 ms: a sweep every 37 ms ran ~13 times. Now one check at most, the
    // one set for the answer to the last submit (clearing it would not spare the wake-up: Node's
    // timer still fires at the time it was set for).
    await new Promise((r) => setTimeout(r, 500));
    expect(checks.mock.calls.length).toBeLessThanOrEqual(1);
    checks.mockClear();
    smsc.setFaults({ stalled: true });
    const t = transport;
    const disconnected = new Promise<string>((resolve) => t.once('disconnected', (d) => resolve(d.reason)));
    const submitted = performance.now();
    const sending = t.submit(simpleSubmit('447700900002'));
    expect(await disconnected).toMatch(/no submit_sm_resp within 150 ms/);
    // Found when it was due, not a sweep later (generous: a loaded CI machine runs timers late).
    expect(performance.now() - submitted).toBeLessThan(150 + 1000);
    smsc.setFaults({ stalled: false });
    await expect(sending).resolves.toMatchObject({ possibleDuplicate: true, attempts: 2 });
  });
});
