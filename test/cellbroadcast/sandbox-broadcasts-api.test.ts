import { CellBroadcastClient } from '../../src/cellbroadcast/cell-broadcast-client';
import { sandboxTransportOptions } from '../support/sandbox';
import { requestJson, startSandboxHttpFixture } from '../sandbox/support/sandbox-http-fixture';
import { ManualClock, RIVER_POLYGON } from './support';

describe('sandbox HTTP API: GET /api/broadcasts', () => {
  it('lists cell broadcasts with their areas, parameters and state', async () => {
    const fixture = await startSandboxHttpFixture();
    const clock = new ManualClock();
    fixture.smsc.cellBroadcast.configure({ clock: clock.now });
    const { client, transport } = await CellBroadcastClient.connect(sandboxTransportOptions(fixture.smsc), { now: clock.now });
    try {
      const empty = await requestJson(fixture.base, 'GET', '/api/broadcasts');
      expect(empty.body).toMatchObject({ active: 0, broadcasts: [] });
      const first = await client.broadcast({
        areas: [{ polygon: RIVER_POLYGON }],
        text: 'Flood warning',
        repetitions: 3,
        frequencySeconds: 60,
        validityMinutes: 30,
        channel: { level: 'extreme' },
      });
      const second = await client.broadcast({
        areas: [{ alias: 'DISTRICT-7' }],
        text: 'Test',
        repetitions: 1,
        frequencySeconds: 0,
        validityMinutes: 30,
        channel: { level: 'test' },
      });
      await client.cancel(first.messageId);
      const answer = await requestJson<{ active: number; broadcasts: Array<Record<string, unknown>> }>(fixture.base, 'GET', '/api/broadcasts');
      expect(answer.status).toBe(200);
      expect(answer.body.active).toBe(0);
      expect(answer.body.broadcasts).toEqual([
        expect.objectContaining({
          messageId: first.messageId,
          state: 'DELETED',
          repetitions: 3,
          frequencySeconds: 60,
          text: 'Flood warning',
          areaDescriptions: [expect.stringMatching(/^polygon of 4 points/)],
        }),
        expect.objectContaining({
          messageId: second.messageId,
          state: 'DELIVERED',
          contentType: { network: 1, type: 4380 },
          areaDescriptions: ['alias DISTRICT-7'],
        }),
      ]);
    } finally {
      await transport.close();
      await fixture.stop();
    }
  });
});
