// Several binds of one credential wait for the same TPS budget, over real TCP to the sandbox: a
// wake-up must reach each waiting bind once, not once per earlier wake-up (that multiplied the
// wake-ups at every refill, blocked the event loop for seconds and got answered submits resent).
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import type { SendThrottle } from '../../src/transport/smpp/types';
import { numberRange, simpleSubmit } from '../support/messages';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';

describe('a TPS budget shared by 4 binds', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  it('asks the budget a bounded number of times while 4 binds wait for it, and sends each message once', async () => {
    smsc = await startSandbox();
    const lease = await acquireSmppTransport({ ...sandboxTransportOptions(smsc, { responseTimeoutMs: 30_000 }), tps: 10, binds: 4 });
    await waitFor(() => smsc.sessionCount === 4, '4 binds at the sandbox');
    const throttle = lease.resource.options.throttle as SendThrottle;
    let asked = 0;
    const tryTake = throttle.tryTake.bind(throttle);
    throttle.tryTake = () => {
      asked++;
      return tryTake();
    };
    const results = await Promise.all(numberRange(40, 447911340000).map((to) => lease.resource.submit(simpleSubmit(to))));
    expect(results.filter((r) => r.possibleDuplicate || r.attempts > 1)).toEqual([]);
    expect(smsc.stats.accepted).toBe(40);
    // 40 tokens over about 4 s of refills (one every 50 ms at most), each tried by at most the 4
    // binds: a few hundred asks. Wake-ups that multiply at each refill make it tens of thousands.
    expect(asked).toBeLessThan(1500);
  }, 60_000);
});
