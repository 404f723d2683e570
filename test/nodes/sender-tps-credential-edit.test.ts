// TPS per Sender ID: the operator edits the credential's list (adds another sender) or
// its Binds while a limited sender is sending. The sender's budget must not start afresh: at the
// SMSC no sliding second may hold more than its TPS. Through the nodes' session opener
// (openSmppSession, what Send SMS uses), over real TCP to the sandbox.
import { busiestWindow } from '../../src/sandbox/message-store';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { parseSenderTps } from '../../src/gateway';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SubmitResult } from '../../src/transport/smpp/types';
import { openSmppSession } from '../../nodes/shared/sending/smpp-session';
import type { SmppCredentialSettings } from '../../nodes/shared/credentials/smpp-credential';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { simpleSubmit } from '../support/messages';

describe('TPS per Sender ID across an edit of the credential', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const settings = (list: string, binds = 1): SmppCredentialSettings =>
    ({
      connection: { ...sandboxTransportOptions(smsc, { responseTimeoutMs: 30_000 }), tps: 20, binds },
      sourceAddress: '',
      sourceTonNpi: undefined,
      defaultCountry: undefined,
      tlvs: [],
      senderTps: parseSenderTps(list, 20),
    }) as unknown as SmppCredentialSettings;

  const sendFromSlow = (session: Awaited<ReturnType<typeof openSmppSession>>, base: number): Array<Promise<SubmitResult>> =>
    Array.from({ length: 4 }, (_, i) => session.sender.submit(simpleSubmit(String(base + i), 'x', { source: { ton: 5, npi: 0, addr: 'SLOW' } })));

  it.each([
    ['another sender added to the list', 'SLOW=2, OTHER=5', 1],
    ['Binds changed from 1 to 2', 'SLOW=2', 2],
  ])(
    '%s: SLOW=2 still never has more than 2 in a sliding second at the SMSC',
    async (_what, edited, binds) => {
      smsc = await startSandbox();
      const before = await openSmppSession(settings('SLOW=2'));
      const first = sendFromSlow(before, 447911500000);
      // The edit lands while SLOW's parts are going out under the old list.
      await new Promise((r) => setTimeout(r, 100));
      const after = await openSmppSession(settings(edited, binds));
      const second = sendFromSlow(after, 447911510000);
      const results = await Promise.all([...first, ...second]);
      expect(results).toHaveLength(8);
      const arrivals = smsc.store
        .list({ from: 'SLOW' })
        .map((m) => m.receivedAt)
        .sort((a, b) => a - b);
      expect({ count: arrivals.length, busiest: busiestWindow(arrivals, 1000) }).toEqual({ count: 8, busiest: 2 });
      await before.release();
      await after.release();
    },
    60_000,
  );
});
