/**
 * Text-mode-only modems against messages that look like the modem's own words: a body that is
 * exactly "OK" or "ERROR", one that starts like an unsolicited code, one on two lines; a text
 * to send that holds Ctrl-Z and an AT command; characters the TE character set cannot carry;
 * addresses in UCS2 hex as a real modem shows them after AT+CSCS="UCS2". Every message arrives
 * once and whole, nothing is typed that the modem could take as a command, or it is refused.
 */
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';
import { startHookedModem } from './hooked-modem';
import type { HookedModem } from './hooked-modem';

/** A text-mode-only modem without a hex character set: texts come as typed. */
const PLAIN_TEXT_ONLY = { profile: 'sim800' as const, overrides: { smsModes: [1], startupMs: 150, charsets: ['IRA', 'GSM'] } };
const TRICKY = ['OK', 'ERROR', 'RING me back', '^_^ ok', '+CMTI: "SM",9 see you', 'line one\r\nline two', '> ', 'first'];

describe('a text-mode-only modem with only the GSM and IRA character sets', () => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  it('delivers every stored and arriving message whole, whatever it says, and empties the SIM', async () => {
    fixture = await startModemFixture(PLAIN_TEXT_ONLY);
    expect(fixture.modem.format).toEqual({ mode: 'text', charset: 'GSM', reading: 'oneByOne' });
    const sim = fixture.sim.simulator;
    for (const text of TRICKY) sim.receiveSms({ from: '+4915112345678', text }, false);
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    await waitFor(() => texts.length === TRICKY.length, 'the stored messages');
    sim.receiveSms({ from: '+4915112345679', text: 'OK' });
    sim.receiveSms({ from: '+4915112345679', text: 'Price: 5$ @ gate_3 {ok}' });
    await waitFor(() => texts.length === TRICKY.length + 2 && sim.storage.used === 0, 'the new ones, and the SIM emptied');
    expect(texts).toEqual([...TRICKY, 'OK', 'Price: 5$ @ gate_3 {ok}']);
    // The channel stayed in step: a send afterwards gets its own answer.
    await expect(fixture.modem.send({ to: '+447911123456', text: 'still in step' })).resolves.toMatchObject({ messageReferences: [1] });
  });

  it('never types a control character: Ctrl-Z and an AT command in a text go out as the text, in UCS2 hex', async () => {
    fixture = await startModemFixture(PLAIN_TEXT_ONLY);
    const sim = fixture.sim.simulator;
    const hostile = 'pay 5\x1aATD+447000000000;\r';
    await fixture.modem.send({ to: '+447911123456', text: hostile });
    await fixture.modem.send({ to: '+447911123456', text: 'Привет, мир' });
    await fixture.modem.send({ to: '+447911123456', text: 'Meet @ gate_3, fee 5$' });
    await fixture.modem.send({ to: '+447911123456', text: 'braces {need} Esc in GSM' });
    expect(sim.sent.map((s) => s.text)).toEqual([hostile, 'Привет, мир', 'Meet @ gate_3, fee 5$', 'braces {need} Esc in GSM']);
    expect(sim.sent.map((s) => s.submit.dcs)).toEqual([8, 8, 0, 8]);
    expect(sim.commands.some((c) => /ATD/.test(c))).toBe(false);
  });

  it('refuses, with the characters named, a text it can neither type nor fit into one UCS2 message', async () => {
    fixture = await startModemFixture(PLAIN_TEXT_ONLY);
    const error = await fixture.modem.send({ to: '+447911123456', text: `${'x'.repeat(100)}{}` }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/in the GSM character set, in which "\{" \(U\+007B\), "\}" \(U\+007D\) cannot be typed/);
    expect(fixture.sim.simulator.sent).toHaveLength(0);
  });
});

