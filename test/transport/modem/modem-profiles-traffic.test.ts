/**
 * The transport against every modem profile over a real pseudo-terminal: it waits out the
 * start-up, finds out who the modem is and what it supports, sends single and concatenated
 * messages, receives them (also with the parts spread over the SIM and the modem memory) and
 * gets status reports however the modem delivers them.
 */
import { MODEM_PROFILES, VENDOR_PROFILE_IDS } from '../../../src/transport/modem/simulator';
import { deliverPdus } from '../../../src/transport/modem/simulator/sim-messages';
import type { SimStorage } from '../../../src/transport/modem/simulator/sim-storage';
import type { ModemProfileId } from '../../../src/transport/modem/simulator';
import type { ModemInboundMessage, ModemTextMessage } from '../../../src/transport/modem/types';
import { startModemFixture, waitFor } from './modem-fixture';
import type { ModemFixture } from './modem-fixture';

const REPORTS: Record<ModemProfileId, string> = { generic: 'direct', sim800: 'direct', sim7600: 'direct', ec25: 'stored', e173: 'direct' };

describe.each(VENDOR_PROFILE_IDS)('GsmModem on the %s profile', (profile) => {
  let fixture: ModemFixture;
  afterEach(async () => {
    await fixture?.stop();
  });

  function collect(): { texts: ModemTextMessage[]; reports: ModemInboundMessage[] } {
    const texts: ModemTextMessage[] = [];
    const reports: ModemInboundMessage[] = [];
    fixture.modem.addTextHandler((m) => {
      texts.push(m);
    });
    fixture.modem.addInboundHandler((m) => {
      if (m.modem.kind === 'statusReport') reports.push(m);
    });
    return { texts, reports };
  }

  it('waits out the start-up and knows the modem and how it delivers status reports', async () => {
    fixture = await startModemFixture({ profile });
    const { manufacturer, model, revision } = fixture.sim.simulator.profile;
    expect(fixture.modem.identity).toEqual({ manufacturer, model, revision });
    expect(fixture.modem.statusReports).toBe(REPORTS[profile]);
    // Every message setting the modem accepted was one it offers (no blind tries of refused sets).
    const cnmi = fixture.sim.simulator.commands.filter((c) => c.startsWith('AT+CNMI='));
    expect(cnmi).toEqual(['AT+CNMI=?', expect.stringMatching(/^AT\+CNMI=\d/)]);
  });

  it('sends a single and a concatenated message', async () => {
    fixture = await startModemFixture({ profile });
    await fixture.modem.send({ to: '+447911123456', text: 'Shelter open at the school gym' });
    const long = 'Evacuation of the river district: leave by the north bridge, bring medicine and documents. '.repeat(3);
    const result = await fixture.modem.send({ to: '+447911123457', text: long });
    const sent = fixture.sim.simulator.sent;
    expect(sent[0].text).toBe('Shelter open at the school gym');
    expect(result.parts).toBe(sent.length - 1);
    expect(
      sent
        .slice(1)
        .map((s) => s.text)
        .join(''),
    ).toBe(long);
  });

  it('receives a single and a concatenated message and deletes them', async () => {
    fixture = await startModemFixture({ profile });
    const { texts } = collect();
    fixture.sim.simulator.receiveSms({ from: '+4915112345678', text: 'Are the roads open?' });
    const long = 'Bridge at Mill Road is flooded, we are on the roof of number 12 with two children. '.repeat(3);
    fixture.sim.simulator.receiveSms({ from: '+4915112345679', text: long, reference: 12 });
    await waitFor(() => texts.length === 2 && fixture.sim.simulator.storage.used === 0, 'both messages and their deletion');
    expect(texts.map((t) => [t.from, t.text, t.complete])).toEqual([
      ['+4915112345678', 'Are the roads open?', true],
      ['+4915112345679', long, true],
    ]);
  });

  it('joins a long message whose parts wait in the SIM and in the modem memory at start-up', async () => {
    fixture = await startModemFixture({ profile });
    const long = 'Water is rising near the old mill; we need sandbags and a pump at the east gate now. '.repeat(3);
    const [first, ...rest] = deliverPdus({ from: '+4915112345670', text: long, reference: 99 }, new Date());
    const me = fixture.sim.simulator.memories.get('ME') as SimStorage;
    fixture.sim.simulator.storage.store(first);
    for (const pdu of rest) me.store(pdu);
    const { texts } = collect();
    await waitFor(() => texts.length === 1, 'the joined message');
    expect(texts[0]).toMatchObject({ text: long, complete: true, parts: 1 + rest.length });
    await waitFor(() => fixture.sim.simulator.storage.used === 0 && me.used === 0, 'all parts deleted');
  });

  if (MODEM_PROFILES[profile].memories.includes('MT')) {
    it('receives a long message that spills from the full SIM into the modem memory ("MT")', async () => {
      fixture = await startModemFixture({ profile, storageSize: 1 });
      expect(fixture.modem.memories.receive).toBe('MT');
      const { texts } = collect();
      const long = 'Power cut in sectors 4 to 7 until tonight; the hospital runs on its generator. '.repeat(4);
      const indexes = fixture.sim.simulator.receiveSms({ from: '+4915112345671', text: long, reference: 7 });
      expect(indexes.length).toBeGreaterThanOrEqual(3);
      await waitFor(() => texts.length === 1, 'the joined message');
      expect(texts[0].text).toBe(long);
      const me = fixture.sim.simulator.memories.get('ME') as SimStorage;
      await waitFor(() => fixture.sim.simulator.storage.used === 0 && me.used === 0, 'all parts deleted');
      expect(fixture.sim.simulator.commands).toContain('AT+CPMS="ME"');
    });
  }

  it('gets a status report for a sent message, however the modem delivers it', async () => {
    fixture = await startModemFixture({ profile });
    const { reports } = collect();
    const sent = await fixture.modem.send({ to: '+447911123458', text: 'report me', requestReceipt: true });
    fixture.sim.simulator.receiveStatusReport({ messageReference: sent.messageReferences[0], recipient: '+447911123458' });
    await waitFor(() => reports.length === 1, 'the status report');
    expect(reports[0].modem).toMatchObject({ kind: 'statusReport', receipt: { messageId: String(sent.messageReferences[0]), status: 'DELIVRD' } });
    await waitFor(() => [...fixture.sim.simulator.memories.values()].every((m) => m.name === 'MT' || m.used === 0), 'the stored report deleted');
  });
});

