// A huge message ID in Query Sent Message (no length check) goes to the carrier as a
// ~100 KB query_sm; the carrier drops the bind, and a submit of ANOTHER workflow in flight on the
// shared bind comes back as a possible duplicate (sent twice).
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { SentMessageControl } from '../../src/transport/smpp/sent';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { simpleSubmit } from '../support/messages';

describe('ATTACK: huge message ID on a shared bind', () => {
  let smsc: SandboxSmsc;
  afterEach(async () => {
    await smsc.stop();
  });

  it('does not disturb a submit in flight on the same bind', async () => {
    smsc = await startSandbox({ faults: { latencyMs: 300 } });
    const t = new SmppTransport(sandboxTransportOptions(smsc));
    t.on('error', () => undefined);
    await t.start();
    try {
      const other = t.submit(simpleSubmit('447911123401', 'Your parcel arrives today'));
      await new Promise((r) => setTimeout(r, 50));
      const q = await new SentMessageControl(t).query('A'.repeat(100_000), { ton: 5, npi: 0, addr: 'CITYALERT' }).then(
        () => 'answered',
        (e: Error) => e.message,
      );
      const result = await other;
      expect({ q, drops: smsc.stats.drops, copies: smsc.store.list({ to: '447911123401' }).length, possibleDuplicate: result.possibleDuplicate }).toEqual({
        q: expect.stringMatching(/message ID/i),
        drops: 0,
        copies: 1,
        possibleDuplicate: false,
      });
    } finally {
      await t.close(100);
    }
  });
});
