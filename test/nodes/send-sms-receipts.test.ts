// Send SMS and receipts through n8n's engine: Get Delivery Status (this process, or Redis shared by
// every process), and "Settle On" with carriers that send intermediate receipts first.
import type { IDataObject } from 'n8n-workflow';
import Redis from 'ioredis';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import type { SandboxOptions } from '../../src/sandbox/types';
import { receiptKeyPrefix, resetCarrierReceiptTrackers } from '../../src/dlr/carrier-receipts';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { closeRedisClients } from '../../src/redis/redis-clients';
import { startSandbox, waitFor } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const SHARED = { useRedis: true, redisHost: '127.0.0.1', redisPort: 6379 };

describe('Send SMS: delivery status and receipts', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    resetCarrierReceiptTrackers();
    if (smsc) {
      const admin = new Redis({ host: '127.0.0.1', port: 6379 });
      const keys = await admin.keys(`${receiptKeyPrefix({ host: '127.0.0.1', port: smsc.port })}*`);
      if (keys.length) await admin.del(...keys);
      admin.disconnect();
      await smsc.stop();
    }
  });
  afterAll(async () => closeRedisClients());

  async function sandbox(options: SandboxOptions): Promise<void> {
    smsc = await startSandbox(options);
  }

  const run = (parameters: IDataObject, inputItems: IDataObject[], credential: IDataObject = {}, continueOnFail = false) =>
    runWorkflow({
      nodes: [{ name: 'SMS', type: SEND, parameters, credentials: smppCredentialRef, continueOnFail }],
      connections: chain('Start', 'SMS'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, credential) },
      credentialTypes,
      inputItems,
    });

  const send = (to: string, credential: IDataObject = {}, extra: IDataObject = {}) =>
    run({ to, message: 'Your parcel arrives today', options: { requestReceipt: true }, ...extra }, [{}], credential);

  it('Get Delivery Status: the receipt that came after Send SMS finished, in this process', async () => {
    await sandbox({ receipt: { outcome: 'DELIVRD', delayMs: 200 } });
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '5000'; // the bind stays open after the run, as in n8n
    try {
      const sent = await send('+447911123101');
      const { messageIds } = sent.items('SMS')[0];
      await waitFor(() => smsc.stats.receiptsSent === 1, 'the receipt');
      const status = await run({ operation: 'getDeliveryStatus', messageIds: '={{ $json.ids }}' }, [{ ids: messageIds }, { ids: 'nope-1, nope-2' }]);
      expect(status.status).toBe('success');
      const [known, unknown] = status.items('SMS');
      expect(known).toMatchObject({ messageIds, status: 'DELIVRD', final: true, parts: [{ messageId: (messageIds as string[])[0], status: 'DELIVRD' }] });
      expect(unknown).toMatchObject({ messageIds: ['nope-1', 'nope-2'], status: 'UNKNOWN', at: null, final: false });
    } finally {
      process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    }
  });

  it('Get Delivery Status with "Share via Redis": found in Redis by a process that never saw the receipt', async () => {
    await sandbox({ receipt: { outcome: 'UNDELIV', delayMs: 20 } });
    const sent = await send('+447911123102', SHARED, { waitForReceipt: true, receiptTimeoutSeconds: 10 });
    const item = sent.items('SMS')[0];
    expect(item.delivery).toMatchObject({ status: 'UNDELIV' });
    resetCarrierReceiptTrackers(); // this "process" forgets what it received; only Redis knows now
    const status = await run({ operation: 'getDeliveryStatus', messageIds: '={{ $json.ids }}' }, [{ ids: item.messageIds }], SHARED);
    expect(status.items('SMS')[0]).toMatchObject({ status: 'UNDELIV', final: true });
    expect(status.items('SMS')[0].note).toBeUndefined();
  });

  it('Get Delivery Status: an empty Message IDs names the field; with Continue On Fail the other items go on', async () => {
    await sandbox({});
    const failed = await run({ operation: 'getDeliveryStatus', messageIds: '={{ $json.ids }}' }, [{ ids: [] }]);
    expect(failed.status).toBe('error');
    expect(failed.error?.message).toMatch(/Message IDs is empty/);
    expect(failed.error?.description).toMatch(/"Message IDs" field of item 1/);
    const goingOn = await run({ operation: 'getDeliveryStatus', messageIds: '={{ $json.ids }}' }, [{ ids: '' }, { ids: 'abc' }], {}, true);
    expect(goingOn.items('SMS').map((i) => i.status)).toEqual(['failed', 'UNKNOWN']);
  });

  it('"Share via Redis" with Redis down: a clear error before sending, naming the Redis fields', async () => {
    await sandbox({});
    const result = await send('+447911123105', { useRedis: true, redisHost: '127.0.0.1', redisPort: 1, tps: 0 });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(
      /Cannot reach Redis at 127\.0\.0\.1:1 for the shared delivery receipts \(check Redis Host and Redis Port saved in the SMPP Carrier credential\): connection refused/,
    );
    expect(smsc.store.list()).toHaveLength(0);
  });

  it('"Settle On: Final State" waits past an intermediate receipt; "First Receipt" stops at it', async () => {
    await sandbox({ receipt: { outcome: 'DELIVRD', delayMs: 100, intermediate: 'ENROUTE' } });
    const final = await send('+447911123103', {}, { waitForReceipt: true, receiptTimeoutSeconds: 10 });
    expect(final.items('SMS')[0].delivery).toMatchObject({ status: 'DELIVRD', parts: [{ status: 'DELIVRD' }] });
    const first = await send('+447911123104', {}, { waitForReceipt: true, receiptTimeoutSeconds: 10, receiptSettle: 'first' });
    expect(first.items('SMS')[0].delivery).toMatchObject({ status: 'ENROUTE', parts: [{ status: 'ENROUTE', final: false }] });
  });
});
