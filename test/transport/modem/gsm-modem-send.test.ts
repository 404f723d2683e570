/** Sending through a GsmModem to the simulator over a real pseudo-terminal. */
import { decodeMessage } from '../../../src/encoding';
import { prepareSms } from '../../../src/gateway/prepare-message';
import { sendPrepared } from '../../../src/gateway/send-sms';
import type { PartSender } from '../../../src/gateway/send-sms';
import { SmppSubmitError } from '../../../src/transport/smpp/types';
import { ModemInitError } from '../../../src/transport/modem/modem-init-error';
import { REPORTS_STORED_ONLY, startModemFixture } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

describe('GsmModem initialisation', () => {
  let fixture: ModemFixture | undefined;
  afterEach(async () => {
    await fixture?.stop();
    fixture = undefined;
  });

  it('enters the SIM PIN, switches to PDU mode and asks for +CMTI / +CDS, never logging the PIN', async () => {
    fixture = await startModemFixture({ pin: '4711' }, { pin: '4711' });
    expect(fixture.modem.state).toBe('ready');
    expect(fixture.sim.simulator.commands).toEqual(expect.arrayContaining(['ATE0Q0V1', 'AT+CPIN="4711"', 'AT+CMGF=0', 'AT+CNMI=2,1,0,1,0']));
    expect(fixture.modem.statusReports).toBe('direct');
    expect(fixture.log.join('\n')).not.toContain('4711');
    expect(fixture.log).toContain('> AT+CPIN=<PIN>');
  });

  it('fails with a clear error on a wrong PIN and does not try it twice', async () => {
    fixture = await startModemFixture({ pin: '4711' }, { pin: '1234' }, false);
    const error = await fixture.modem.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModemInitError);
    expect((error as ModemInitError).code).toBe('pin_wrong');
    expect((error as Error).message).toMatch(/the SIM card rejected the PIN \(incorrect password\)/);
    expect((error as Error).message).not.toContain('1234');
    expect(fixture.sim.simulator.commands.filter((c) => c.startsWith('AT+CPIN='))).toEqual(['AT+CPIN="1234"']);
    expect(fixture.modem.state).toBe('closed');
  });

  it('says the SIM needs a PIN when none is configured', async () => {
    const error = await startModemFixture({ pin: '4711' }).catch((e: unknown) => e);
    expect((error as ModemInitError).code).toBe('pin_required');
    expect((error as Error).message).toMatch(/asks for a PIN: enter it in the credential/);
  });

  it('falls back to stored status reports when the modem refuses <ds>=1', async () => {
    fixture = await startModemFixture({ overrides: { cnmi: REPORTS_STORED_ONLY } });
    expect(fixture.modem.statusReports).toBe('stored');
  });

  it('reports signal, registration and operator', async () => {
    fixture = await startModemFixture({ rssi: 18, registration: 5, operatorName: 'Test Net' });
    await expect(fixture.modem.signal()).resolves.toEqual({ rssi: 18, dbm: -77, ber: 99 });
    await expect(fixture.modem.registration()).resolves.toEqual({ status: 'roaming', registered: true, code: 5 });
    await expect(fixture.modem.operator()).resolves.toEqual({ mode: 0, name: 'Test Net', accessTechnology: 2 });
  });
});

