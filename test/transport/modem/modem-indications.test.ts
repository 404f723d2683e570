/**
 * Indications real modems give that a simple transport misses: with +CSMS service 1 a status
 * report shown directly (+CDS) must be acknowledged (AT+CNMA), or the modem stops showing any;
 * with <mem3> "MT" some modems name "MT" and a combined index in +CMTI.
 */
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

describe('indications', () => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  it('acknowledges each +CDS with AT+CNMA on a modem in +CSMS service 1, so reports keep coming', async () => {
    fixture = await startModemFixture({ overrides: { csms: 1 }, ackTimeoutMs: 300 });
    const sim = fixture.sim.simulator;
    const receipts: string[] = [];
    fixture.modem.addReportHandler((m) => { if (m.modem.kind === 'statusReport') receipts.push(m.modem.receipt.messageId); });
    for (const text of ['one', 'two']) {
      const sent = await fixture.modem.send({ to: '+447911123456', text, requestReceipt: true });
      sim.receiveStatusReport({ messageReference: sent.messageReferences[0], recipient: '+447911123456' });
      await waitFor(() => receipts.length === Number(text === 'two') + 1, `the receipt of ${text}`);
      await new Promise((r) => setTimeout(r, 500)); // past the modem's wait for the acknowledgement
    }
    expect(receipts).toEqual(['1', '2']);
    expect(sim.commands.filter((c) => c === 'AT+CNMA')).toHaveLength(2);
    expect(sim.session.settings.cnmi).toEqual([2, 1, 0, 1, 0]);
  });

  it('reads a message announced in "MT" with a combined index, and deletes it there', async () => {
    fixture = await startModemFixture({ storageSize: 1, overrides: { announceMt: true } });
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => { texts.push(m.text); });
    const sim = fixture.sim.simulator;
    sim.receiveSms({ from: '+4915112345678', text: 'into the SIM' });
    sim.receiveSms({ from: '+4915112345678', text: 'into the modem memory' });
    await waitFor(() => texts.length === 2 && sim.storage.used === 0 && sim.memories.get('ME')?.used === 0, 'both, deleted');
    expect(texts.sort()).toEqual(['into the SIM', 'into the modem memory']);
  });
});
