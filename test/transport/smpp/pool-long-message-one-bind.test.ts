// The parts of one long message leave over one bind when a credential has several: some SMSCs
// reassemble per session and cannot join parts that came over different binds. Over real TCP to
// the sandbox, which records the session each part arrived on.
import { acquireSmppTransport, closeAllSmppTransports } from '../../../src/registry/smpp-registry';
import { prepareSms, sendPrepared } from '../../../src/gateway';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import { sandboxTransportOptions, startSandbox, waitFor } from '../../support/sandbox';

const LONG =
  'Flood warning for the river district: move to higher ground now, take medicines and papers, and follow the marked routes to the school on Hill Road. Do not drive through water. Updates every hour on this number and on local radio.';

describe('several binds and long messages', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  it('all parts of each message arrive on one bind session, and the messages use every bind', async () => {
    smsc = await startSandbox({ faults: { latencyMs: 5 } });
    const lease = await acquireSmppTransport({ ...sandboxTransportOptions(smsc, { windowSize: 2, responseTimeoutMs: 30_000 }), binds: 4 });
    await waitFor(() => smsc.sessionCount === 4 && lease.resource.boundCount === 4, '4 binds, bound on both sides');
    const numbers = Array.from({ length: 24 }, (_, i) => `+4479111236${String(i).padStart(2, '0')}`);
    const results = await Promise.all(numbers.map((to) => sendPrepared(lease.resource, prepareSms({ to, from: 'CITYALERT', text: LONG }))));
    expect(results.map((r) => [r.status, r.parts])).toEqual(numbers.map(() => ['accepted', 2]));
    const sessionsOf = new Map<string, Set<number | undefined>>();
    for (const m of smsc.store.list({ from: 'CITYALERT' })) {
      const key = `${m.to}|${m.concat?.ref}`;
      sessionsOf.set(key, (sessionsOf.get(key) ?? new Set()).add(m.session));
    }
    expect(smsc.store.list({ from: 'CITYALERT' })).toHaveLength(48);
    const split = [...sessionsOf].filter(([, sessions]) => sessions.size !== 1).map(([key, sessions]) => `${key}: sessions ${[...sessions].join(', ')}`);
    expect(split).toEqual([]);
    const used = new Set([...sessionsOf.values()].map((s) => [...s][0]));
    expect(used.size).toBe(4);
  }, 30_000);
});
