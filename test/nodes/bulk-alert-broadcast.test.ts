import * as fs from 'fs';
import * as path from 'path';
import type { IDataObject } from 'n8n-workflow';
import Redis from 'ioredis';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { processWide } from '../../src/process-wide/shared-resource-pool';
import { MemoryOptOutStore } from '../../src/optout/opt-out-store';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { Status } from '../../src/transport/smpp/command-status';
import { startSandbox } from '../support/sandbox';
import { closeSharedRedisClients } from '../../nodes/shared/state/redis-connection';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';
const cap = fs.readFileSync(path.join(__dirname, '../fixtures/cap/flood-extreme.xml'), 'utf8');
const redisPrefix = `test-bcast-${process.pid}-${Date.now()}:`;
const number = (i: number): string => `+4479${String(10_000_000 + i).slice(-8)}`;

describe('Bulk Alert Broadcast node (through n8n WorkflowExecute, sandbox over TCP)', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const run = (parameters: IDataObject, inputItems: IDataObject[], extra: { credential?: IDataObject; redis?: IDataObject } = {}) =>
    runWorkflow({
      nodes: [
        {
          name: 'Broadcast',
          type: BROADCAST,
          parameters: {
            recipientSource: 'items',
            recipientField: 'phone',
            messageSource: 'text',
            message: 'Boil water notice: tap water is unsafe until further notice.',
            ...parameters,
          },
          credentials: { ...smppCredentialRef, smsGatewayRedisApi: { id: 'cred-redis', name: 'Redis' } },
        },
      ],
      connections: chain('Start', 'Broadcast'),
      nodeTypes,
      credentials: {
        smppApi: smppCredential(smsc, { windowSize: 50, ...extra.credential }),
        smsGatewayRedisApi: { host: '127.0.0.1', port: 6379, keyPrefix: redisPrefix, ...extra.redis },
      },
      credentialTypes,
      inputItems,
    });

  it('sends 10,000 recipients with 500 duplicates and 20 invalid numbers: exact counts, each valid number once', async () => {
    const items: IDataObject[] = [];
    for (let i = 0; i < 10_000; i++) items.push({ phone: number(i) });
    for (let i = 0; i < 500; i++) items.push({ phone: `0${number(i * 7).slice(3, 7)} ${number(i * 7).slice(7)}` }); // same numbers, national format
    for (let i = 0; i < 20; i++) items.push({ phone: i % 2 ? `12${i}` : `not-a-number-${i}` });
    const result = await run({ broadcastId: `ten-k-${Date.now()}`, options: { defaultCountry: 'GB' } }, items);
    expect(result.status).toBe('success');
    const [summary] = result.items('Broadcast');
    expect(summary).toMatchObject({
      type: 'summary',
      total: 10_520,
      accepted: 10_000,
      failed: 0,
      invalid: 20,
      duplicatesRemoved: 500,
      skippedOptOut: 0,
      parts: 10_000,
    });
    expect((summary.problems as IDataObject[]).filter((p) => p.status === 'invalid')).toHaveLength(20);
    expect(smsc.store.uniqueDestinations()).toBe(10_000);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
  });

  it('skips numbers on the opt-out list, unless the alert overrides opt-outs', async () => {
    const optOut = processWide('memoryOptOut', () => new MemoryOptOutStore());
    await optOut.optOut('default', number(2));
    const items = [0, 1, 2, 3].map((i) => ({ phone: number(i) }));
    const first = await run({ broadcastId: `optout-${Date.now()}` }, items);
    expect(first.items('Broadcast')[0]).toMatchObject({ accepted: 3, skippedOptOut: 1 });
    expect(smsc.store.list({ to: number(2).slice(1) })).toHaveLength(0);
    const safety = await run({ broadcastId: `optout-safety-${Date.now()}`, overrideOptOut: true }, items);
    expect(safety.items('Broadcast')[0]).toMatchObject({ accepted: 4, skippedOptOut: 0 });
    expect(smsc.store.list({ to: number(2).slice(1) })).toHaveLength(1);
    await optOut.optIn('default', number(2));
  });

  it('dry run: counts recipients, parts and time, and sends nothing', async () => {
    const items = [0, 1, 2, 2, 'bad'].map((i) => ({ phone: typeof i === 'number' ? number(i) : i }));
    const result = await run({ dryRun: true, message: 'ł'.repeat(100) }, items, { credential: { tps: 2 } });
    expect(result.items('Broadcast')[0]).toMatchObject({
      dryRun: true,
      total: 5,
      accepted: 0,
      invalid: 1,
      duplicatesRemoved: 1,
      parts: 6,
      partsPerMessage: 2,
      estimatedSeconds: 3,
    });
    expect(smsc.store.list()).toHaveLength(0);
    expect(smsc.stats.binds).toBe(0);
  });

  it('sends a CAP 1.2 alert: headline and instruction, priority from severity, flash for Extreme/Immediate', async () => {
    const result = await run(
      { recipientSource: 'list', recipientList: `phone,name\n${number(1)},Ann\n${number(2)},Bob`, messageSource: 'cap', capXml: cap, capFlash: true },
      [{}],
    );
    expect(result.status).toBe('success');
    expect(result.items('Broadcast')[0]).toMatchObject({ accepted: 2, capIdentifier: 'CITY-2026-11-26-0001' });
    const [received] = smsc.store.list({ to: number(1).slice(1) });
    expect(received.text).toBe('Flash flood warning for the river district\nMove to higher ground now. Do not drive through water.');
    expect(received.priority).toBe(3);
    expect(received.messageClass).toBe(0);
  });

  it('rejects malformed CAP XML with an error naming the field', async () => {
    const result = await run({ messageSource: 'cap', capXml: '<alert><identifier>x</identifier>' }, [{ phone: number(1) }]);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/CAP alert is not well-formed XML/);
    expect(result.error?.description).toBe('Check "CAP Alert XML"');
  });

  it('outputs one item per recipient, paired to its input item, then the summary', async () => {
    smsc.setFaults({ failDestinations: [number(1).slice(1)], failStatus: Status.invalidDestination });
    const result = await run({ output: 'perRecipient', broadcastId: `per-${Date.now()}` }, [{ phone: number(0) }, { phone: number(1) }, { phone: 'x' }]);
    const outputs = result.outputs('Broadcast')[0];
    const recipients = outputs.filter((o) => o.json.type === 'recipient');
    const byStatus = Object.fromEntries(recipients.map((o) => [o.json.status as string, o.pairedItem]));
    expect(byStatus).toEqual({ accepted: { item: 0 }, failed: { item: 1 }, invalid: { item: 2 } });
    expect(outputs[outputs.length - 1].json).toMatchObject({ type: 'summary', accepted: 1, failed: 1, invalid: 1 });
  });

  it.each(['memory', 'redis'])('resumes a broadcast by ID (%s journal): nobody gets the message twice', async (stateStore) => {
    const id = `resume-${stateStore}-${Date.now()}`;
    const items = Array.from({ length: 50 }, (_, i) => ({ phone: number(i) }));
    smsc.setFaults({ failDestinations: [number(3).slice(1), number(4).slice(1)], failStatus: Status.systemError });
    const first = await run({ broadcastId: id, stateStore }, items);
    expect(first.items('Broadcast')[0]).toMatchObject({ accepted: 48, failed: 2 });
    smsc.setFaults({ failDestinations: [] });
    const second = await run({ broadcastId: id, stateStore }, items);
    expect(second.items('Broadcast')[0]).toMatchObject({ accepted: 2, skippedAlreadySent: 48, failed: 0 });
    expect(smsc.store.uniqueDestinations()).toBe(50);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
  });

  it('after a crash mid-send, a re-run skips numbers that may have been sent and reports them as uncertain', async () => {
    const id = `crash-${Date.now()}`;
    const journal = processWide('memoryBroadcastJournal', () => new MemoryBroadcastJournal());
    // A run that claimed number 7 and crashed before recording the outcome.
    const { broadcastId } = await journal.open(id, { windowMs: Infinity });
    await journal.claim(broadcastId, 'crashed-run', [number(7)]);
    const result = await run({ broadcastId: id }, [{ phone: number(6) }, { phone: number(7) }]);
    const [summary] = result.items('Broadcast');
    expect(summary).toMatchObject({ accepted: 1, skippedUncertain: 1 });
    expect((summary.problems as IDataObject[])[0]).toMatchObject({ to: number(7), status: 'skipped_uncertain' });
    expect(smsc.store.list({ to: number(7).slice(1) })).toHaveLength(0);
  });

  it('reports Redis being down as a clear error naming the host', async () => {
    const result = await run({ stateStore: 'redis' }, [{ phone: number(1) }], { redis: { port: 1 } });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/Cannot reach Redis at 127.0.0.1:1/);
  });
});

afterAll(async () => {
  await closeSharedRedisClients();
  const r = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await r.connect();
  const keys = await r.keys(`test-bcast-${process.pid}-*`);
  if (keys.length) await r.del(...keys);
  await r.quit();
});