describe('GsmModem on an E173 whose notices cannot be turned off (AT^CURC refused)', () => {
  it('reads answers with ^RSSI/^MODE notices in the middle (even between a +CMGL header and its PDU), sends, receives and gets reports', async () => {
    const fixture = await startModemFixture({ profile: 'e173', overrides: { noiseSwitch: undefined, noiseAt: 'inside' } });
    try {
      expect(fixture.sim.simulator.commands).toContain('AT^CURC=0');
      const texts: string[] = [];
      const reports: ModemInboundMessage[] = [];
      fixture.modem.addTextHandler((m) => {
        texts.push(m.text);
      });
      fixture.modem.addInboundHandler((m) => {
        if (m.modem.kind === 'statusReport') reports.push(m);
      });
      await expect(fixture.modem.signal()).resolves.toMatchObject({ rssi: 20 });
      await expect(fixture.modem.registration()).resolves.toMatchObject({ registered: true, status: 'home' });
      const long = 'Flood barrier on Quay Street is closed; use the footbridge at the station instead. '.repeat(3);
      const sent = await fixture.modem.send({ to: '+447911123459', text: long, requestReceipt: true });
      expect(fixture.sim.simulator.sent.map((s) => s.text).join('')).toBe(long);
      fixture.sim.simulator.receiveSms({ from: '+4915112345672', text: long, reference: 3 });
      fixture.sim.simulator.receiveSms({ from: '+4915112345673', text: 'listed at the next scan' }, false);
      fixture.sim.simulator.receiveStatusReport({ messageReference: sent.messageReferences[0], recipient: '+447911123459' });
      await waitFor(() => texts.length === 1 && reports.length === 1, 'the message and the report');
      expect(texts).toEqual([long]);
      // A new listener makes the modem list its memory (AT+CMGL): notices land inside that answer too.
      fixture.modem.addTextHandler(() => undefined);
      await waitFor(() => texts.length === 2, 'the listed message');
      expect(texts[1]).toBe('listed at the next scan');
      const inside = fixture.log.findIndex((l, i) => /^< \+CM(GL|GR):/.test(l) && /^< \^/.test(fixture.log[i + 1] ?? ''));
      expect(inside).toBeGreaterThanOrEqual(0);
      expect(fixture.log.some((l) => /\^(RSSI|MODE|DSFLOWRPT)/.test(l))).toBe(true);
    } finally {
      await fixture.stop();
    }
  });
});
