// One or several binds, one long message, and the SMSC unbinds the session that took part 1
// before part 2 is written. An SMSC that joins parts per session cannot join parts from two
// sessions (a rebound session is another session for the carrier, as another bind's would be), so
// the whole message goes again over one new session, same reference, in order, and the result
// says possibleDuplicate (part 1 reached the carrier twice). Over real TCP to the sandbox.
import { acquireSmppTransport, closeAllSmppTransports } from '../../../src/registry/smpp-registry';
import { prepareSms, sendPrepared } from '../../../src/gateway';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import type { SmscSession } from '../../../src/sandbox/smsc-session';
import type { MessagePdu } from '../../../src/transport/smpp/pdu/message-pdu';
import { sandboxTransportOptions, startSandbox, waitFor } from '../../support/sandbox';

const LONG =
  'Flood warning for the river district: move to higher ground now, take medicines and papers, and follow the marked routes to the school on Hill Road. Do not drive through water. Updates every hour on this number and on local radio. Shelters are open at the town hall, the sports centre and St Mary church; bring blankets.';

describe.each([1, 4])('%i bind(s): a bind unbinds between the parts of one long message', (binds) => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  it('the whole message goes again over one session, flagged possibleDuplicate', async () => {
    smsc = await startSandbox();
    const lease = await acquireSmppTransport({ ...sandboxTransportOptions(smsc, { windowSize: 1, responseTimeoutMs: 30_000 }), binds });
    await waitFor(() => smsc.sessionCount === binds && lease.resource.boundCount === binds, `${binds} binds`);
    const original = smsc.onSubmit.bind(smsc);
    let unbound = false;
    smsc.onSubmit = (session: SmscSession, pdu: MessagePdu) => {
      const answer = original(session, pdu);
      // Maintenance unbind of the session that took the first part, right after it took it.
      if (!unbound && pdu.destination.addr === '447911123999') {
        unbound = true;
        session.unbind();
      }
      return answer;
    };
    const result = await sendPrepared(lease.resource, prepareSms({ to: '+447911123999', from: 'CITYALERT', text: LONG }));
    expect({ status: result.status, parts: result.parts, possibleDuplicate: result.possibleDuplicate }).toEqual({
      status: 'accepted',
      parts: 3,
      possibleDuplicate: true,
    });
    const got = smsc.store.list({ to: '447911123999' });
    const bySession = new Map<number | undefined, number[]>();
    for (const m of got) bySession.set(m.session, [...(bySession.get(m.session) ?? []), m.concat?.seq ?? 0]);
    const perSession = [...bySession.values()].map((seqs) => seqs.sort()).sort((a, b) => b.length - a.length);
    // The session that took part 1 and ended, and the new one that carries the whole message.
    expect({ perSession, references: new Set(got.map((m) => m.concat?.ref)).size }).toEqual({ perSession: [[1, 2, 3], [1]], references: 1 });
  }, 30_000);
});
