// Replace Sent Message on another n8n process (queue mode) or after a restart: with State Store
// Redis, the data_coding of what was sent (every message, GSM-7 too) is shared through Redis, so the new
// text is still written in the original's alphabet. The "other process" is this one with its
// memory of sent messages emptied. Against the sandbox over TCP and the local Redis.
import Redis from 'ioredis';
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { processWide } from '../../src/process-wide';
import { closeRedisClients } from '../../src/redis/redis-clients';
import { closeSharedRedisClients } from '../../nodes/shared/state/redis-connection';
import { startSandbox, waitFor } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const REDIS = { host: '127.0.0.1', port: 6379 };
const PREFIX = `test-replace-dc-${process.pid}:`;
const HOLD_MS = 4000;

describe('Replace Sent Message across processes (State Store Redis)', () => {
  let smsc: SandboxSmsc;
  const redis = new Redis(REDIS);
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
  afterAll(async () => {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await closeSharedRedisClients();
    await closeRedisClients();
  });

  const run = (parameters: IDataObject) =>
    runWorkflow({
      nodes: [
        {
          name: 'Op',
          type: SEND,
          parameters: { stateStore: 'redis', ...parameters },
          credentials: { ...smppCredentialRef, smsGatewayRedisApi: { id: 'cred-redis', name: 'Redis' } },
          continueOnFail: true,
        },
      ],
      connections: chain('Start', 'Op'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc), smsGatewayRedisApi: { ...REDIS, keyPrefix: PREFIX } },
      credentialTypes,
      inputItems: [{}],
    });

  it('a UCS-2 message sent by one process and replaced with plain text by another reads right on the phone', async () => {
    const sent = await run({ to: '+447911123301', message: 'Réunion à 10h 😀', options: { scheduleAt: new Date(Date.now() + HOLD_MS).toISOString() } });
    const [id] = sent.items('Op')[0].messageIds as string[];
    expect(sent.items('Op')[0].encoding).toBe('ucs2');
    // In Redis (written in batches), then this process forgets what it sent: another process.
    await waitForAsync(async () => (await redis.keys(`${PREFIX}sent-dc:*`)).length > 0, 'the data coding in Redis');
    processWide('smppSentDataCodings', () => new Map<string, { clear?: () => void }>()).clear();
    processWide('smppSharedDataCodings', () => new Map()).clear();
    const res = await run({ operation: 'replaceMessage', messageIds: id, newMessage: 'Meeting moved to 11:00' });
    expect(res.items('Op')[0]).toEqual(expect.objectContaining({ status: 'replaced', encoding: 'ucs2' }));
    await waitFor(() => smsc.store.list({ to: '447911123301' }).length === 1, 'the replaced message on the phone', HOLD_MS + 5000);
    expect(smsc.store.list({ to: '447911123301' }).map((m) => m.text)).toEqual(['Meeting moved to 11:00']);
  }, 30_000);
});

async function waitForAsync(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
