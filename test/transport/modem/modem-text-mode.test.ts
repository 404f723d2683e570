/**
 * A modem that offers only text mode (AT+CMGF=? answers "(1)"), on every profile: the transport
 * finds it out, sends one-part messages in text mode (GSM and UCS-2 texts, status report
 * requested), refuses a long message with a clear error (text mode has no concatenation), and
 * reads received messages and status reports shown as text-mode fields.
 */
import { VENDOR_PROFILE_IDS } from '../../../src/transport/modem/simulator';
import { SmppSubmitError } from '../../../src/transport/smpp/types';
import type { ModemInboundMessage } from '../../../src/transport/modem/types';
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

describe.each(VENDOR_PROFILE_IDS)('GsmModem on a text-mode-only %s', (profile) => {
  let fixture: ModemFixture;
  beforeEach(async () => {
    fixture = await startModemFixture({ profile, overrides: { smsModes: [1], startupMs: 150 } });
  });
  afterEach(async () => {
    await fixture.stop();
  });

  it('finds out and sends one-part texts in text mode, with a status report request', async () => {
    expect(fixture.modem.format).toEqual({ mode: 'text', charset: 'UCS2', reading: 'oneByOne' });
    expect(fixture.sim.simulator.commands).toContain('AT+CMGF=1');
    await fixture.modem.send({ to: '+447911123456', text: 'Gas leak on Elm St: keep windows shut [zone B]', requestReceipt: true });
    await fixture.modem.send({ to: '+447911123457', text: 'Утечка газа на улице Вязов' });
    const [gsm, ucs2] = fixture.sim.simulator.sent;
    expect(gsm).toMatchObject({
      text: 'Gas leak on Elm St: keep windows shut [zone B]',
      submit: { dcs: 0, statusReport: true, destination: { address: '+447911123456' } },
    });
    expect(ucs2).toMatchObject({ text: 'Утечка газа на улице Вязов', submit: { dcs: 8, statusReport: false } });
  });

  it('refuses a message longer than one SMS with a clear error, sending nothing', async () => {
    const error = await fixture.modem.send({ to: '+447911123456', text: 'x'.repeat(200) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmppSubmitError);
    expect((error as SmppSubmitError).reason).toBe('invalid');
    expect((error as Error).message).toMatch(/offers only text mode, which cannot send a part of a concatenated message: shorten the text to one SMS/);
    expect(fixture.sim.simulator.sent).toHaveLength(0);
  });

  it('reads received messages (waiting and new) and deletes them', async () => {
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: 'waiting since the night' }, false);
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(`${m.from}: ${m.text}`);
    });
    fixture.sim.simulator.receiveSms({ from: 'CityAlert', alphanumeric: true, text: 'Ёлка на площади' });
    await waitFor(() => texts.length === 2 && fixture.sim.simulator.storage.used === 0, 'both messages and their deletion');
    expect(texts.sort()).toEqual(['+4915112345678: waiting since the night', 'CityAlert: Ёлка на площади']);
  });

  it('gets status reports shown as text-mode fields', async () => {
    const reports: ModemInboundMessage[] = [];
    fixture.modem.addInboundHandler((m) => {
      if (m.modem.kind === 'statusReport') reports.push(m);
    });
    const sent = await fixture.modem.send({ to: '+447911123458', text: 'report me', requestReceipt: true });
    fixture.sim.simulator.receiveStatusReport({ messageReference: sent.messageReferences[0], recipient: '+447911123458', status: 0x41 });
    await waitFor(() => reports.length === 1, 'the report');
    expect(reports[0].modem).toMatchObject({
      kind: 'statusReport',
      receipt: { messageId: String(sent.messageReferences[0]), status: 'UNDELIV', to: '+447911123458' },
    });
  });
});
