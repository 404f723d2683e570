/**
 * A modem that restarts by itself while the serial port stays open: a SIM800 on a UART browns
 * out when it transmits on a weak supply and comes back with its power-on settings (no +CNMI
 * indications, numbered errors off, echo on). With a SIM PIN the "+CPIN: SIM PIN" notice gives
 * it away; without one, only "RDY" does, and a SIM800 set to autobaud says nothing at all. Either
 * way the transport must notice and set the modem up again, or incoming SMS are never announced
 * and sit unread on the SIM.
 */
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

describe.each([
  ['says "RDY"', true],
  ['says nothing (autobaud)', false],
] as const)('a SIM800 without a PIN that restarts by itself and %s', (_name, announce) => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  it('is set up again: an SMS that arrives afterwards is announced, read and deleted; sending still works', async () => {
    fixture = await startModemFixture({ profile: 'sim800', overrides: { startupMs: 150 } }, { keepAliveMs: 300 });
    const sim = fixture.sim.simulator;
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    sim.receiveSms({ from: '+4915112345678', text: 'before the restart' });
    await waitFor(() => texts.length === 1 && sim.storage.used === 0, 'the first message, read and deleted');

    sim.reset({ announce });
    await waitFor(() => !sim.session.starting, 'the modem start-up');
    await waitFor(() => sim.session.settings.cnmi[1] === 1, 'the transport to set the modem up again', 15_000);
    sim.receiveSms({ from: '+4915112345678', text: 'after the restart' });
    await waitFor(() => texts.length === 2 && sim.storage.used === 0, 'the second message, read and deleted', 15_000);
    expect(texts).toEqual(['before the restart', 'after the restart']);
    await expect(fixture.modem.send({ to: '+447911123456', text: 'still sending' })).resolves.toMatchObject({ parts: 1 });
  });
});
