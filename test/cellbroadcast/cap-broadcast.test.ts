import Redis from 'ioredis';
import { parseCapAlert } from '../../src/broadcast/cap-alert';
import { MemoryBroadcastIdStore, RedisBroadcastIdStore } from '../../src/cellbroadcast/broadcast-id-store';
import type { BroadcastIdStore } from '../../src/cellbroadcast/broadcast-id-store';
import { capAreasToBroadcastAreas } from '../../src/cellbroadcast/cap-areas';
import { capReferencedIdentifiers, runCapBroadcast } from '../../src/cellbroadcast/cap-broadcast';
import type { CapBroadcastSettings } from '../../src/cellbroadcast/cap-broadcast';
import { capWarningChannel, warningMessageIdentifier } from '../../src/cellbroadcast/warning-channels';
import { checkAreas } from '../../src/cellbroadcast/broadcast-area';
import { capXml } from './cap-fixtures';
import { startCentre } from './support';
import type { CentreFixture } from './support';

const settings: CapBroadcastSettings = { repetitions: 10, frequencySeconds: 60, validityMinutes: 120 };
const redisPrefix = `test-cbs-${process.pid}-${Date.now()}:`;

describe.each(['memory', 'redis'])('CAP Alert -> Update -> Cancel on the cell broadcast centre (%s id store)', (kind) => {
  let f: CentreFixture;
  let redis: Redis | null = null;
  let store: BroadcastIdStore;
  beforeEach(async () => {
    f = await startCentre();
    if (kind === 'redis') {
      redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
      await redis.connect();
      store = new RedisBroadcastIdStore(redis, `${redisPrefix}${kind}:`);
    } else {
      store = new MemoryBroadcastIdStore();
    }
  });
  afterEach(async () => {
    await f.stop();
    if (redis) {
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      redis = null;
    }
  });

  it('the Update replaces the running broadcast and the Cancel stops it', async () => {
    const deps = { client: f.client, store, now: f.clock.now };
    const alert = await runCapBroadcast(parseCapAlert(capXml({ identifier: 'FLOOD-1', msgType: 'Alert' })), deps, settings);
    expect(alert).toMatchObject({ action: 'broadcast', capIdentifier: 'FLOOD-1', replaced: [] });
    expect(alert.plan?.messageIdentifier).toBe(4371); // Extreme, Immediate, Observed
    expect(f.smsc.cellBroadcast.active().map((b) => b.messageId)).toEqual([alert.messageId]);

    // Running the same alert again (an n8n retry) sends nothing.
    const again = await runCapBroadcast(parseCapAlert(capXml({ identifier: 'FLOOD-1', msgType: 'Alert' })), deps, settings);
    expect(again).toMatchObject({ action: 'duplicate', messageId: alert.messageId });
    expect(f.smsc.cellBroadcast.list()).toHaveLength(1);

    f.clock.advance(125);
    const update = await runCapBroadcast(
      parseCapAlert(
        capXml({
          identifier: 'FLOOD-2',
          msgType: 'Update',
          references: ['FLOOD-1'],
          severity: 'Severe',
          urgency: 'Expected',
          headline: 'Flood warning extended',
          instruction: 'Stay on upper floors.',
        }),
      ),
      deps,
      settings,
    );
    expect(update).toMatchObject({ action: 'update', replaced: [{ capIdentifier: 'FLOOD-1', messageId: alert.messageId, outcome: 'cancelled' }] });
    expect(update.messageId).not.toBe(alert.messageId);
    expect(f.smsc.cellBroadcast.get(alert.messageId!)).toMatchObject({ state: 'DELETED', broadcastsSent: 3 });
    expect(f.smsc.cellBroadcast.get(update.messageId!)).toMatchObject({
      state: 'ENROUTE',
      text: 'Flood warning extended\nStay on upper floors.',
      contentType: { network: 1, type: 4377 },
    });
    expect(await store.get('FLOOD-1')).toBeNull();
    expect(await store.get('FLOOD-2')).toMatchObject({ messageId: update.messageId });

    f.clock.advance(60);
    const cancel = await runCapBroadcast(parseCapAlert(capXml({ identifier: 'FLOOD-3', msgType: 'Cancel', references: ['FLOOD-2'] })), deps, settings);
    expect(cancel).toMatchObject({
      action: 'cancel',
      messageId: null,
      replaced: [{ capIdentifier: 'FLOOD-2', messageId: update.messageId, outcome: 'cancelled' }],
    });
    expect(f.smsc.cellBroadcast.active()).toHaveLength(0);
    expect(f.smsc.cellBroadcast.list().map((b) => b.state)).toEqual(['DELETED', 'DELETED']);
    expect(await store.get('FLOOD-2')).toBeNull();
  });

  it('a Cancel for a broadcast that already ended, or for an alert never broadcast, says so without failing', async () => {
    const deps = { client: f.client, store, now: f.clock.now };
    const alert = await runCapBroadcast(parseCapAlert(capXml({ identifier: 'STORM-1', msgType: 'Alert' })), deps, { ...settings, repetitions: 2 });
    f.clock.advance(600);
    const cancel = await runCapBroadcast(
      parseCapAlert(capXml({ identifier: 'STORM-2', msgType: 'Cancel', references: ['STORM-1', 'NEVER-SEEN'] })),
      deps,
      settings,
    );
    expect(cancel.replaced).toEqual([
      { capIdentifier: 'STORM-1', messageId: alert.messageId, outcome: 'already_ended' },
      { capIdentifier: 'NEVER-SEEN', messageId: null, outcome: 'unknown' },
    ]);
    expect(f.smsc.cellBroadcast.get(alert.messageId!)?.state).toBe('DELIVERED');
  });
});

