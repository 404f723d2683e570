// Several binds per credential, over real TCP to the sandbox: the window is per bind, the TPS cap
// is the credential's, receipts and MO messages arrive on any bind and are handled once.
import { acquireSmppTransport, closeAllSmppTransports, receiptTrackerOf } from '../../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../../src/registry/smpp-registry';
import { receiptTrackerFor } from '../../../src/dlr/tracker-registry';
import { isReceiptPdu } from '../../../src/transport/smpp/receipt-format/receipt-or-message';
import { resetCarrierReceiptTrackers } from '../../../src/dlr/carrier-receipts';
import { connectionStatuses } from '../../../src/observability/connection-board';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import type { SendThrottle } from '../../../src/transport/smpp/types';
import { numberRange, simpleSubmit } from '../../support/messages';
import { sandboxTransportOptions, startSandbox, waitFor } from '../../support/sandbox';

/** The most of `times` (ms, sorted) within any 1,000 ms. */
function busiestSecond(times: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('several binds per credential (sandbox over TCP)', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    resetCarrierReceiptTrackers();
    await smsc.stop();
  });

  const config = (extra: Partial<SmppConnectionConfig>): SmppConnectionConfig => ({ ...sandboxTransportOptions(smsc), label: 'pool-test', ...extra });

  it('4 binds share the TPS cap, each within its own window', async () => {
    smsc = await startSandbox({ faults: { latencyMs: 20 } });
    const lease = await acquireSmppTransport(config({ binds: 4, windowSize: 5, tps: 300 }));
    await waitFor(() => smsc.sessionCount === 4, '4 binds at the sandbox');
    // Every token any bind takes, from the credential's one throttle.
    const throttle = lease.resource.options.throttle as SendThrottle;
    const takes: number[] = [];
    const take = throttle.tryTake.bind(throttle);
    throttle.tryTake = () => {
      const granted = take();
      if (granted) takes.push(performance.now());
      return granted;
    };
    const numbers = numberRange(900);
    const results = await Promise.all(numbers.map((to) => lease.resource.submit(simpleSubmit(to))));
    expect(new Set(results.map((r) => r.messageId)).size).toBe(900);
    expect(smsc.stats.accepted).toBe(900);
    expect(smsc.peakSessionCount).toBe(4);
    const sessions = smsc.boundSessions();
    expect(sessions).toHaveLength(4);
    for (const s of sessions) {
      // Every bind carried its share, and never more than its window at once.
      expect(s.submits).toBeGreaterThan(100);
      expect(s.maxOutstanding).toBeLessThanOrEqual(5);
    }
    // The cap is the credential's, not each bind's (4 x 300 would pass 1,200 in a second): the
    // binds' tokens together never pass 300 in a sliding second, and the sandbox sees the same
    // within arrival jitter (it shares this loaded event loop; the throttle counts 1,025 ms).
    expect(takes).toHaveLength(900);
    expect(busiestSecond(takes)).toBeLessThanOrEqual(300);
    expect(smsc.store.maxInWindow(1000)).toBeLessThanOrEqual(315);
    // The binds together go past one window's bound (5 / 20 ms = 250/s): they really are used at once.
    expect(smsc.store.maxInWindow(1000)).toBeGreaterThan(250);
    await lease.release();
  });

  it('receipts and MO messages that arrive on any bind are handled once each', async () => {
    smsc = await startSandbox({ spreadDeliveries: true, receipt: { outcome: 'DELIVRD', delayMs: 5 } });
    const mo: string[] = [];
    const connection = config({ binds: 3 });
    const lease = await acquireSmppTransport(connection, (pool) => {
      pool.addInboundHandler((message) => {
        if (!isReceiptPdu(message.pdu)) mo.push(message.pdu.shortMessage.toString('latin1'));
      });
    });
    await waitFor(() => smsc.sessionCount === 3, '3 binds');
    const sent = await Promise.all(numberRange(12).map((to) => lease.resource.submit(simpleSubmit(to, 'hi', { registeredDelivery: 1 }))));
    const tracker = receiptTrackerFor(lease.resource, receiptTrackerOf(connection));
    const receipts = await Promise.all(sent.map((r) => tracker.waitFor(r.messageId, 5000)));
    expect(receipts.map((r) => r?.status)).toEqual(sent.map(() => 'DELIVRD'));
    for (let i = 0; i < 9; i++) await smsc.injectMo({ from: '+447700900001', to: '12345', text: `mo ${i}` });
    await waitFor(() => mo.length >= 9, '9 MO messages');
    await new Promise((r) => setTimeout(r, 100));
    expect(mo.sort()).toEqual(Array.from({ length: 9 }, (_, i) => `mo ${i}`));
    // They did come over several binds: the pool listens on each.
    const members = lease.resource.members.map((m) => m.metrics().deliverReceived);
    expect(members.filter((n) => n > 0).length).toBe(3);
    await lease.release();
  });

  it('a bind that drops: what it held goes to the others, which carry on while it cannot rebind', async () => {
    smsc = await startSandbox({ faults: { latencyMs: 5 } });
    // It tries to rebind for ever: nothing may wait for it.
    const lease = await acquireSmppTransport(config({ binds: 4, windowSize: 10, reconnectBaseMs: 300, reconnectMaxMs: 300, reconnectAttempts: 0 }));
    await waitFor(() => smsc.sessionCount === 4, '4 binds');
    const pool = lease.resource;
    const sends = numberRange(3000).map((to) => pool.submit(simpleSubmit(to)));
    await waitFor(() => smsc.stats.accepted >= 500, '500 accepted');
    // The carrier refuses new binds for a while: the dropped bind cannot come straight back.
    const accounts = smsc.options.accounts;
    Object.assign(smsc.options, { accounts: [{ systemId: 'sandbox', password: 'not-now' }] });
    expect(smsc.dropConnections(1)).toBe(1);
    const atDrop = smsc.stats.accepted;
    // While the dropped bind waits for its rebind, the other three go on.
    await waitFor(() => smsc.stats.accepted >= atDrop + 300, 'sending to go on over the other binds', 5000);
    expect(smsc.stats.bindFailures).toBeGreaterThan(0);
    expect(pool.boundCount).toBe(3);
    expect(pool.state).toBe('bound');
    // Get Gateway Status tells a bind short.
    expect(connectionStatuses().find((status) => status.kind === 'smpp')).toMatchObject({ up: true, binds: 4, bindsUp: 3 });
    // Every message answered while the dropped bind is still refused.
    const results = await Promise.all(sends);
    expect(results).toHaveLength(3000);
    expect(smsc.sessionCount).toBe(3);
    Object.assign(smsc.options, { accounts });
    await waitFor(() => smsc.sessionCount === 4, 'the dropped bind back');
    // What was written on the dropped bind and resent is flagged; nobody else got a copy.
    const flagged = results.filter((r) => r.possibleDuplicate).length;
    expect(smsc.store.uniqueDestinations()).toBe(3000);
    expect(smsc.store.duplicates().extraCopies).toBeLessThanOrEqual(flagged);
    await lease.release();
  });

  it('a wrong password fails the start with the bind error, and leaves no bind trying', async () => {
    smsc = await startSandbox();
    await expect(acquireSmppTransport(config({ binds: 3, password: 'wrong' }))).rejects.toThrow(/password|ESME_RINVPASWD|refused/i);
    const failures = smsc.stats.bindFailures;
    await new Promise((r) => setTimeout(r, 500));
    expect(smsc.stats.bindFailures).toBe(failures);
    expect(failures).toBe(3);
  });
});
