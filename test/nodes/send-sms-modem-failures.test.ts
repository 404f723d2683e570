/**
 * The modem failures people meet, as the Send SMS node shows them (n8n WorkflowExecute, a
 * SIM800-like simulated modem over a real pseudo-terminal): each stops the node with a message
 * that says what happened and what to do, and with continueOnFail the other items go on.
 */
import type { IDataObject } from 'n8n-workflow';
import { closeAllModems } from '../../src/registry/modem-registry';
import { startSimulatedModem } from '../../src/transport/modem/simulator';
import type { ModemSimulatorOptions, SimulatedModem } from '../../src/transport/modem/simulator';
import { modemCredential, runNode, SEND_SMS } from './transport-choice-fixtures';

const NODE = 'Send SMS';

describe('Send SMS through a SIM800-like modem: the failures people meet', () => {
  let sim: SimulatedModem | undefined;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await closeAllModems();
    await sim?.stop();
    sim = undefined;
  });

  const send = async (
    options: ModemSimulatorOptions,
    items: IDataObject[] = [{ to: '+447911123456', text: 'Boil water notice for district 3' }],
    extra: { credential?: IDataObject; continueOnFail?: boolean; before?: (s: SimulatedModem) => void } = {},
  ) => {
    sim = await startSimulatedModem({ profile: 'sim800', overrides: { startupMs: 150 }, ...options });
    extra.before?.(sim);
    return runNode({
      type: SEND_SMS,
      name: NODE,
      parameters: { transport: 'modem', to: '={{ $json.to }}', message: '={{ $json.text }}' },
      credentials: { gsmModemApi: modemCredential(sim, extra.credential) },
      inputItems: items,
      continueOnFail: extra.continueOnFail,
    });
  };

  it('no SIM card', async () => {
    const run = await send({ simInserted: false });
    expect(run.status).toBe('error');
    expect(run.error?.message).toMatch(/^Cannot open the GSM modem: no SIM card in the modem \(SIM not inserted\)/);
  });

  it('a wrong PIN, then a SIM that needs its PUK', async () => {
    const wrong = await send({ pin: '4711' }, undefined, { credential: { pin: '1111' } });
    expect(wrong.error?.message).toMatch(/^Cannot open the GSM modem: the SIM card rejected the PIN \(incorrect password\)/);
    expect(wrong.error?.message).not.toContain('1111');
    await closeAllModems();
    await sim?.stop();
    const locked = await send({ pin: '4711' }, undefined, {
      credential: { pin: '1111' },
      before: (s) => {
        s.simulator.session.sim = 'SIM PUK';
      },
    });
    expect(locked.error?.message).toMatch(/^Cannot open the GSM modem: the SIM card is locked after 3 wrong PINs and needs its PUK/);
  });

  it('registration denied: the send fails naming the network problem', async () => {
    const run = await send({ registration: 3 });
    expect(run.status).toBe('error');
    expect(run.error?.message).toMatch(/\+CMS ERROR 331 \(no network service\): the modem is not registered on a network/);
  });

  it('no SMSC number (+CMS ERROR 330) says to fill in the SMSC Number; continueOnFail keeps the other items', async () => {
    const run = await send(
      { smsc: '' },
      [
        { to: '+447911123456', text: 'a' },
        { to: 'not a number', text: 'b' },
      ],
      { continueOnFail: true },
    );
    expect(run.status).toBe('success');
    const [first, second] = run.items(NODE);
    expect(String(first.error)).toMatch(
      /\+CMS ERROR 330 \(SMSC address unknown\): the modem knows no SMS centre: enter your operator's SMSC Number in the GSM Modem credential/,
    );
    expect(String(second.error)).toMatch(/not a number/);
  });

  it('memory full (+CMS ERROR 322) and network timeout (+CMS ERROR 332)', async () => {
    const full = await send({}, undefined, { before: (s) => s.simulator.failNextSend(322) });
    expect(full.error?.message).toMatch(/\+CMS ERROR 322 \(memory full\): the modem's message memory is full/);
    await closeAllModems();
    await sim?.stop();
    const timeout = await send({}, undefined, {
      before: (s) => {
        for (let i = 0; i < 3; i++) s.simulator.failNextSend(332);
      },
    });
    expect(timeout.error?.message).toMatch(/still failing after 3 attempts: .*\+CMS ERROR 332 \(network timeout\): the network did not answer in time/);
  });
});

describe('Send SMS through a modem unplugged in the middle of the send', () => {
  let sim: SimulatedModem | undefined;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    process.env.SMS_GATEWAY_MODEM_OFFLINE_MS = '1500';
  });
  afterAll(() => {
    delete process.env.SMS_GATEWAY_MODEM_OFFLINE_MS;
  });
  afterEach(async () => {
    await closeAllModems();
    await sim?.stop();
  });

  it('stops with an error saying the modem went away, not hanging, and does not claim the SMS was sent', async () => {
    sim = await startSimulatedModem({ profile: 'sim800', overrides: { startupMs: 150 } });
    sim.simulator.unplugOnNextSend(false);
    const started = Date.now();
    const run = await runNode({
      type: SEND_SMS,
      name: NODE,
      parameters: { transport: 'modem', to: '+447911123456', message: 'Evacuate now' },
      credentials: { gsmModemApi: modemCredential(sim) },
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.status).toBe('error');
    expect(run.error?.message).toMatch(
      /went away \(.*disappeared.*\) and did not come back within 2 s; (the SMS was not sent|it may have reached the network)/,
    );
  });
});
