import * as net from 'net';
import { TpsThrottle } from '../../src/throttle/tps-throttle';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { numberRange, simpleSubmit } from '../support/messages';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

/**
 * Under a TPS cap each answer frees a slot and takes a token. Answers that arrive together must
 * still leave as one write of the new submits (a write per token was a syscall per message), and
 * the throttle must still be told when they left (a late write is charged to its log).
 */
describe('TPS cap: submits of answers that arrive together leave in one write', () => {
  let smsc: SandboxSmsc;
  beforeEach(async () => {
    smsc = await startSandbox({ recordMode: 'count', faults: { latencyMs: 10 } });
  });
  afterEach(async () => smsc.stop());

  it('writes fewer times than it submits, and reports every token written', async () => {
    const throttle = new TpsThrottle({ tps: 100_000, key: 'token-writes' });
    let reported = 0;
    const written = throttle.written.bind(throttle);
    throttle.written = (count: number): void => {
      reported += count;
      written(count);
    };
    const transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 20, throttle }));
    await transport.start();
    let writes = 0;
    const proto = net.Socket.prototype as unknown as { write: (...args: unknown[]) => boolean };
    const write = proto.write;
    proto.write = function (this: net.Socket, ...args: unknown[]): boolean {
      if (this.remotePort === smsc.port) writes++;
      return write.apply(this, args);
    };
    try {
      await Promise.all(numberRange(400).map((to) => transport.submit(simpleSubmit(to))));
    } finally {
      proto.write = write;
      await transport.close(100);
      await throttle.close();
    }
    expect(smsc.stats.accepted).toBe(400);
    expect(reported).toBe(400);
    // One write per token was 400 here; answers come a few at a time, so far fewer.
    expect(writes).toBeLessThan(400 * 0.6);
  });
});
