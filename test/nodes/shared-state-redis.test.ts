/**
 * One Redis configuration: a node whose State Store is Redis shares the carrier's TPS budget
 * through its SMS Gateway Redis credential, with nothing about Redis in the SMPP Carrier
 * credential. Through n8n's engine (the harness), the sandbox over TCP and the real Redis; the
 * budget's key in Redis shows who shares it (n8n's queue-mode e2e test checks the rate itself).
 */
import Redis from 'ioredis';
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports, tpsBudgetKey } from '../../src/registry/smpp-registry';
import { closeSharedRedisClients } from '../../nodes/shared/state/redis-connection';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const REDIS = { host: '127.0.0.1', port: 6379 };

describe("State Store = Redis shares the carrier's TPS budget through the node's Redis credential", () => {
  let smsc: SandboxSmsc;
  let redis: Redis;
  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    redis = new Redis(REDIS);
  });
  beforeEach(async () => {
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });
  afterAll(async () => {
    await closeSharedRedisClients();
    await redis.quit();
  });

  const send = (stateStore: string, to: string) =>
    runWorkflow({
      nodes: [
        {
          name: 'Send SMS',
          type: SEND,
          parameters: { to, message: 'budget check', stateStore } as IDataObject,
          credentials: { ...smppCredentialRef, smsGatewayRedisApi: { id: 'cred-redis', name: 'Redis' } },
        },
      ],
      connections: chain('Start', 'Send SMS'),
      nodeTypes,
      // A TPS limit, and no Redis of its own in the SMPP Carrier credential.
      credentials: { smppApi: smppCredential(smsc, { tps: 5 }), smsGatewayRedisApi: { ...REDIS, keyPrefix: `test-shared-${process.pid}:` } },
      credentialTypes,
      inputItems: [{}],
    });

  /** The budget's keys in Redis (see src/throttle/redis-window-log.ts). */
  const budgetKeys = (): Promise<string[]> => redis.keys(`sms-gateway:tps:{${tpsBudgetKey({ host: '127.0.0.1', port: smsc.port, systemId: 'sandbox' })}}:*`);

  it('memory: the budget stays in the process', async () => {
    const run = await send('memory', '+447911123001');
    expect(run.error).toBeUndefined();
    expect(await budgetKeys()).toEqual([]);
  });

  it('redis: the budget is in the Redis of the SMS Gateway Redis credential', async () => {
    const run = await send('redis', '+447911123002');
    expect(run.error).toBeUndefined();
    expect(run.items('Send SMS')).toEqual([expect.objectContaining({ status: 'accepted' })]);
    const keys = await budgetKeys();
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
  }, 30_000);
});
