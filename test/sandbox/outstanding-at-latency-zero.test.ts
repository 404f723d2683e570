import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { numberRange, simpleSubmit } from '../support/messages';

/** The sandbox's maxOutstanding (how tests check a client's window) at latency 0. */
describe('sandbox maxOutstanding at latency 0', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport | null = null;
  afterEach(async () => {
    await transport?.close(100);
    transport = null;
    await smsc?.stop();
  });

  // Breaks promise 4: at latency 0 (the default) answers are written without being counted, so maxOutstanding stays 0 while the client had submits unanswered.
  it('a client with submits in flight counts at least one', async () => {
    smsc = await startSandbox();
    transport = new SmppTransport({ ...sandboxTransportOptions(smsc), windowSize: 5 });
    await transport.start();
    const t = transport;
    await Promise.all(numberRange(50).map((to) => t.submit(simpleSubmit(to))));
    // Every submit was unanswered for a while (it crossed the socket to the SMSC): the peak is at least 1.
    expect(smsc.maxOutstanding).toBeGreaterThanOrEqual(1);
  });
});
