/**
 * Receipts for what a modem sent, as the sending nodes wait for them: a report-only listener
 * (never takes MO messages off the SIM), matched by message reference and recipient.
 */
import { modemReceiptKey, modemReceiptTrackerFor } from '../../../src/dlr/tracker-registry';
import { REPORTS_STORED_ONLY, startModemFixture, waitFor } from './modem-fixture';

describe('modem receipts for sending nodes', () => {
  it('matches a status report to the message by reference and recipient, whatever form the network writes the number in', async () => {
    const fixture = await startModemFixture();
    try {
      const tracker = modemReceiptTrackerFor(fixture.modem);
      expect(modemReceiptTrackerFor(fixture.modem)).toBe(tracker); // one per modem
      const sent = await fixture.modem.send({ to: '+447911123456', text: 'report me', requestReceipt: true });
      const mr = sent.messageReferences[0];
      const waiting = tracker.waitFor(modemReceiptKey(mr, '+447911123456'), 10_000);
      // The same reference for another phone (the byte came round) is not this message's receipt.
      fixture.sim.simulator.receiveStatusReport({ messageReference: mr, recipient: '+4915112345678', status: 0x41 });
      fixture.sim.simulator.receiveStatusReport({ messageReference: mr, recipient: '07911123456' });
      await expect(waiting).resolves.toMatchObject({ status: 'DELIVRD' });
      expect(modemReceiptKey(7, '+44 7911 123456')).toBe(modemReceiptKey('7', '07911123456'));
    } finally {
      await fixture.stop();
    }
  });

  it('a report-only listener takes status reports but leaves MO messages on the SIM for the SMS Trigger', async () => {
    const fixture = await startModemFixture({ overrides: { cnmi: REPORTS_STORED_ONLY } }); // reports are stored (+CDSI)
    try {
      const moSlots = fixture.sim.simulator.receiveSms({ from: '+447911000001', text: 'waiting before anyone listened' }, false);
      const tracker = modemReceiptTrackerFor(fixture.modem);
      const waiting = tracker.waitFor(modemReceiptKey(9, '+447911000002'), 10_000);
      moSlots.push(...fixture.sim.simulator.receiveSms({ from: '+447911000001', text: 'announced while only receipts are awaited' }));
      fixture.sim.simulator.receiveStatusReport({ messageReference: 9, recipient: '+447911000002' });
      await expect(waiting).resolves.toMatchObject({ status: 'DELIVRD' });
      await waitFor(() => fixture.sim.simulator.storage.used === 2, 'the stored report deleted, both MO messages kept');
      // One deletion, the report's (it may be found by the start-up listing or by its +CDSI; either way once).
      const deletions = fixture.sim.simulator.commands.filter((c) => c.startsWith('AT+CMGD='));
      expect(deletions).toHaveLength(1);
      expect(moSlots.map((slot) => `AT+CMGD=${slot}`)).not.toContain(deletions[0]);
      // The SMS Trigger starts listening later: it gets both messages.
      const texts: string[] = [];
      fixture.modem.addTextHandler((m) => {
        texts.push(m.text);
      });
      await waitFor(() => texts.length === 2, 'the MO messages');
      expect(texts).toEqual(['waiting before anyone listened', 'announced while only receipts are awaited']);
    } finally {
      await fixture.stop();
    }
  });
});
