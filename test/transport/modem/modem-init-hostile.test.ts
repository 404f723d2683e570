/**
 * Modems whose stored settings or words differ from what the transport would like: numeric
 * result codes (ATV0 stored with AT&W), no result codes at all (ATQ1), errors in a vendor's own
 * words, a SIM800's passing "+CMS ERROR: 500", NUL bytes padding a line, a SIM the network
 * refuses. Each must work, or fail at once with the right reason.
 */
import { testModemConnection } from '../../../src/transport/modem/credential-test';
import { startSimulatedModem } from '../../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../../src/transport/modem/simulator';
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';
import { startHookedModem } from './hooked-modem';
import type { HookedModem } from './hooked-modem';

describe('stored settings and vendor words', () => {
  let hooked: HookedModem | undefined;
  let sim: SimulatedModem | undefined;
  afterEach(async () => {
    await hooked?.stop();
    await sim?.stop();
    hooked = undefined;
    sim = undefined;
  });

  for (const [name, setting] of [
    ['numeric result codes (ATV0)', { verbose: false }],
    ['no result codes (ATQ1)', { quiet: true }],
  ] as const) {
    it(`opens a modem whose stored profile has ${name}`, async () => {
      sim = await startSimulatedModem({ profile: 'sim800', overrides: { startupMs: 0 } });
      Object.assign(sim.simulator.session.settings, setting);
      const started = Date.now();
      const result = await testModemConnection({ path: sim.path, commandTimeoutMs: 3000 });
      expect(result).toEqual({ status: 'OK', message: expect.stringMatching(/^SIMCOM_Ltd SIMCOM_SIM800L .*: SIM ready, registered on Simulated Network/) });
      expect(Date.now() - started).toBeLessThan(3000);
    });
  }

  it('reads a vendor\'s verbose error by its meaning ("(U)SIM not inserted" is "SIM not inserted")', async () => {
    // A modem that refuses numeric errors: the transport falls back to AT+CMEE=2 and Quectel's words.
    hooked = await startHookedModem(
      { profile: 'ec25', simInserted: false, overrides: { startupMs: 0 } },
      { readyTimeoutMs: 20_000 },
      ({ port }) => {
        port.readHook = (chunk, deliver) => (chunk === 'AT+CMEE=1\r' ? port.raw('\r\nERROR\r\n') : deliver(chunk));
      },
      false,
    );
    const started = Date.now();
    await expect(hooked.modem.open()).rejects.toMatchObject({ code: 'sim_missing', message: expect.stringMatching(/^no SIM card in the modem/) });
    expect(hooked.sim.commands).toContain('AT+CMEE=2');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("fails at once, with the modem's words, on an AT+CPIN? error that is no SIM state", async () => {
    hooked = await startHookedModem(
      { profile: 'ec25', overrides: { startupMs: 0 } },
      { readyTimeoutMs: 20_000 },
      ({ port }) => {
        port.readHook = (chunk, deliver) => (chunk === 'AT+CPIN?\r' ? port.raw('\r\n+CME ERROR: 4\r\n') : deliver(chunk));
      },
      false,
    );
    const started = Date.now();
    await expect(hooked.modem.open()).rejects.toMatchObject({
      code: 'sim_failure',
      message: expect.stringMatching(/answered AT\+CPIN\? with \+CME ERROR 4 \(operation not supported\), which is not a SIM state/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('answers on the way', () => {
  let fixture: ModemFixture | undefined;
  let hooked: HookedModem | undefined;
  afterEach(async () => {
    await fixture?.stop();
    await hooked?.stop();
    fixture = undefined;
    hooked = undefined;
  });

  it('sends again after a SIM800\'s "+CMS ERROR: 500", a bounded number of times', async () => {
    fixture = await startModemFixture({ profile: 'sim800', overrides: { startupMs: 100 } }, { maxAttempts: 3 });
    fixture.sim.simulator.failNextSend(500);
    await expect(fixture.modem.send({ to: '+447911123456', text: 'once more' })).resolves.toMatchObject({ messageReferences: [1] });
    for (let i = 0; i < 3; i++) fixture.sim.simulator.failNextSend(500);
    await expect(fixture.modem.send({ to: '+447911123456', text: 'never' })).rejects.toThrow(
      /still failing after 3 attempts: AT\+CMGS=\d+ failed: \+CMS ERROR 500 \(unknown error\)/,
    );
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['once more']);
  });

  it('ignores NUL bytes padding the lines of an answer', async () => {
    hooked = await startHookedModem({}, {}, ({ port }) => {
      port.writeHook = (data, send) => send(data.replace(/(\+CMG[LR]: [^\r]*\r\n)/g, '$1\x00\r\n').replace(/\r\n\r\n/g, '\r\n\x00\r\n'));
    });
    const texts: string[] = [];
    hooked.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    hooked.sim.receiveSms({ from: '+4915112345678', text: 'padded' });
    await waitFor(() => texts.length === 1 && hooked?.sim.storage.used === 0, 'the message');
    expect(texts).toEqual(['padded']);
  });

  it('tells a SIM the network refuses from a weak signal: the measured signal, no antenna advice', async () => {
    const sim = await startSimulatedModem({ profile: 'sim800', registration: 3, overrides: { startupMs: 0 } });
    try {
      const result = await testModemConnection({ path: sim.path, commandTimeoutMs: 3000 });
      expect(result.message).toMatch(
        /: SIM ready, but no network service: registration denied by the network, signal -73 dBm: the network refused this SIM\. Ask the operator/,
      );
      expect(result.message).not.toMatch(/antenna/);
    } finally {
      await sim.stop();
    }
  });
});
