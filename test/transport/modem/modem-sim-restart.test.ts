/**
 * A SIM that restarts in the middle of a session (a brown-out, a loose card) and asks for its PIN
 * again, and a modem left switched off (AT+CFUN=4 by ModemManager's "disable", or 0): the
 * transport unlocks again with the credential's PIN (which worked) and switches the radio on,
 * and says it did.
 */
import { testModemConnection } from '../../../src/transport/modem/credential-test';
import { startSimulatedModem } from '../../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../../src/transport/modem/simulator';
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

describe('a SIM that restarts mid-session', () => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  it('enters the PIN again and sends and receives as before, with nothing lost', async () => {
    fixture = await startModemFixture({ profile: 'sim800', pin: '1234', overrides: { startupMs: 150 } }, { pin: '1234', keepAliveMs: 0, retryDelayMs: 200 });
    const sim = fixture.sim.simulator;
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    sim.restartSim(300);
    const during = fixture.modem.send({ to: '+447911123456', text: 'during the SIM restart' });
    await expect(during).resolves.toMatchObject({ parts: 1, possibleDuplicate: false });
    await expect(fixture.modem.send({ to: '+447911123456', text: 'after the SIM restart' })).resolves.toMatchObject({ parts: 1 });
    sim.receiveSms({ from: '+4915112345678', text: 'inbound after the restart' });
    await waitFor(() => texts.length === 1, 'the inbound message');
    expect(sim.sent.map((s) => s.text)).toEqual(['during the SIM restart', 'after the SIM restart']);
    expect(sim.commands.filter((c) => c.startsWith('AT+CPIN='))).toEqual(['AT+CPIN="1234"', 'AT+CPIN="1234"']);
    expect(sim.session.sim).toBe('READY');
  });

  it('enters the PIN again when a send is refused with "SIM PIN required" (no unsolicited code came)', async () => {
    fixture = await startModemFixture({ profile: 'ec25', pin: '1234', overrides: { startupMs: 150 } }, { pin: '1234', keepAliveMs: 0 });
    const sim = fixture.sim.simulator;
    sim.session.sim = 'SIM PIN';
    await expect(fixture.modem.send({ to: '+447911123456', text: 'after a silent SIM reset' })).resolves.toMatchObject({ parts: 1 });
    expect(sim.commands.filter((c) => c.startsWith('AT+CPIN='))).toHaveLength(2);
  });
});

describe('a modem left switched off', () => {
  let sim: SimulatedModem;
  afterEach(async () => {
    await sim.stop();
  });

  for (const level of [4, 0]) {
    it(`switches it on from AT+CFUN=${level} and says so in the credential test`, async () => {
      sim = await startSimulatedModem({ profile: 'ec25', pin: level === 0 ? '2468' : undefined, overrides: { startupMs: 0 } });
      sim.simulator.session.functionality = level;
      const result = await testModemConnection({ path: sim.path, pin: level === 0 ? '2468' : undefined, commandTimeoutMs: 3000 });
      expect(result).toEqual({
        status: 'OK',
        message: expect.stringMatching(
          new RegExp(
            `^Quectel EC25 .*: SIM ready, registered on Simulated Network \\(home network\\), signal -73 dBm; the modem was in ${level === 4 ? 'flight mode' : 'minimum functionality'} \\(\\+CFUN: ${level}\\); switched it on with AT\\+CFUN=1$`,
          ),
        ),
      });
      expect(sim.simulator.session.functionality).toBe(1);
    });
  }
});
