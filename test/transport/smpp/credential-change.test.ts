/**
 * A credential edited while its bind is shared: an active SMS Trigger holds the connection for
 * good, so the change must reach that connection (not open a second one next to it), without
 * losing or duplicating what is in flight when it happens.
 */
import { acquireSmppTransport, closeAllSmppTransports } from '../../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import { busiestWindow } from '../../../src/sandbox/message-store';
import { numberRange, simpleSubmit } from '../../support/messages';
import { startSandbox, waitFor } from '../../support/sandbox';

const account = { systemId: 'acct', password: 'old-pw' };
let smsc: SandboxSmsc;

beforeAll(() => {
  process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
});
beforeEach(async () => {
  account.password = 'old-pw';
  smsc = await startSandbox({ accounts: [account], faults: { latencyMs: 150 }, recordMode: 'count' });
});
afterEach(async () => {
  await closeAllSmppTransports();
  await smsc.stop();
});

function credential(extra: Partial<SmppConnectionConfig>): SmppConnectionConfig {
  return {
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'acct',
    password: 'old-pw',
    windowSize: 10,
    enquireLinkMs: 0,
    responseTimeoutMs: 5000,
    reconnectBaseMs: 20,
    tps: 50,
    ...extra,
  };
}

it("password changed and TPS lowered from 50 to 5 while 60 messages are under way on the trigger's bind: the same connection binds again with the new password, none is lost or sent twice, and the new TPS holds", async () => {
  const held = await acquireSmppTransport(credential({})); // the SMS Trigger's lease, held throughout
  const sending = Promise.all(
    numberRange(60).map((to) =>
      held.resource.submit(simpleSubmit(to, `change ${to}`)).then(
        (r) => r,
        (e: Error) => e,
      ),
    ),
  );
  await waitFor(() => smsc.stats.submits >= 12, '12 submits at the SMSC');

  account.password = 'new-pw'; // the carrier changed it; the user edits the credential
  const edited = await acquireSmppTransport(credential({ password: 'new-pw', tps: 5 }));
  const changedAt = performance.timeOrigin + performance.now();
  expect(edited.resource).toBe(held.resource);
  const results = await sending;

  const failures = results.filter((r) => r instanceof Error);
  expect(failures).toEqual([]);
  expect(results.filter((r) => !(r instanceof Error) && r.possibleDuplicate)).toEqual([]);
  expect(smsc.store.duplicates()).toEqual({ destinations: 0, extraCopies: 0 });
  expect(smsc.store.uniqueDestinations()).toBe(60);
  expect(smsc.stats.binds).toBe(2);
  const afterChange = smsc.store.submitTimes.filter((t) => t > changedAt);
  expect({ submitsAfterTheChange: afterChange.length, busiestSecond: busiestWindow(afterChange, 1000) }).toEqual({
    submitsAfterTheChange: afterChange.length,
    busiestSecond: Math.min(5, busiestWindow(afterChange, 1000)),
  });
  await edited.release();
  await held.release();
});

it('a changed bind setting (connect timeout) reaches a bind an SMS Trigger holds: it binds again once, with it', async () => {
  const held = await acquireSmppTransport(credential({ tps: 0 }));
  const binds: string[] = [];
  held.resource.on('bound', () => binds.push('bound'));
  const edited = await acquireSmppTransport(credential({ tps: 0, connectTimeoutMs: 1234 }));
  expect(edited.resource).toBe(held.resource);
  expect(binds).toEqual(['bound']);
  expect(held.resource.options.connectTimeoutMs).toBe(1234);
  await edited.release();
  await held.release();
});

it('a new password the carrier refuses fails the call that brought it, with the bind error', async () => {
  const held = await acquireSmppTransport(credential({ tps: 0, reconnectAttempts: 1 }));
  await expect(acquireSmppTransport(credential({ tps: 0, password: 'typo-pw' }))).rejects.toThrow(/ESME_RINVPASWD/);
  await held.release();
});

it('TPS edited from 50 to 30 once 50 of 90 queued messages were sent: the new limit remembers them, so no second holds more than 50 (a fresh limiter let 52 through)', async () => {
  const held = await acquireSmppTransport(credential({ windowSize: 100 }));
  const sending = Promise.all(numberRange(90).map((to) => held.resource.submit(simpleSubmit(to, `queued ${to}`))));
  await waitFor(() => smsc.stats.submits >= 50, '50 submits at the SMSC');
  const edited = await acquireSmppTransport(credential({ windowSize: 100, tps: 30 }));
  expect(edited.resource).toBe(held.resource);
  await sending;
  const busiest = busiestWindow(smsc.store.submitTimes, 1000);
  expect({ busiestSecond: busiest }).toEqual({ busiestSecond: Math.min(50, busiest) });
  await edited.release();
  await held.release();
});

it('a stale second credential of the account (old password) used while the trigger holds the bind: its call fails with the bind error, and the bind keeps sending with the working password (it was taken down)', async () => {
  const held = await acquireSmppTransport(credential({ tps: 0 }));
  await expect(acquireSmppTransport(credential({ tps: 0, password: 'stale-pw' }))).rejects.toThrow(/ESME_RINVPASWD/);
  const outcome = await Promise.race([
    held.resource.submit(simpleSubmit('447700900123', 'after the stale one')).then(
      () => 'sent',
      (err: Error) => `failed: ${err.message}`,
    ),
    new Promise((resolve) => setTimeout(() => resolve('no answer within 5 s'), 5000)),
  ]);
  expect(outcome).toBe('sent');
  expect(held.resource.state).toBe('bound');
  await held.release();
});

it('a second credential of the account with an older TPS of 50 used while the bind runs at 10: the bind keeps 10, so no second holds more than 10 (it took 50)', async () => {
  const held = await acquireSmppTransport(credential({ tps: 10, windowSize: 50 }));
  const stale = await acquireSmppTransport(credential({ tps: 50, windowSize: 50 }));
  expect(stale.resource).toBe(held.resource);
  await Promise.all(numberRange(30).map((to) => stale.resource.submit(simpleSubmit(to, `stale ${to}`))));
  const busiest = busiestWindow(smsc.store.submitTimes, 1000);
  expect({ busiestSecond: busiest }).toEqual({ busiestSecond: Math.min(10, busiest) });
  await stale.release();
  await held.release();
});
