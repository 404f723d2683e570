// A broadcast over a credential with 4 binds loses one bind mid-way (and the carrier refuses it
// back for a while): the other three carry on, every number gets the alert, and only messages
// flagged as possible duplicates may arrive twice; the journal then knows everyone got it.
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox, waitFor } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';
const number = (i: number): string => `+4479${String(20_000_000 + i).slice(-8)}`;

describe('Bulk Alert Broadcast over 4 binds of one credential', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const run = (broadcastId: string, items: IDataObject[], credential: IDataObject) =>
    runWorkflow({
      nodes: [
        {
          name: 'Broadcast',
          type: BROADCAST,
          parameters: { recipientSource: 'items', recipientField: 'phone', messageSource: 'text', message: 'Storm warning: stay indoors.', broadcastId },
          credentials: smppCredentialRef,
        },
      ],
      connections: chain('Start', 'Broadcast'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, credential) },
      credentialTypes,
      inputItems: items,
    });

  it('one bind dropped mid-broadcast: the other three carry on, nothing lost, nothing doubled unflagged', async () => {
    smsc = await startSandbox({ faults: { latencyMs: 5 } });
    const items = Array.from({ length: 3000 }, (_, i) => ({ phone: number(i) }));
    const id = `four-binds-${Date.now()}`;
    const credential = { binds: 4, windowSize: 10 };
    const running = run(id, items, credential);
    await waitFor(() => smsc.sessionCount === 4 && smsc.stats.accepted >= 600, '4 binds sending');
    const accounts = smsc.options.accounts;
    Object.assign(smsc.options, { accounts: [{ systemId: 'sandbox', password: 'not-now' }] });
    expect(smsc.dropConnections(1)).toBe(1);
    const atDrop = smsc.stats.accepted;
    const bindsAtDrop = smsc.stats.binds;
    await waitFor(() => smsc.stats.accepted >= atDrop + 300, 'the other three binds to carry on', 5000);
    expect(smsc.sessionCount).toBe(3);
    // The broadcast ends while the dropped bind is still refused: nothing waited for it.
    const result = await running;
    expect(smsc.stats.binds).toBe(bindsAtDrop);
    Object.assign(smsc.options, { accounts });
    expect(result.status).toBe('success');
    const [summary] = result.items('Broadcast');
    expect(summary).toMatchObject({ type: 'summary', total: 3000, accepted: 3000, failed: 0 });
    expect(smsc.store.uniqueDestinations()).toBe(3000);
    expect(smsc.store.duplicates().extraCopies).toBeLessThanOrEqual(summary.possibleDuplicates as number);
    // The journal has everyone: running it again sends nothing.
    const again = await run(id, items, credential);
    expect(again.items('Broadcast')[0]).toMatchObject({ accepted: 0, skippedAlreadySent: 3000 });
    expect(smsc.store.uniqueDestinations()).toBe(3000);
  }, 60_000);

  it('names the Binds field when it is not a whole number from 1 to 32', async () => {
    smsc = await startSandbox();
    for (const binds of [0, 2.5, 33]) {
      const result = await run(`bad-binds-${binds}-${Date.now()}`, [{ phone: number(1) }], { binds });
      expect(result.status).toBe('error');
      expect(result.error?.message).toMatch(new RegExp(`Binds must be a whole number from 1 to 32 \\(got ${binds}\\)`));
    }
    const capped = await run(`bad-cap-${Date.now()}`, [{ phone: number(1) }], { maxBindsAcrossProcesses: -1 });
    expect(capped.error?.message).toMatch(/Max Binds Across Processes must be a whole number, 0 \(no cap\) or more \(got -1\)/);
    expect(smsc.stats.binds).toBe(0);
  });
});
