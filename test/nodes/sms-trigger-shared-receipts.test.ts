// The SMS Trigger with receipts shared through Redis: a receipt that another bind received (a
// worker's transceiver, in queue mode) still starts the trigger's workflow, once, also when it came
// while the trigger was down.
import Redis from 'ioredis';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { readSmppCredential } from '../../nodes/shared/credentials/smpp-credential';
import { receiptKeyPrefix, resetCarrierReceiptTrackers } from '../../src/dlr/carrier-receipts';
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { Lease } from '../../src/process-wide/shared-resource-pool';
import { closeRedisClients } from '../../src/redis/redis-clients';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import type { SmppBindPool } from '../../src/transport/smpp/bind-pool';
import { activateTrigger } from '../inbound/support/active-trigger';
import type { ActiveTrigger } from '../inbound/support/active-trigger';
import { TRIGGER, carrierCredential, carrierRef, triggerCredentialTypes, triggerNodeTypes } from '../inbound/support/trigger-node-setup';
import { simpleSubmit } from '../support/messages';
import { startSandbox, waitFor } from '../support/sandbox';

const SHARED = { useRedis: true, redisHost: '127.0.0.1', redisPort: 6379 };
const IDS = { workflowId: 'shared-receipts-workflow', nodeId: 'shared-receipts-trigger' };

describe('SMS Trigger: receipts another bind received, through Redis', () => {
  let smsc: SandboxSmsc;
  let worker: Lease<SmppBindPool>;
  const active: ActiveTrigger[] = [];
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  afterAll(async () => closeRedisClients());
  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 5 } });
    // The "worker": a transceiver bind that binds first, so the sandbox hands it every receipt.
    worker = await acquireSmppTransport(readSmppCredential(carrierCredential(smsc, SHARED) as ICredentialDataDecryptedObject).connection);
  });
  afterEach(async () => {
    for (const t of active.splice(0)) await t.close();
    await worker.release();
    await closeAllSmppTransports();
    resetCarrierReceiptTrackers();
    const admin = new Redis({ host: '127.0.0.1', port: 6379 });
    const keys = await admin.keys(`${receiptKeyPrefix({ host: '127.0.0.1', port: smsc.port })}*`);
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
    await smsc.stop();
  });

  async function activate(): Promise<ActiveTrigger> {
    const trigger = await activateTrigger({
      type: TRIGGER,
      nodeType: triggerNodeTypes[TRIGGER],
      parameters: { source: 'carrier', events: ['receipt'], handleOptOut: false, options: { bindMode: 'receiver' } },
      credentials: { smppApi: carrierCredential(smsc, SHARED) },
      credentialRefs: carrierRef,
      credentialTypes: triggerCredentialTypes,
      ids: IDS,
    });
    active.push(trigger);
    return trigger;
  }

  const sendFromWorker = async (count: number, first: number): Promise<string[]> =>
    Promise.all(
      Array.from(
        { length: count },
        async (_, i) => (await worker.resource.submit(simpleSubmit(`4479111230${first + i}`, 'hi', { registeredDelivery: 1 }))).messageId,
      ),
    );

  it("emits each receipt the worker's bind received, once; and those that came while it was down after a restart", async () => {
    let trigger = await activate();
    const ids = await sendFromWorker(5, 10);
    await waitFor(() => trigger.emitted.length === 5, 'five receipt events');
    expect(worker.resource.metrics().deliverReceived).toBe(5); // the trigger's own receiver bind got none of them
    expect(trigger.emitted.map((e) => e.json.messageId).sort()).toEqual([...ids].sort());
    expect(trigger.emitted[0].json).toMatchObject({ type: 'receipt', status: 'DELIVRD', final: true, to: '+447911123010' });

    // The workflow is deactivated, receipts keep coming, it is activated again.
    await trigger.close();
    active.splice(0);
    const whileDown = await sendFromWorker(3, 20);
    await waitFor(() => smsc.stats.receiptsSent === 8, 'the receipts that come while the trigger is down');
    trigger = await activate();
    await waitFor(() => trigger.emitted.length === 3, 'the three receipts after the restart');
    await new Promise((r) => setTimeout(r, 300));
    expect(trigger.emitted.map((e) => e.json.messageId).sort()).toEqual([...whileDown].sort());
  });
});
