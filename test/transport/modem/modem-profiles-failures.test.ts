/**
 * What people meet with real modems, on every profile, over a real pseudo-terminal: no SIM, a
 * wrong PIN and then the PUK, no network / registration denied / roaming, no SMSC number
 * (+CMS ERROR 330), a full message memory (322), a network timeout (332), and the device
 * unplugged in the middle of a send. Each gives a clear error from the transport and from the
 * GSM Modem credential test.
 */
import { prepareSms } from '../../../src/gateway/prepare-message';
import { deliverPdus } from '../../../src/transport/modem/simulator/sim-messages';
import { ModemInitError } from '../../../src/transport/modem/modem-init-error';
import { testModemConnection } from '../../../src/transport/modem/credential-test';
import { SmppSubmitError } from '../../../src/transport/smpp/types';
import { MODEM_PROFILES, VENDOR_PROFILE_IDS, startSimulatedModem } from '../../../src/transport/modem/simulator';
import type { ModemSimulatorOptions, SimulatedModem } from '../../../src/transport/modem/simulator';
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

describe.each(VENDOR_PROFILE_IDS)('failures on the %s profile', (profile) => {
  // A shorter start-up than the profile's own keeps these many runs quick; the traffic tests use the real one.
  const base: ModemSimulatorOptions = { profile, overrides: { startupMs: 150 } };
  let sim: SimulatedModem | undefined;
  let fixture: ModemFixture | undefined;
  afterEach(async () => {
    await fixture?.stop();
    await sim?.stop();
    fixture = undefined;
    sim = undefined;
  });

  const credentialTest = async (options: ModemSimulatorOptions, pin?: string, smsc?: string) => {
    sim ??= await startSimulatedModem({ ...base, ...options });
    return testModemConnection({ path: sim.path, pin, smsc, commandTimeoutMs: 3000 });
  };

  it('no SIM card', async () => {
    const { manufacturer, model } = MODEM_PROFILES[profile];
    expect(await credentialTest({ simInserted: false })).toEqual({
      status: 'Error',
      message: expect.stringMatching(
        new RegExp(`^${manufacturer} ${model} \\(firmware .*\\): no SIM card in the modem \\(SIM not inserted\\): insert the SIM`),
      ),
    });
    const error = await startModemFixture({ ...base, simInserted: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModemInitError);
    expect((error as ModemInitError).code).toBe('sim_missing');
  });

  it('a wrong PIN is sent once per SIM, never again, and the last attempt is never spent on a PIN not known to work', async () => {
    const first = await credentialTest({ pin: '4711' }, '1234');
    // Every profile says how many attempts are left (AT+CPINR, or the vendor's AT+SPIC / AT^CPIN?).
    const left = (n: number): string => ` \\(${n} PIN attempts? left\\)`;
    expect(first).toEqual({
      status: 'Error',
      message: expect.stringMatching(new RegExp(`: the SIM card rejected the PIN \\(incorrect password\\)${left(2)}; check the PIN.*It is not retried`)),
    });
    expect(first.message).not.toContain('1234');
    // n8n tests the credential on every save: the same typo saved again is not sent again.
    for (let save = 0; save < 3; save++)
      expect((await credentialTest({}, '1234')).message).toMatch(/: the SIM card already rejected this PIN, so it was not sent again/);
    expect((await credentialTest({}, '5555')).message).toMatch(new RegExp(`: the SIM card rejected the PIN \\(incorrect password\\)${left(1)}`));
    // One attempt left: neither another guess nor even the right PIN is risked.
    for (const pin of ['6666', '4711'])
      expect((await credentialTest({}, pin)).message).toMatch(
        /: the SIM card has 1 PIN attempt left and this PIN has not worked on it before, so it was not tried/,
      );
    expect(sim?.simulator.commands.filter((c) => c.startsWith('AT+CPIN='))).toEqual(['AT+CPIN="1234"', 'AT+CPIN="5555"']);
    expect(sim?.simulator.session).toMatchObject({ sim: 'SIM PIN', pinAttempts: 1 });
    // A SIM locked elsewhere (three wrong PINs in a phone) is reported as needing its PUK.
    (sim as SimulatedModem).simulator.session.sim = 'SIM PUK';
    expect((await credentialTest({}, '4711')).message).toMatch(/: the SIM card is locked after 3 wrong PINs and needs its PUK.*unlock it in a phone/);
  });

  it('not registered, registration denied, roaming', async () => {
    expect(await credentialTest({ registration: 0 })).toMatchObject({
      status: 'Error',
      message: expect.stringMatching(/: SIM ready, but no network service: not registered on any network/),
    });
    sim?.simulator.setRegistration(3);
    expect(await credentialTest({})).toMatchObject({ status: 'Error', message: expect.stringMatching(/registration denied by the network/) });
    sim?.simulator.setRegistration(5);
    expect(await credentialTest({})).toMatchObject({
      status: 'OK',
      message: expect.stringMatching(/: SIM ready, registered on Simulated Network \(roaming\), signal -73 dBm$/),
    });
  });

  it('a send without network service fails after its retries, saying why', async () => {
    fixture = await startModemFixture({ ...base, registration: 2 });
    const error = await fixture.modem.send({ to: '+447911123456', text: 'no network' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmppSubmitError);
    expect((error as Error).message).toMatch(
      /still failing after 3 attempts: AT\+CMGS=\d+ failed: \+CMS ERROR 331 \(no network service\): the modem is not registered on a network/,
    );
  });

  it('no SMSC number (+CMS ERROR 330): the credential test says so; the SMSC Number in the credential fixes it', async () => {
    expect(await credentialTest({ smsc: '' })).toMatchObject({
      status: 'Error',
      message: expect.stringMatching(
        /but the SIM holds no SMSC number, so every send would fail \(\+CMS ERROR 330 SMSC address unknown\): enter your operator's SMSC Number/,
      ),
    });
    await sim?.stop();
    sim = undefined;
    fixture = await startModemFixture({ ...base, smsc: '' });
    const error = await fixture.modem.send({ to: '+447911123456', text: 'no smsc' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /\+CMS ERROR 330 \(SMSC address unknown\): the modem knows no SMS centre: enter your operator's SMSC Number in the GSM Modem credential/,
    );
    expect(fixture.sim.simulator.sent).toHaveLength(0);
    await fixture.stop();
    fixture = await startModemFixture({ ...base, smsc: '' }, { smsc: '+447785016005' });
    await fixture.modem.send({ to: '+447911123456', text: 'with smsc' });
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['with smsc']);
  });

  it('a full message memory (+CMS ERROR 322)', async () => {
    sim = await startSimulatedModem({ ...base, storageSize: 2, meStorageSize: 1 });
    await waitFor(() => !sim?.simulator.session.starting, 'the start-up');
    const [waiting] = deliverPdus({ from: '+4915112345678', text: 'waiting' }, new Date());
    for (const name of ['SM', 'SM', 'ME']) sim.simulator.memories.get(name)?.store(waiting);
    // "MT" profiles receive into SIM + modem memory (3 of 3), the E173 into the SIM (2 of 2).
    expect(await credentialTest({})).toMatchObject({
      status: 'Error',
      message: expect.stringMatching(/the message memory (MT is full \(3 of 3|SM is full \(2 of 2), \+CMS ERROR 322 memory full\): incoming SMS cannot arrive/),
    });
    await sim.stop();
    sim = undefined;
    fixture = await startModemFixture(base);
    fixture.sim.simulator.failNextSend(322);
    const error = await fixture.modem.send({ to: '+447911123456', text: 'x' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/\+CMS ERROR 322 \(memory full\): the modem's message memory is full: delete messages/);
  });

  it('a network timeout (+CMS ERROR 332) is retried, then fails saying what to check', async () => {
    fixture = await startModemFixture(base);
    for (let i = 0; i < 3; i++) fixture.sim.simulator.failNextSend(332);
    const error = await fixture.modem.send({ to: '+447911123456', text: 'timeout' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /still failing after 3 attempts: AT\+CMGS=\d+ failed: \+CMS ERROR 332 \(network timeout\): the network did not answer in time: check the signal/,
    );
    fixture.sim.simulator.failNextSend(332);
    await fixture.modem.send({ to: '+447911123456', text: 'second try' });
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['second try']);
  });

  it('unplugged in the middle of a send and not back: the send fails after the offline limit, not never', async () => {
    fixture = await startModemFixture(base, { offlineLimitMs: 2000 });
    fixture.sim.simulator.unplugOnNextSend(false);
    const started = Date.now();
    const error = await fixture.modem.send({ to: '+447911123456', text: 'lost' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(error).toBeInstanceOf(SmppSubmitError);
    expect((error as Error).message).toMatch(/went away \(.*\) and did not come back within 2 s; (the SMS was not sent|it may have reached the network)/);
    // New sends fail at once while it stays away, instead of waiting in a queue nobody drains.
    await expect(fixture.modem.send({ to: '+447911123456', text: 'later' })).rejects.toThrow(/did not come back within 2 s; the SMS was not sent/);
    await fixture.sim.restore();
    await waitFor(() => fixture?.modem.state === 'ready', 'the modem back');
    await fixture.modem.send({ to: '+447911123456', text: 'after re-plug' });
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['after re-plug']);
  });

  it('unplugged right after the network took the message, and back: resent, flagged as a possible duplicate', async () => {
    fixture = await startModemFixture(base, { keepAliveMs: 100 });
    fixture.sim.simulator.unplugOnNextSend(true);
    const pending = fixture.modem.submit(prepareSms({ to: '+447911123456', from: 'X', text: 'maybe twice' }).pdus[0]);
    await waitFor(() => fixture?.modem.state === 'reconnecting', 'the modem to notice');
    await fixture.sim.restore();
    await expect(pending).resolves.toMatchObject({ possibleDuplicate: true, attempts: 2 });
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['maybe twice', 'maybe twice']);
  });
});
