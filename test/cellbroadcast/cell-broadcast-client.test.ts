import * as net from 'net';
import { CellBroadcastClient } from '../../src/cellbroadcast/cell-broadcast-client';
import { BroadcastInputError, CellBroadcastRejectedError, CellBroadcastUnsupportedError } from '../../src/cellbroadcast/cell-broadcast-errors';
import type { CellBroadcastRequest } from '../../src/cellbroadcast/broadcast-request';
import { FrequencyUnit } from '../../src/cellbroadcast/smpp5-definitions';
import { SmppSocket } from '../../src/transport/smpp/smpp-socket';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { encodeGeneric } from '../../src/transport/smpp/pdu/pdu-codec';
import { Status } from '../../src/transport/smpp/command-status';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { RIVER_POLYGON, startCentre } from './support';
import type { CentreFixture } from './support';

const request = (extra: Partial<CellBroadcastRequest> = {}): CellBroadcastRequest => ({
  areas: [{ polygon: RIVER_POLYGON }],
  text: 'Flash flood warning for the river district. Move to higher ground now.',
  repetitions: 5,
  frequencySeconds: 60,
  validityMinutes: 60,
  channel: { level: 'extreme' },
  ...extra,
});

describe('CellBroadcastClient against the sandbox centre (SMPP 5.0 over TCP)', () => {
  let f: CentreFixture;
  beforeEach(async () => {
    f = await startCentre({ source: { addr: 'CITYALERT', ton: 5, npi: 0 } });
  });
  afterEach(async () => {
    await f.stop();
  });

  it('broadcasts to a polygon: the centre receives the same polygon (within the GAD step) and the text', async () => {
    const result = await f.client.broadcast(request());
    expect(result.messageId).toMatch(/^cb/);
    expect(result.failedAreas).toEqual([]);
    const [recorded] = f.smsc.cellBroadcast.list();
    expect(recorded.messageId).toBe(result.messageId);
    expect(recorded.text).toBe('Flash flood warning for the river district. Move to higher ground now.');
    expect(recorded.dataCoding).toBe(0x00);
    expect(recorded.areas).toHaveLength(1);
    const area = recorded.areas[0];
    if (area.kind !== 'polygon') throw new Error(`expected a polygon, got ${area.kind}`);
    // The closing point CAP repeats is dropped: four corners go on the wire.
    expect(area.points).toHaveLength(4);
    area.points.forEach(([lat, lon], i) => {
      expect(Math.abs(lat - RIVER_POLYGON[i][0])).toBeLessThan(1.1e-5);
      expect(Math.abs(lon - RIVER_POLYGON[i][1])).toBeLessThan(2.2e-5);
    });
    expect(recorded.source).toEqual({ addr: 'CITYALERT', ton: 5, npi: 0 });
  });

  it('repetition parameters round-trip: what the centre recorded is what was asked', async () => {
    const endTime = new Date(f.clock.value + 2 * 3600_000);
    await f.client.broadcast(
      request({
        repetitions: 12,
        frequencySeconds: 90,
        endTime,
        validityMinutes: undefined,
        priority: 'high',
        messageClass: 3,
        channelIndicator: 'extended',
        channel: { level: 'severe', urgency: 'expected', certainty: 'likely' },
      }),
    );
    await f.client.broadcast(request({ repetitions: 3, frequencySeconds: 2 * 86_400, validityMinutes: 7 * 24 * 60 }));
    const [first, second] = f.smsc.cellBroadcast.list();
    expect(first).toMatchObject({
      repetitions: 12,
      frequencySeconds: 90,
      frequency: { unit: FrequencyUnit.seconds, interval: 90 },
      endTime: endTime.getTime(),
      priority: 2,
      messageClass: 3,
      channelIndicator: 1,
      contentType: { network: 1, type: 4378 },
    });
    // Two days do not fit 16 bits of seconds: sent as 2880 minutes, read back as the same seconds.
    expect(second).toMatchObject({
      repetitions: 3,
      frequencySeconds: 172_800,
      frequency: { unit: FrequencyUnit.minutes, interval: 2880 },
      priority: 1,
      contentType: { network: 1, type: 4371 },
    });
    expect(second.endTime).toBe(f.clock.value + 7 * 86_400_000);
  });

  it('sends UCS-2 text when GSM-7 cannot carry it', async () => {
    await f.client.broadcast(request({ text: 'Alerte crue : évacuez — 洪水警报' }));
    const [recorded] = f.smsc.cellBroadcast.list();
    expect(recorded.dataCoding).toBe(0x08);
    expect(recorded.text).toBe('Alerte crue : évacuez — 洪水警报');
  });

  it('query follows the state on the centre clock: ENROUTE during the repetitions, then DELIVERED', async () => {
    const { messageId } = await f.client.broadcast(
      request({ areas: [{ polygon: RIVER_POLYGON }, { alias: 'DISTRICT-7' }], repetitions: 5, frequencySeconds: 60 }),
    );
    const early = await f.client.query(messageId);
    expect(early.state).toBe('ENROUTE');
    expect(early.perArea.map((a) => [a.area.kind, a.successPercent])).toEqual([
      ['polygon', 100],
      ['alias', 100],
    ]);
    expect(early.endTime?.getTime()).toBe(f.clock.value + 3600_000);
    f.clock.advance(299);
    expect((await f.client.query(messageId)).state).toBe('ENROUTE');
    expect(f.smsc.cellBroadcast.get(messageId)?.broadcastsSent).toBe(5);
    f.clock.advance(1);
    expect((await f.client.query(messageId)).state).toBe('DELIVERED');
    expect(f.smsc.cellBroadcast.active()).toHaveLength(0);
  });

  it('an end time before the repetitions are done gives EXPIRED', async () => {
    const { messageId } = await f.client.broadcast(request({ repetitions: 100, frequencySeconds: 60, validityMinutes: 10 }));
    f.clock.advance(600);
    expect((await f.client.query(messageId)).state).toBe('EXPIRED');
    expect(f.smsc.cellBroadcast.get(messageId)?.broadcastsSent).toBe(10);
  });

  it('cancel stops the broadcast: state DELETED, no more repetitions, a second cancel is refused', async () => {
    const { messageId } = await f.client.broadcast(request({ repetitions: 10, frequencySeconds: 60 }));
    f.clock.advance(125);
    await f.client.cancel(messageId);
    expect((await f.client.query(messageId)).state).toBe('DELETED');
    f.clock.advance(3600);
    expect(f.smsc.cellBroadcast.get(messageId)).toMatchObject({ state: 'DELETED', broadcastsSent: 3, active: false });
    await expect(f.client.cancel(messageId)).rejects.toThrow(/ESME_RBCASTCANCELFAIL/);
    await expect(f.client.query('no-such-id')).rejects.toThrow(CellBroadcastRejectedError);
  });

  it('replaces a running broadcast in place when given its messageId', async () => {
    const { messageId } = await f.client.broadcast(request());
    const replaced = await f.client.broadcast(request({ messageId, text: 'Update: the water is receding.' }));
    expect(replaced.messageId).toBe(messageId);
    expect(f.smsc.cellBroadcast.list()).toHaveLength(1);
    expect(f.smsc.cellBroadcast.get(messageId)).toMatchObject({ text: 'Update: the water is receding.', replacements: 1 });
  });

  it('reports areas the centre does not know as failed areas, and refuses when none is known', async () => {
    f.smsc.cellBroadcast.configure({ unknownAliases: ['NOWHERE'] });
    const result = await f.client.broadcast(request({ areas: [{ alias: 'NOWHERE' }, { circle: { lat: 51.5, lon: -0.12, radiusMeters: 2500 } }] }));
    expect(result.failedAreas).toEqual([{ kind: 'alias', alias: 'NOWHERE' }]);
    const [recorded] = f.smsc.cellBroadcast.list();
    expect(recorded.areas).toHaveLength(1);
    const circle = recorded.areas[0];
    if (circle.kind !== 'circle') throw new Error(`expected a circle, got ${circle.kind}`);
    expect(circle.radiusMeters).toBeGreaterThanOrEqual(2500);
    expect(circle.radiusMeters).toBeLessThan(2500 * 1.1);
    await expect(f.client.broadcast(request({ areas: [{ alias: 'NOWHERE' }] }))).rejects.toThrow(/ESME_RINVBCASTALIAS_NAME/);
  });

  it('checks input before sending: a bad polygon names the field and nothing reaches the centre', async () => {
    await expect(
      f.client.broadcast(
        request({
          areas: [
            { alias: 'A' },
            {
              polygon: [
                [51.5, -0.13],
                [51.51, -0.12],
                [51.5, -0.13],
              ],
            },
          ],
        }),
      ),
    ).rejects.toThrow(new BroadcastInputError('areas[1].polygon', 'needs at least 3 distinct points (got 2)'));
    await expect(f.client.broadcast(request({ repetitions: 0, validityMinutes: undefined }))).rejects.toThrow(/^repetitions: 0 repeats until the end time/);
    expect(f.smsc.cellBroadcast.stats.broadcasts + f.smsc.cellBroadcast.stats.rejected).toBe(0);
  });
});

