import Redis from 'ioredis';
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { closeSharedRedisClients } from '../../nodes/shared/state/redis-connection';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';
import { capXml } from './cap-fixtures';
import { ManualClock } from './support';

const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';
const redisPrefix = `test-cbs-node-${process.pid}-${Date.now()}:`;
const POLYGON = '51.50,-0.13 51.51,-0.12 51.50,-0.11 51.49,-0.12 51.50,-0.13';

/** Version 2's Resource and Operation for version 1's Channel: both versions must do the same. */
const AS_V2: Record<string, IDataObject> = {
  cellBroadcast: { resource: 'cellBroadcast', operation: 'send' },
  cellBroadcastQuery: { resource: 'cellBroadcast', operation: 'query' },
  cellBroadcastCancel: { resource: 'cellBroadcast', operation: 'cancel' },
  both: { resource: 'both', operation: 'send' },
};

function inVersion(version: number, parameters: IDataObject): IDataObject {
  if (version === 1) return parameters;
  const { channel, ...rest } = parameters;
  return { ...AS_V2[String(channel)], ...rest };
}

describe.each([1, 2])('Broadcast Alert node v%i, cell broadcast (n8n WorkflowExecute, sandbox over TCP)', (version) => {
  let smsc: SandboxSmsc;
  let clock: ManualClock;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
    clock = new ManualClock(Date.now());
    smsc.cellBroadcast.configure({ clock: clock.now });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const run = (parameters: IDataObject, inputItems: IDataObject[] = [{}]) =>
    runWorkflow({
      nodes: [
        {
          name: 'Broadcast',
          type: BROADCAST,
          typeVersion: version,
          parameters: inVersion(version, {
            channel: 'cellBroadcast',
            messageSource: 'text',
            message: 'Flash flood warning for the river district. Move to higher ground now.',
            ...parameters,
          }),
          credentials: { ...smppCredentialRef, smsGatewayRedisApi: { id: 'cred-redis', name: 'Redis' } },
        },
      ],
      connections: chain('Start', 'Broadcast'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc), smsGatewayRedisApi: { host: '127.0.0.1', port: 6379, keyPrefix: redisPrefix } },
      credentialTypes,
      inputItems,
    });

  it('broadcasts to a polygon with the asked repetitions; the output has the broadcast id and per-area state', async () => {
    const result = await run({
      cbAreaSource: 'polygon',
      cbPolygon: POLYGON,
      cbWarningLevel: 'extreme',
      cbRepetitions: 20,
      cbIntervalSeconds: 120,
      cbValidityMinutes: 90,
    });
    expect(result.error).toBeUndefined();
    const [item] = result.items('Broadcast');
    expect(item).toMatchObject({
      type: 'cellBroadcast',
      action: 'broadcast',
      messageIdentifier: 4371,
      repetitions: 20,
      intervalSeconds: 120,
      state: 'ENROUTE',
      failedAreas: [],
      perArea: [{ area: expect.stringMatching(/^polygon of 4 points/), successPercent: 100 }],
    });
    const recorded = smsc.cellBroadcast.get(String(item.messageId));
    expect(recorded).toMatchObject({
      repetitions: 20,
      frequencySeconds: 120,
      contentType: { network: 1, type: 4371 },
      priority: 1,
      source: { addr: 'CITYALERT', ton: 5, npi: 0 },
    });
    expect(recorded?.areas[0].kind).toBe('polygon');
    expect(smsc.store.list()).toHaveLength(0); // no SMS went out
  });

  it('CAP Alert -> Update -> Cancel through three executions, then Query by CAP identifier', async () => {
    const cap = (m: Parameters<typeof capXml>[0]) => ({
      messageSource: 'cap',
      capXml: capXml(m),
      cbAreaSource: 'cap',
      cbWarningLevel: 'fromCap',
      stateStore: 'redis',
    });
    const alert = await run(cap({ identifier: 'NODE-FLOOD-1', msgType: 'Alert' }));
    const [first] = alert.items('Broadcast');
    expect(first).toMatchObject({ action: 'broadcast', capIdentifier: 'NODE-FLOOD-1', state: 'ENROUTE', messageIdentifier: 4371 });

    clock.advance(300);
    const update = await run(
      cap({ identifier: 'NODE-FLOOD-2', msgType: 'Update', references: ['NODE-FLOOD-1'], severity: 'Severe', headline: 'Flood warning extended' }),
    );
    const [second] = update.items('Broadcast');
    expect(second).toMatchObject({
      action: 'update',
      capIdentifier: 'NODE-FLOOD-2',
      state: 'ENROUTE',
      replaced: [{ capIdentifier: 'NODE-FLOOD-1', messageId: first.messageId, outcome: 'cancelled' }],
    });
    expect(smsc.cellBroadcast.get(String(first.messageId))?.state).toBe('DELETED');
    expect(smsc.cellBroadcast.active().map((b) => b.messageId)).toEqual([second.messageId]);

    const query = await run({ channel: 'cellBroadcastQuery', cbMessageId: 'NODE-FLOOD-2', stateStore: 'redis' });
    expect(query.items('Broadcast')).toEqual([
      expect.objectContaining({ type: 'cellBroadcastState', messageId: second.messageId, capIdentifier: 'NODE-FLOOD-2', state: 'ENROUTE' }),
    ]);

    const cancel = await run(cap({ identifier: 'NODE-FLOOD-3', msgType: 'Cancel', references: ['NODE-FLOOD-2'] }));
    expect(cancel.items('Broadcast')[0]).toMatchObject({
      action: 'cancel',
      messageId: null,
      replaced: [{ capIdentifier: 'NODE-FLOOD-2', messageId: second.messageId, outcome: 'cancelled' }],
    });
    expect(smsc.cellBroadcast.active()).toHaveLength(0);

    const later = await run({ channel: 'cellBroadcastQuery', cbMessageId: String(second.messageId) });
    expect(later.items('Broadcast')[0]).toMatchObject({ messageId: second.messageId, state: 'DELETED' });
  });

  it('Query reports the state moving on the centre clock; Cancel by broadcast id stops it', async () => {
    const sent = await run({ cbAreaSource: 'aliases', cbAliases: 'DISTRICT-7\nOLD-TOWN', cbRepetitions: 3, cbIntervalSeconds: 60 });
    const messageId = String(sent.items('Broadcast')[0].messageId);
    const other = await run({
      cbAreaSource: 'circle',
      cbCircleLatitude: 51.5,
      cbCircleLongitude: -0.12,
      cbCircleRadiusKm: 2.5,
      cbRepetitions: 100,
      cbIntervalSeconds: 60,
    });
    const otherId = String(other.items('Broadcast')[0].messageId);
    clock.advance(180);
    const query = await run({ channel: 'cellBroadcastQuery', cbMessageId: '={{ $json.id }}' }, [{ id: messageId }, { id: otherId }]);
    expect(query.items('Broadcast').map((i) => [i.messageId, i.state])).toEqual([
      [messageId, 'DELIVERED'],
      [otherId, 'ENROUTE'],
    ]);
    expect((query.items('Broadcast')[0].perArea as IDataObject[]).map((a) => a.area)).toEqual(['alias DISTRICT-7', 'alias OLD-TOWN']);
    const cancel = await run({ channel: 'cellBroadcastCancel', cbMessageId: '={{ $json.id }}' }, [{ id: otherId }, { id: messageId }]);
    expect(cancel.items('Broadcast').map((i) => i.outcome)).toEqual(['cancelled', 'already_ended']);
    expect(smsc.cellBroadcast.get(otherId)?.state).toBe('DELETED');
  });

  it('Cell Broadcast and SMS: the area broadcast first, then the SMS to the recipients', async () => {
    const result = await run(
      { channel: 'both', cbAreaSource: 'aliases', cbAliases: 'RIVER', recipientSource: 'items', recipientField: 'phone', broadcastId: `both-${Date.now()}` },
      [{ phone: '+447911000001' }, { phone: '+447911000002' }],
    );
    expect(result.error).toBeUndefined();
    const [cell, summary] = result.items('Broadcast');
    expect(cell).toMatchObject({ type: 'cellBroadcast', state: 'ENROUTE' });
    expect(summary).toMatchObject({ type: 'summary', accepted: 2 });
    expect(smsc.store.list()).toHaveLength(2);
    expect(smsc.cellBroadcast.list()).toHaveLength(1);
  });

  it('a carrier that speaks only SMPP 3.4 gives a clear error', async () => {
    smsc.cellBroadcast.configure({ smpp5: false });
    const result = await run({ cbAreaSource: 'aliases', cbAliases: 'RIVER' });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/^this carrier does not accept broadcast_sm \(SMPP 5\.0 cell broadcast\)/);
    expect(result.error?.description).toMatch(/SMPP 5\.0 account/);
  });

  it.each([
    {
      parameters: { cbAreaSource: 'polygon', cbPolygon: '51.5,-0.13 51.51,-0.12 51.5,-0.13' },
      message: 'Polygon: needs at least 3 distinct points (got 2)',
      label: 'Polygon',
    },
    {
      parameters: { cbAreaSource: 'polygon', cbPolygon: '51.5,-0.13 north,-0.12 51.5,-0.11' },
      message: 'Polygon: point 2 "north,-0.12" is not "lat,lon"',
      label: 'Polygon',
    },
    {
      parameters: { cbAreaSource: 'circle', cbCircleLatitude: 95, cbCircleLongitude: 0, cbCircleRadiusKm: 1 },
      message: 'Latitude: 95 is outside -90..90',
      label: 'Latitude',
    },
    { parameters: { cbAreaSource: 'aliases', cbAliases: ' ' }, message: 'Area Names is empty', label: 'Area Names' },
    { parameters: { cbAreaSource: 'aliases', cbAliases: 'Zürich' }, message: 'Area Names: must be printable ASCII (got "Zürich")', label: 'Area Names' },
    {
      parameters: { cbAreaSource: 'circle', cbCircleLatitude: 51, cbCircleLongitude: 0, cbCircleRadiusKm: 5000 },
      message: 'Radius (Km): 5000000 m is more than the largest encodable radius',
      label: 'Radius (Km)',
    },
    {
      parameters: { cbAreaSource: 'aliases', cbAliases: 'RIVER', message: 'x'.repeat(1400) },
      message: 'Message: the text needs 16 cell broadcast pages',
      label: 'Message',
    },
    { parameters: { cbAreaSource: 'cap' }, message: 'Broadcast Area "From the CAP Alert" needs Message Source = CAP 1.2 Alert', label: 'Broadcast Area' },
    {
      parameters: { cbAreaSource: 'aliases', cbAliases: 'RIVER', cbIntervalSeconds: 1.5 },
      message: 'Repetition Interval (Seconds): must be a whole number of seconds',
      label: 'Repetition Interval (Seconds)',
    },
  ])('malformed input: "$message" naming $label as the panel shows it, nothing sent', async ({ parameters, message, label }) => {
    const result = await run(parameters);
    expect(result.status).toBe('error');
    expect(result.error?.message.startsWith(message)).toBe(true);
    expect(result.error?.description).toBe(`Check "${label}"`);
    expect(smsc.cellBroadcast.list()).toHaveLength(0);
  });

  if (version === 1) return;

  it('Update (version 2): the new broadcast starts, then the one it replaces is cancelled, by message id or CAP identifier', async () => {
    const update = (parameters: IDataObject) =>
      run({
        channel: undefined,
        resource: 'cellBroadcast',
        operation: 'update',
        cbAreaSource: 'aliases',
        cbAliases: 'RIVER',
        stateStore: 'redis',
        ...parameters,
      });
    const first = await run({ cbAreaSource: 'aliases', cbAliases: 'RIVER' });
    const firstId = String(first.items('Broadcast')[0].messageId);
    const replaced = await update({ cbMessageId: firstId, message: 'Flood warning extended to the old town.' });
    expect(replaced.error).toBeUndefined();
    const [second] = replaced.items('Broadcast');
    expect(second).toMatchObject({ type: 'cellBroadcast', action: 'update', state: 'ENROUTE', replaced: [{ messageId: firstId, outcome: 'cancelled' }] });
    expect(smsc.cellBroadcast.get(firstId)?.state).toBe('DELETED');
    expect(smsc.cellBroadcast.active().map((b) => b.messageId)).toEqual([second.messageId]);

    const cap = await run({
      messageSource: 'cap',
      capXml: capXml({ identifier: 'NODE-UPD-1', msgType: 'Alert' }),
      cbAreaSource: 'cap',
      cbWarningLevel: 'fromCap',
      stateStore: 'redis',
    });
    const capId = String(cap.items('Broadcast')[0].messageId);
    const byCapIdentifier = await update({ cbMessageId: 'NODE-UPD-1' });
    expect(byCapIdentifier.items('Broadcast')[0]).toMatchObject({
      action: 'update',
      replaced: [{ messageId: capId, capIdentifier: 'NODE-UPD-1', outcome: 'cancelled' }],
    });
    expect(smsc.cellBroadcast.get(capId)?.state).toBe('DELETED');

    // n8n itself refuses a literally empty required parameter; an expression can still give an empty value.
    const nothing = await update({ cbMessageId: '={{ $json.id ?? "" }}' });
    expect(nothing.error?.message).toMatch(/^Broadcast to Replace is empty/);
    expect(nothing.error?.description).toBe('Check "Broadcast to Replace (ID or CAP Identifier)"');
  });
});

afterAll(async () => {
  await closeSharedRedisClients();
  const r = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await r.connect();
  const keys = await r.keys(`${redisPrefix}*`);
  if (keys.length) await r.del(...keys);
  await r.quit();
});
