/**
 * Indications real modems give that a simple transport misses: with +CSMS service 1 a status
 * report shown directly (+CDS) must be acknowledged (AT+CNMA) within seconds, or the modem stops
 * showing any (the transport moves the modem to service 0 where it can, else acknowledges);
 * with <mem3> "MT" some modems name "MT" and a combined index in +CMTI.
 */
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';
import { startHookedModem } from './hooked-modem';

describe('indications', () => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  /** Two sends with a receipt each; waits past the modem's wait for an acknowledgement after each report. */
  async function twoReceipts(): Promise<string[]> {
    const sim = fixture.sim.simulator;
    const receipts: string[] = [];
    fixture.modem.addReportHandler((m) => {
      if (m.modem.kind === 'statusReport') receipts.push(m.modem.receipt.messageId);
    });
    for (const [i, text] of ['one', 'two'].entries()) {
      const sent = await fixture.modem.send({ to: '+447911123456', text, requestReceipt: true });
      sim.receiveStatusReport({ messageReference: sent.messageReferences[0], recipient: '+447911123456' });
      await waitFor(() => receipts.length === i + 1, `the receipt of ${text}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    return receipts;
  }

  it('moves a modem in +CSMS service 1 to service 0, so no report waits for an AT+CNMA a long send would hold up', async () => {
    fixture = await startModemFixture({ overrides: { csms: 1 }, ackTimeoutMs: 300 });
    expect(await twoReceipts()).toEqual(['1', '2']);
    expect(fixture.sim.simulator.commands).toContain('AT+CSMS=0');
    expect(fixture.sim.simulator.session.settings.cnmi).toEqual([2, 1, 0, 1, 0]);
  });

  it('acknowledges each +CDS with AT+CNMA where the modem keeps service 1, so reports keep coming', async () => {
    const hooked = await startHookedModem({ overrides: { csms: 1 }, ackTimeoutMs: 300 }, { keepAliveMs: 100 }, ({ port }) => {
      port.readHook = (chunk, deliver) => (chunk === 'AT+CSMS=0\r' ? port.raw('\r\n+CMS ERROR: 303\r\n') : deliver(chunk));
    });
    fixture = { sim: { simulator: hooked.sim } as unknown as ModemFixture['sim'], modem: hooked.modem, log: hooked.log, stop: () => hooked.stop() };
    expect(await twoReceipts()).toEqual(['1', '2']);
    expect(hooked.sim.commands.filter((c) => c === 'AT+CNMA')).toHaveLength(2);
    expect(hooked.sim.session.settings.cnmi).toEqual([2, 1, 0, 1, 0]);
  });

  it('reads a message announced in "MT" with a combined index, and deletes it there', async () => {
    fixture = await startModemFixture({ storageSize: 1, overrides: { announceMt: true } });
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    const sim = fixture.sim.simulator;
    sim.receiveSms({ from: '+4915112345678', text: 'into the SIM' });
    sim.receiveSms({ from: '+4915112345678', text: 'into the modem memory' });
    await waitFor(() => texts.length === 2 && sim.storage.used === 0 && sim.memories.get('ME')?.used === 0, 'both, deleted');
    expect(texts.sort()).toEqual(['into the SIM', 'into the modem memory']);
  });
});