describe('GsmModem sending', () => {
  let fixture: ModemFixture;
  beforeEach(async () => {
    fixture = await startModemFixture();
  });
  afterEach(async () => {
    await fixture.stop();
  });

  it('sends a GSM-7 text; the network sees the text and a status report request', async () => {
    const result = await fixture.modem.send({ to: '+4915112345678', text: 'Fire alarm in building C: evacuate via stairs [B]', requestReceipt: true });
    expect(result).toEqual({ to: '+4915112345678', encoding: 'gsm7', parts: 1, messageReferences: [1], possibleDuplicate: false });
    const [sent] = fixture.sim.simulator.sent;
    expect(sent.text).toBe('Fire alarm in building C: evacuate via stairs [B]');
    expect(sent.submit.destination).toEqual({ address: '+4915112345678', ton: 1, npi: 1 });
    expect(sent.submit.statusReport).toBe(true);
    expect(sent.submit.dcs).toBe(0x00);
  });

  it('sends a long UCS-2 text as concatenated parts, in order, that decode back to the text', async () => {
    const text =
      'Внимание! Эвакуация здания С. Используйте лестницу Б, не пользуйтесь лифтом. ' +
      'Сбор у главного входа. Ждите указаний пожарной службы. 火災警報 🚒 '.repeat(2);
    const result = await fixture.modem.send({ to: '+4915112345678', text });
    const sent = fixture.sim.simulator.sent;
    expect(result.encoding).toBe('ucs2');
    expect(result.parts).toBeGreaterThanOrEqual(3);
    expect(sent).toHaveLength(result.parts);
    expect(sent.map((s) => s.submit.dcs)).toEqual(sent.map(() => 0x08));
    expect(sent.map((s) => s.concat?.seq)).toEqual(sent.map((_, i) => i + 1));
    expect(new Set(sent.map((s) => s.concat?.ref)).size).toBe(1);
    expect(sent.map((s) => s.text).join('')).toBe(text);
    expect(result.messageReferences).toEqual(sent.map((s) => s.messageReference));
  });

  it('turns +CMS ERROR into a clear error naming the code and its meaning', async () => {
    fixture.sim.simulator.failNextSend(330);
    const error = await fixture.modem.send({ to: '+4915112345678', text: 'hello' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmppSubmitError);
    expect((error as SmppSubmitError).reason).toBe('rejected');
    expect((error as SmppSubmitError).status).toBe(330);
    expect((error as Error).message).toMatch(/could not send the SMS: AT\+CMGS=\d+ failed: \+CMS ERROR 330 \(SMSC address unknown\)/);
    expect(fixture.sim.simulator.sent).toHaveLength(0);
  });

  it('retries a temporary +CMS ERROR (network congestion) and then sends', async () => {
    fixture.sim.simulator.failNextSend(42);
    const result = await fixture.modem.send({ to: '+4915112345678', text: 'retry me' });
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['retry me']);
    expect(result.messageReferences).toHaveLength(1);
  });

  it("works as the gateway's PartSender: a prepared long GSM-7 message goes out part by part", async () => {
    const sender: PartSender = fixture.modem;
    const text = 'Storm warning for the coast tonight. '.repeat(6);
    const prepared = prepareSms({ to: '+44 7911 123456', from: 'CityAlert', text, requestReceipt: true, validitySeconds: 3600 });
    const result = await sendPrepared(sender, prepared);
    const sent = fixture.sim.simulator.sent;
    expect(result.status).toBe('accepted');
    expect(result.messageIds).toEqual(sent.map((s) => String(s.messageReference)));
    expect(sent.map((s) => s.text).join('')).toBe(text);
    expect(sent.every((s) => s.submit.statusReport && s.submit.validitySeconds === 3600)).toBe(true);
    expect(sent[0].submit.destination.address).toBe('+447911123456');
  });

  it('refuses, as invalid, what a modem cannot send (Latin-1 data_coding, scheduled delivery)', async () => {
    const prepared = prepareSms({ to: '+447911123456', from: 'X', text: 'café', encoding: 'latin1' });
    const latin = await fixture.modem.submit(prepared.pdus[0]).catch((e: unknown) => e);
    expect((latin as SmppSubmitError).reason).toBe('invalid');
    expect((latin as Error).message).toMatch(/data_coding 0x03 \(Latin-1\) cannot be sent through a GSM modem/);
    const scheduled = prepareSms({ to: '+447911123456', from: 'X', text: 'later', scheduleAt: new Date(Date.now() + 3600_000) });
    await expect(fixture.modem.submit(scheduled.pdus[0])).rejects.toThrow(/scheduled delivery .* is not possible through a GSM modem/);
    expect(fixture.sim.simulator.sent).toHaveLength(0);
  });

  it('decodes what it sends the same way a phone would (flash message, class 0)', async () => {
    await fixture.modem.send({ to: '+4915112345678', text: 'flash!', flash: true });
    const [sent] = fixture.sim.simulator.sent;
    expect(sent.submit.dcs).toBe(0xf0);
    expect(decodeMessage({ dataCoding: sent.submit.dcs, esmClass: 0, shortMessage: sent.submit.userData }).messageClass).toBe(0);
  });
});
