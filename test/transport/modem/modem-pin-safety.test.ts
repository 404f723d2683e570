/**
 * A wrong PIN must never be sent to a SIM twice, and the last attempt never spent on a guess:
 * three wrong PINs lock the SIM into its PUK, and an emergency office then has no SMS until
 * someone finds the PUK. Cases the first guard missed: a SIM that lost attempts elsewhere (a
 * phone, an earlier n8n process) in a modem that tells the count only in its vendor's command
 * (SIMCom AT+SPIC, Huawei AT^CPIN?), a modem that tells the SIM's ICCID at one attempt and not
 * at the next, and a PIN whose answer came after the timeout.
 */
import { testModemConnection } from '../../../src/transport/modem/credential-test';
import { VENDOR_PROFILE_IDS, startSimulatedModem } from '../../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../../src/transport/modem/simulator';
import { startHookedModem } from './hooked-modem';
import type { HookedModem } from './hooked-modem';

const pinCommands = (commands: string[]): string[] => commands.filter((c) => c.startsWith('AT+CPIN='));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(VENDOR_PROFILE_IDS)('a SIM with one PIN attempt left in the %s profile', (profile) => {
  let sim: SimulatedModem;
  afterEach(async () => {
    await sim.stop();
  });

  it('is not sent a PIN that has not worked on it, and the error says how many attempts are left', async () => {
    sim = await startSimulatedModem({ profile, pin: '4711', overrides: { startupMs: 0 } });
    // Two wrong PINs were typed in a phone (or by an n8n process that has since restarted).
    sim.simulator.session.pinAttempts = 1;
    const result = await testModemConnection({ path: sim.path, pin: '1234', commandTimeoutMs: 3000 });
    expect(result).toEqual({
      status: 'Error',
      message: expect.stringMatching(/: the SIM card has 1 PIN attempt left and this PIN has not worked on it before, so it was not tried/),
    });
    expect(pinCommands(sim.simulator.commands)).toEqual([]);
    expect(sim.simulator.session).toMatchObject({ sim: 'SIM PIN', pinAttempts: 1 });
  });
});

describe('a PIN the SIM rejected', () => {
  let hooked: HookedModem;
  afterEach(async () => {
    await hooked.stop();
  });

  it('is not sent again when the modem tells the ICCID at one attempt and not at the other', async () => {
    let ccidAnswers = 0;
    hooked = await startHookedModem(
      { pin: '4711', overrides: { startupMs: 0 } },
      {},
      ({ port }) => {
        // The SIM is busy for AT+CCID the first time (as SIMs are right after start-up), then answers.
        port.readHook = (chunk, deliver) => (chunk === 'AT+CCID\r' && ccidAnswers++ === 0 ? port.raw('\r\n+CME ERROR: 14\r\n') : deliver(chunk));
      },
      false,
    );
    const first = await testModemConnection({ path: hooked.path, pin: '1234', commandTimeoutMs: 3000 });
    expect(first.message).toMatch(/the SIM card rejected the PIN/);
    const second = await testModemConnection({ path: hooked.path, pin: '1234', commandTimeoutMs: 3000 });
    expect(second.message).toMatch(/the SIM card already rejected this PIN, so it was not sent again/);
    expect(pinCommands(hooked.sim.commands)).toEqual(['AT+CPIN="1234"']);
    expect(hooked.sim.session.pinAttempts).toBe(2);
  });

  it('whose answer came after the timeout is not sent again; one that the SIM took is trusted afterwards', async () => {
    let holdPinAnswer = false;
    hooked = await startHookedModem(
      { pin: '4711', overrides: { startupMs: 0 } },
      {},
      ({ port }) => {
        // The SIM takes 1.5 s to check a PIN: longer than the command timeout.
        port.readHook = (chunk, deliver) => {
          if (chunk.startsWith('AT+CPIN="')) holdPinAnswer = true;
          deliver(chunk);
        };
        port.writeHook = (data, send) => {
          if (!holdPinAnswer) return send(data);
          holdPinAnswer = false;
          setTimeout(() => send(data), 1500);
        };
      },
      false,
    );
    const slow = await testModemConnection({ path: hooked.path, pin: '1234', commandTimeoutMs: 800 });
    expect(slow).toEqual({ status: 'Error', message: expect.stringMatching(/the SIM card did not answer the PIN in time/) });
    expect(slow.message).not.toContain('1234');
    await sleep(1200);
    const again = await testModemConnection({ path: hooked.path, pin: '1234', commandTimeoutMs: 800 });
    expect(again.message).toMatch(/the SIM card did not answer this PIN when it was last sent and still asks for a PIN, so it was not sent again/);
    expect(pinCommands(hooked.sim.commands)).toEqual(['AT+CPIN="1234"']);
    expect(hooked.sim.session.pinAttempts).toBe(2);

    // The right PIN, answered late too: once the SIM is found ready, the PIN is known to be good,
    // so a SIM that restarts later is unlocked with it again.
    await testModemConnection({ path: hooked.path, pin: '4711', commandTimeoutMs: 800 });
    await sleep(1200);
    expect(await testModemConnection({ path: hooked.path, pin: '4711', commandTimeoutMs: 3000 })).toMatchObject({ status: 'OK' });
    hooked.sim.session.sim = 'SIM PIN';
    expect(await testModemConnection({ path: hooked.path, pin: '4711', commandTimeoutMs: 3000 })).toEqual({
      status: 'OK',
      message: expect.stringMatching(/SIM ready/),
    });
    expect(pinCommands(hooked.sim.commands)).toEqual(['AT+CPIN="1234"', 'AT+CPIN="4711"', 'AT+CPIN="4711"']);
  });
});
