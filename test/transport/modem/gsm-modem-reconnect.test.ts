/** A modem that disappears (USB re-enumeration) or hangs, and comes back. */
import { existsSync } from 'fs';
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';
import { prepareSms } from '../../../src/gateway/prepare-message';

describe('GsmModem reconnect', () => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  it('keeps queued messages while the device is gone and sends them when it returns (PIN entered again)', async () => {
    fixture = await startModemFixture({ pin: '2580' }, { pin: '2580' });
    const events: string[] = [];
    fixture.modem.on('disconnected', () => events.push('disconnected'));
    fixture.modem.on('reconnected', () => events.push('reconnected'));
    await fixture.modem.send({ to: '+4915112345678', text: 'before' });

    await fixture.sim.vanish();
    expect(existsSync(fixture.sim.path)).toBe(false);
    await waitFor(() => fixture.modem.state === 'reconnecting', 'the modem to notice');
    const pending = fixture.modem.send({ to: '+4915112345678', text: 'while unplugged' });
    await waitFor(() => fixture.modem.queuedParts === 1, 'the part to wait in the queue');
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['before']);

    await fixture.sim.restore();
    const result = await pending;
    expect(result.messageReferences).toHaveLength(1);
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['before', 'while unplugged']);
    expect(events).toEqual(['disconnected', 'reconnected']);
    expect(fixture.sim.simulator.commands.filter((c) => c.startsWith('AT+CPIN='))).toEqual(['AT+CPIN="2580"', 'AT+CPIN="2580"']);
    await fixture.modem.send({ to: '+4915112345678', text: 'after' });
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['before', 'while unplugged', 'after']);
  });

  it('resets a modem that hangs after sending and resends the cut-off part, flagged as a possible duplicate', async () => {
    fixture = await startModemFixture({}, { sendTimeoutMs: 400, commandTimeoutMs: 400, keepAliveMs: 0, offlineLimitMs: 10_000 });
    fixture.sim.simulator.hangOnNextSend();
    const prepared = prepareSms({ to: '+4915112345678', from: 'X', text: 'are you there?' });
    const pending = fixture.modem.submit(prepared.pdus[0]);
    await waitFor(() => fixture.modem.state === 'reconnecting', 'the reset');
    fixture.sim.simulator.setSilent(false);
    const result = await pending;
    expect(result).toMatchObject({ possibleDuplicate: true, attempts: 2 });
    // The network got it twice: exactly what possibleDuplicate warns about.
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['are you there?', 'are you there?']);
  });

  it('resends a part whose AT+CMGS got no prompt, without flagging a duplicate', async () => {
    fixture = await startModemFixture({}, { sendTimeoutMs: 400, commandTimeoutMs: 400, keepAliveMs: 0, offlineLimitMs: 10_000 });
    fixture.sim.simulator.setSilent(true);
    const pending = fixture.modem.submit(prepareSms({ to: '+4915112345678', from: 'X', text: 'hello?' }).pdus[0]);
    await waitFor(() => fixture.modem.state === 'reconnecting', 'the reset');
    fixture.sim.simulator.setSilent(false);
    await expect(pending).resolves.toMatchObject({ possibleDuplicate: false, attempts: 2 });
    await fixture.modem.send({ to: '+4915112345678', text: 'second' });
    expect(fixture.sim.simulator.sent.map((s) => s.text)).toEqual(['hello?', 'second']);
  });

  it('receives messages that arrived while it was away', async () => {
    fixture = await startModemFixture();
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    await fixture.sim.vanish();
    await waitFor(() => fixture.modem.state === 'reconnecting', 'the modem to notice');
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: 'stored while unplugged' }, false);
    await fixture.sim.restore();
    await waitFor(() => texts.length === 1, 'the stored message');
    expect(texts).toEqual(['stored while unplugged']);
  });

  it('fails queued parts when closed, and refuses new ones', async () => {
    fixture = await startModemFixture();
    await fixture.sim.vanish();
    await waitFor(() => fixture.modem.state === 'reconnecting', 'the modem to notice');
    const pending = fixture.modem.send({ to: '+4915112345678', text: 'never' });
    await fixture.modem.close();
    await expect(pending).rejects.toThrow(/was closed before the SMS was sent/);
    await expect(fixture.modem.send({ to: '+4915112345678', text: 'late' })).rejects.toThrow(/is closed/);
    await fixture.sim.restore();
  });
});