describe('a text-mode-only modem in the UCS2 character set', () => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture.stop();
  });

  it('reads senders shown in UCS2 hex and writes the destination in UCS2 hex, as a real modem needs', async () => {
    fixture = await startModemFixture({ profile: 'sim800', overrides: { smsModes: [1], startupMs: 150 } });
    expect(fixture.modem.format).toMatchObject({ mode: 'text', charset: 'UCS2' });
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(`${m.from}${m.fromAlphanumeric ? ' (name)' : ''}: ${m.text}`);
    });
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: 'Are the roads open?' });
    fixture.sim.simulator.receiveSms({ from: 'CityAlert', alphanumeric: true, text: 'OK' });
    await waitFor(() => texts.length === 2 && fixture.sim.simulator.storage.used === 0, 'both messages');
    expect(texts).toEqual(['+4915112345678: Are the roads open?', 'CityAlert (name): OK']);
    await fixture.modem.send({ to: '+447911123456', text: 'yes' });
    expect(fixture.sim.simulator.commands).toContain('AT+CMGS="002B003400340037003900310031003100320033003400350036",145');
    expect(fixture.sim.simulator.sent[0]).toMatchObject({ text: 'yes', submit: { destination: { address: '+447911123456' } } });
  });

  it('joins the parts of a long message, shown as hex with their header', async () => {
    fixture = await startModemFixture({ profile: 'ec25', overrides: { smsModes: [1], startupMs: 150 } });
    const long = 'Road closed between Mill Road and Station Street until 18:00, use the bypass. '.repeat(3);
    const texts: string[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(`${m.parts}/${m.totalParts} ${m.text}`);
    });
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: long, reference: 7 });
    await waitFor(() => texts.length === 1 && fixture.sim.simulator.storage.used === 0, 'the whole message');
    expect(texts).toEqual([`2/2 ${long}`]);
  });
});

describe("a text-mode-only modem that cannot show a message's length (no AT+CSDH=1)", () => {
  let hooked: HookedModem;
  afterEach(async () => {
    await hooked.stop();
  });

  it('leaves received messages on the SIM and says so, rather than read them blind', async () => {
    hooked = await startHookedModem(PLAIN_TEXT_ONLY, {}, ({ port }) => {
      port.readHook = (chunk, deliver) => (chunk.startsWith('AT+CSDH=1') ? port.raw('\r\nERROR\r\n') : deliver(chunk));
    });
    expect(hooked.modem.format).toEqual({ mode: 'text', charset: 'GSM', reading: 'none' });
    expect(hooked.modem.notes.join(' ')).toMatch(/received messages cannot be read safely on this text-mode modem .* left on the SIM/);
    hooked.sim.receiveSms({ from: '+4915112345678', text: 'OK' }, false);
    const texts: string[] = [];
    hooked.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(texts).toEqual([]);
    expect(hooked.sim.storage.used).toBe(1);
    await expect(hooked.modem.send({ to: '+447911123456', text: 'sending still works' })).resolves.toMatchObject({ parts: 1 });
  });

  it('does not trust a header that accepted AT+CSDH=1 but shows no length: the message stays, answers stay in step', async () => {
    hooked = await startHookedModem(PLAIN_TEXT_ONLY, {}, ({ port }) => {
      // Drops the AT+CSDH=1 fields from every +CMGR header, as a modem that takes the command and ignores it.
      port.writeHook = (data, send) => send(data.replace(/(\+CMGR: "[^"]*","[^"]*",[^,]*,"[^"]*")[^\r]*/g, '$1'));
    });
    hooked.sim.receiveSms({ from: '+4915112345678', text: 'OK' }, false);
    const texts: string[] = [];
    hooked.modem.addTextHandler((m) => {
      texts.push(m.text);
    });
    await new Promise((r) => setTimeout(r, 800));
    expect(texts).toEqual([]);
    expect(hooked.sim.storage.used).toBe(1);
    await expect(hooked.modem.signal()).resolves.toMatchObject({ rssi: 20 });
    await expect(hooked.modem.send({ to: '+447911123456', text: 'in step' })).resolves.toMatchObject({ messageReferences: [1] });
  });
});