describe('a peer without SMPP 5.0 cell broadcast', () => {
  it('an SMPP 3.4-only sandbox nacks broadcast_sm: a clear error, and the link stays usable', async () => {
    const smsc = await startSandbox();
    smsc.cellBroadcast.configure({ smpp5: false });
    const { client, transport } = await CellBroadcastClient.connect(sandboxTransportOptions(smsc));
    try {
      const attempt = client.broadcast(request());
      await expect(attempt).rejects.toThrow(CellBroadcastUnsupportedError);
      await expect(attempt).rejects.toThrow(/^this carrier does not accept broadcast_sm \(SMPP 5\.0 cell broadcast\): .* ESME_RINVCMDID/);
      await expect(client.query('cb000001')).rejects.toThrow(CellBroadcastUnsupportedError);
      expect(transport.state).toBe('bound');
      expect(smsc.cellBroadcast.stats.broadcasts).toBe(0);
    } finally {
      await transport.close();
      await smsc.stop();
    }
  });

  it('a peer that refuses a bind with interface_version 0x50 gives the same clear error; a wrong password stays a password error', async () => {
    const seen: number[] = [];
    const server = net.createServer((raw) => {
      const socket = new SmppSocket(raw);
      socket.on('pdu', (pdu) => {
        if (pdu.command === 'unbind') return void socket.write(encodeGeneric('unbind_resp', pdu.sequence, {}));
        if (pdu.kind !== 'generic' || pdu.command !== 'bind_transceiver') return;
        seen.push(Number(pdu.pdu.interface_version));
        const status = pdu.pdu.password !== 'right' ? Status.invalidPassword : Number(pdu.pdu.interface_version) > 0x34 ? Status.bindFailed : 0;
        socket.write(encodeGeneric('bind_transceiver_resp', pdu.sequence, { system_id: 'OLD-SMSC' }, status));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const options = { host: '127.0.0.1', port, systemId: 'esme', password: 'right', connectTimeoutMs: 2000, enquireLinkMs: 0, reconnectAttempts: 1 };
    try {
      await expect(CellBroadcastClient.connect(options)).rejects.toThrow(
        /^this carrier does not accept broadcast_sm \(SMPP 5\.0 cell broadcast\): it refused a bind with interface_version 0x50 .*ESME_RBINDFAIL/,
      );
      await expect(CellBroadcastClient.connect({ ...options, password: 'wrong' })).rejects.toThrow(/ESME_RINVPASWD/);
      // The same peer binds fine as SMPP 3.4: the refusal was about the version.
      const plain = new SmppTransport(options);
      await plain.start();
      await plain.close();
      expect(seen).toEqual([0x50, 0x50, 0x34]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
