// Attack on TPS per Sender ID: README says "a sender's own parts keep their order". A sender at
// 1/s on 4 binds, with another sender's traffic around it: the SMSC must get its parts in the
// order they were submitted. Over real TCP to the sandbox.
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { parseSenderTps, SenderTpsLimit } from '../../src/gateway';
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';
import { simpleSubmit } from '../support/messages';

describe("TPS per Sender ID over several binds: a sender's order", () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  it('SLOW=2 parts reach the SMSC in the order submitted (4 binds; the sandbox numbers messages in arrival order)', async () => {
    const binds = 4;
    smsc = await startSandbox({ faults: { latencyMs: 3 } });
    const lease = await acquireSmppTransport({ ...sandboxTransportOptions(smsc, { responseTimeoutMs: 30_000, windowSize: 2 }), tps: 20, binds });
    await waitFor(() => smsc.sessionCount === binds, 'binds');
    const sender = new SenderTpsLimit(parseSenderTps('SLOW=2', 20)).wrap(lease.resource);
    const sent = [];
    for (let i = 0; i < 6; i++) {
      sent.push(sender.submit(simpleSubmit(String(447911700000 + i), 'x', { source: { ton: 5, npi: 0, addr: 'SLOW' } })));
      for (let j = 0; j < 5; j++) sent.push(sender.submit(simpleSubmit(String(447911710000 + i * 10 + j), 'x', { source: { ton: 5, npi: 0, addr: 'FAST' } })));
    }
    await Promise.all(sent);
    const order = smsc.store
      .list({ from: 'SLOW' })
      .sort((a, b) => parseInt(a.id, 16) - parseInt(b.id, 16))
      .map((m) => Number(m.to) - 447911700000);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);
});