describe('CAP to cell broadcast mapping', () => {
  it('takes the end time from <expires> and refuses an alert that already expired', async () => {
    const f = await startCentre();
    try {
      const deps = { client: f.client, store: new MemoryBroadcastIdStore(), now: f.clock.now };
      const expires = new Date(f.clock.value + 45 * 60_000).toISOString().replace('.000Z', '+00:00');
      const outcome = await runCapBroadcast(parseCapAlert(capXml({ identifier: 'E-1', msgType: 'Alert', expires })), deps, settings);
      expect(f.smsc.cellBroadcast.get(outcome.messageId!)?.endTime).toBe(f.clock.value + 45 * 60_000);
      const past = new Date(f.clock.value - 60_000).toISOString();
      await expect(runCapBroadcast(parseCapAlert(capXml({ identifier: 'E-2', msgType: 'Alert', expires: past })), deps, settings)).rejects.toThrow(
        /^expires: the CAP alert expired at/,
      );
      await expect(runCapBroadcast(parseCapAlert(capXml({ identifier: 'E-3', msgType: 'Alert', status: 'Draft' })), deps, settings)).rejects.toThrow(
        'status: CAP status "Draft" is not broadcast',
      );
    } finally {
      await f.stop();
    }
  });

  it('picks the warning channel from status, event, severity, urgency and certainty', () => {
    const channel = (m: Parameters<typeof capXml>[0]) => warningMessageIdentifier(capWarningChannel(parseCapAlert(capXml(m))));
    expect(channel({ identifier: 'a', msgType: 'Alert' })).toBe(4371);
    expect(channel({ identifier: 'a', msgType: 'Alert', certainty: 'Likely' })).toBe(4372);
    expect(channel({ identifier: 'a', msgType: 'Alert', urgency: 'Expected', certainty: 'Possible' })).toBe(4374);
    expect(channel({ identifier: 'a', msgType: 'Alert', severity: 'Severe' })).toBe(4375);
    expect(channel({ identifier: 'a', msgType: 'Alert', severity: 'Moderate' })).toBe(4396);
    expect(channel({ identifier: 'a', msgType: 'Alert', event: 'Child Abduction Emergency' })).toBe(4379);
    expect(channel({ identifier: 'a', msgType: 'Alert', status: 'Test' })).toBe(4380);
    expect(channel({ identifier: 'a', msgType: 'Alert', status: 'Exercise' })).toBe(4381);
    expect(warningMessageIdentifier({ level: 'presidential' })).toBe(4370);
    expect(warningMessageIdentifier({ level: 'presidential', additionalLanguage: true })).toBe(4383);
    expect(warningMessageIdentifier({ level: 'publicSafety', additionalLanguage: true })).toBe(4397);
    expect(() => warningMessageIdentifier({ level: 'loud' as never })).toThrow(/^channel\.level: unknown warning level "loud"/);
  });

  it('turns CAP areas into broadcast areas: polygons (simplified past 15 points), circles in metres, geocodes and bare descriptions as aliases', () => {
    const ring = Array.from(
      { length: 40 },
      (_, i) => `${(51.5 + 0.05 * Math.sin((i / 40) * 2 * Math.PI)).toFixed(5)},${(-0.12 + 0.08 * Math.cos((i / 40) * 2 * Math.PI)).toFixed(5)}`,
    );
    const areaXml = `<area><areaDesc>Big</areaDesc><polygon>${[...ring, ring[0]].join(' ')}</polygon><circle>51.5,-0.12 2.5</circle><geocode><valueName>SAME</valueName><value>006113</value></geocode></area><area><areaDesc>OLD-TOWN</areaDesc></area>`;
    const { areas, notes } = capAreasToBroadcastAreas(parseCapAlert(capXml({ identifier: 'a', msgType: 'Alert', areaXml })).areas);
    expect(notes).toEqual(['Big: polygon 1 simplified from 40 to 15 points (the most a 3GPP TS 23.032 polygon holds)']);
    const checked = checkAreas(areas);
    expect(checked.map((a) => a.kind)).toEqual(['polygon', 'circle', 'alias', 'alias']);
    expect(checked[1]).toEqual({ kind: 'circle', lat: 51.5, lon: -0.12, radiusMeters: 2500 });
    expect(checked.slice(2)).toEqual([
      { kind: 'alias', alias: '006113' },
      { kind: 'alias', alias: 'OLD-TOWN' },
    ]);
    const polygon = checked[0];
    if (polygon.kind !== 'polygon') throw new Error(polygon.kind);
    // The simplified ring still spans the original: every kept point is one of the originals.
    expect(polygon.points).toHaveLength(15);
    for (const [lat, lon] of polygon.points) expect(ring).toContain(`${lat.toFixed(5)},${lon.toFixed(5)}`);
  });

  it('reads identifiers from CAP <references>', () => {
    expect(capReferencedIdentifiers('a@x,ID-1,2026-01-01T00:00:00Z b@y,ID-2,2026-01-01T01:00:00Z')).toEqual(['ID-1', 'ID-2']);
    expect(capReferencedIdentifiers(undefined)).toEqual([]);
  });
});
