/**
 * A network that answers AT+CMGS after our timeout (Quectel documents up to 120 s), and a modem
 * that answers its first probe late: the late answer must settle the send it belongs to (never
 * a resend, never the answer of another command), and a resend after an answer that never came
 * is reported through send() as a possible duplicate.
 */
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';
import { startHookedModem } from './hooked-modem';
import type { HookedModem } from './hooked-modem';

describe('a network that answers a send after the timeout', () => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  it('takes the late "+CMGS: <mr>" as the answer of that send: each message once, references in order', async () => {
    fixture = await startModemFixture({}, { sendTimeoutMs: 800, commandTimeoutMs: 800, keepAliveMs: 0 });
    const sim = fixture.sim.simulator;
    sim.answerNextSendLate(1500);
    const results = await Promise.all(['first', 'second', 'third'].map((text, i) => fixture.modem.send({ to: `+44791112345${i}`, text })));
    expect(sim.sent.map((s) => `${s.messageReference} ${s.text}`)).toEqual(['1 first', '2 second', '3 third']);
    expect(results.map((r) => [r.messageReferences, r.possibleDuplicate])).toEqual([
      [[1], false],
      [[2], false],
      [[3], false],
    ]);
    expect(fixture.modem.state).toBe('ready');
    // Later answers still belong to their own commands.
    await expect(fixture.modem.signal()).resolves.toMatchObject({ rssi: 20 });
  });

  it('keeps the late answer apart from the next command even when it comes during a reconnect', async () => {
    // The modem is busy after the send and answers only after the channel gave up on it and reopened.
    fixture = await startModemFixture({}, { sendTimeoutMs: 400, commandTimeoutMs: 400, offlineLimitMs: 10_000, keepAliveMs: 0 });
    const sim = fixture.sim.simulator;
    sim.answerNextSendLate(2300);
    const result = await fixture.modem.send({ to: '+447911123456', text: 'slow network' });
    expect(result).toMatchObject({ messageReferences: [1], possibleDuplicate: false });
    expect(sim.sent.map((s) => s.text)).toEqual(['slow network']);
    await expect(fixture.modem.send({ to: '+447911123456', text: 'next' })).resolves.toMatchObject({ messageReferences: [2], possibleDuplicate: false });
  });

  it('reports through send() a resend after an answer that never came', async () => {
    fixture = await startModemFixture({}, { sendTimeoutMs: 400, commandTimeoutMs: 400, keepAliveMs: 0, offlineLimitMs: 10_000 });
    fixture.sim.simulator.hangOnNextSend();
    const pending = fixture.modem.send({ to: '+447911123456', text: 'are you there?' });
    await waitFor(() => fixture.modem.state === 'reconnecting', 'the reset');
    fixture.sim.simulator.setSilent(false);
    await expect(pending).resolves.toMatchObject({ possibleDuplicate: true, messageReferences: [2] });
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['are you there?', 'are you there?']);
  });
});

describe('a send the network timed out on', () => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  it('flags the resend after "+CMS ERROR: 332" or a SIM800\'s "500" as a possible duplicate, not the one after a refusal', async () => {
    // 332 "network timeout" (and the SIM800's 500 for it): the SMS centre may have taken the
    // message and its acknowledgement was lost. 42 "congestion" is the network saying no.
    fixture = await startModemFixture({ profile: 'sim800', overrides: { startupMs: 100 } }, { keepAliveMs: 0 });
    const sim = fixture.sim.simulator;
    const results = [];
    for (const code of [332, 500, 42]) {
      sim.failNextSend(code);
      results.push(await fixture.modem.send({ to: '+447911123456', text: `after ${code}` }));
    }
    expect(results.map((r) => r.possibleDuplicate)).toEqual([true, true, false]);
    for (let i = 0; i < 3; i++) sim.failNextSend(332);
    const error = await fixture.modem.send({ to: '+447911123456', text: 'never answered' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      possibleDuplicate: true,
      message: expect.stringMatching(
        /\+CMS ERROR 332 \(network timeout\).*; the network may have taken an attempt without saying so, so the SMS may still arrive/,
      ),
    });
  });
});

describe('a modem that answers its first probe late', () => {
  let hooked: HookedModem;
  afterEach(async () => {
    await hooked.stop();
  });

  it("is in step before it is initialised: no answer is taken for the next command's", async () => {
    const started = Date.now();
    hooked = await startHookedModem({}, { commandTimeoutMs: 5000 }, ({ port }) => {
      // Busy for 2.5 s after power-on: what it writes until then comes late, one answer every 30 ms.
      const held: string[] = [];
      let releasing = false;
      const release = (delayMs: number, send: (text: string) => void): void => {
        setTimeout(() => {
          send(held.shift() as string);
          if (held.length > 0) release(30, send);
          else releasing = false;
        }, delayMs);
      };
      port.writeHook = (data, send) => {
        if (Date.now() - started > 2500 && !releasing) return send(data);
        held.push(data);
        if (releasing) return;
        releasing = true;
        release(Math.max(0, started + 2500 - Date.now()), send);
      };
    });
    expect(hooked.modem.identity).toEqual({ manufacturer: 'n8n-nodes-sms-gateway', model: 'GSM modem simulator', revision: '1.0' });
    expect(hooked.modem.format).toEqual({ mode: 'pdu' });
    const results = await Promise.all(['first', 'second'].map((text) => hooked.modem.send({ to: '+447911123456', text })));
    expect(results.map((r) => r.messageReferences)).toEqual([[1], [2]]);
    expect(hooked.sim.sent.map((s) => s.text)).toEqual(['first', 'second']);
  });
});
