import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { numberRange, simpleSubmit } from '../support/messages';

/**
 * The sandbox's maxOutstanding is how benchmarks and tests check a client's send window: the
 * most submits it held unanswered at once, whatever else the client sends.
 */
describe('sandbox: maxOutstanding counts unanswered submits', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport | null = null;
  afterEach(async () => {
    await transport?.close(100);
    transport = null;
    await smsc?.stop();
  });

  // An enquire_link the client sends while its window is full is not a submit: counting its held
  // answer made a client that kept its window of 100 look like it had 101 outstanding (a
  // queue-mode benchmark failed on it).
  it('a full window plus enquire_links at the same latency peaks at the window', async () => {
    smsc = await startSandbox({ faults: { latencyMs: 200 } });
    transport = new SmppTransport({ ...sandboxTransportOptions(smsc), windowSize: 3, enquireLinkMs: 50 });
    await transport.start();
    const t = transport;
    await Promise.all(numberRange(9).map((to) => t.submit(simpleSubmit(to))));
    expect(smsc.maxOutstanding).toBe(3);
    expect(smsc.boundSessions().map((s) => s.maxOutstanding)).toEqual([3]);
  });

  // At latency 0 (the default) each answer is written as its submit is read: it was still unanswered for a moment.
  it('a client with submits in flight at latency 0 counts at least one', async () => {
    smsc = await startSandbox();
    transport = new SmppTransport({ ...sandboxTransportOptions(smsc), windowSize: 5 });
    await transport.start();
    const t = transport;
    await Promise.all(numberRange(50).map((to) => t.submit(simpleSubmit(to))));
    expect(smsc.maxOutstanding).toBeGreaterThanOrEqual(1);
  });
});
