import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { HarnessNode } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { Status } from '../../src/transport/smpp/command-status';
import { closeSharedRedisClients } from '../../nodes/shared/state/redis-connection';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

/**
 * Send SMS is retry-safe. One rejection among 500 recipients used to fail the node after the
 * other 499 were accepted, losing their message IDs, and n8n's "Retry On Fail" then sent all 500
 * again. Now each item and recipient has an idempotency key (default: execution, node, run and
 * item; or the user's own, e.g. an order ID) in the memory or Redis state store: a retry sends
 * only what was never accepted, and the error lists what was accepted and what failed.
 */
const SEND = 'n8n-nodes-sms-gateway.sendSms';
const phones = (first: number, count: number): string[] => Array.from({ length: count }, (_, i) => `+4479${String(first + i).padStart(8, '0')}`);
const redisPrefix = `test-sendkey-${process.pid}-${Date.now()}:`;

describe('Send SMS: retries never resend what was accepted', () => {
  let smsc: SandboxSmsc;
  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    smsc = await startSandbox();
  });
  afterAll(async () => {
    await closeAllSmppTransports();
    await closeSharedRedisClients();
    await smsc.stop();
  });
  beforeEach(() => {
    smsc.store.clear();
    smsc.setFaults({ failDestinations: [] });
  });

  const run = (parameters: IDataObject, inputItems: IDataObject[], node: Partial<HarnessNode> = {}) =>
    runWorkflow({
      nodes: [
        {
          name: 'Send SMS',
          type: SEND,
          parameters: { to: '={{ $json.to }}', message: '={{ $json.text }}', ...parameters },
          credentials: { ...smppCredentialRef, smsGatewayRedisApi: { id: 'cred-redis', name: 'Redis' } },
          ...node,
        },
      ],
      connections: chain('Start', 'Send SMS'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, { windowSize: 50 }), smsGatewayRedisApi: { host: '127.0.0.1', port: 6379, keyPrefix: redisPrefix } },
      credentialTypes,
      inputItems,
    });
  const perDestination = (): number[] => [...smsc.store.perDestination.values()];

  it.each(['memory', 'redis'])(
    'one rejection among 500 (%s store): the error lists 499 accepted and 1 failed; "Retry On Fail" sends only the one',
    async (stateStore) => {
      const numbers = phones(60_000_000 + (stateStore === 'redis' ? 1000 : 0), 500);
      const items = numbers.map((to, i) => ({ to, text: `Your order ${i} has shipped.` }));
      const refused = numbers[250].slice(1);
      smsc.setFaults({ failDestinations: [refused], failStatus: Status.invalidDestination });
      // The carrier refuses it once; the retry (same execution) finds it fixed.
      const failedBefore = smsc.stats.failed;
      const fix = setInterval(() => {
        if (smsc.stats.failed > failedBefore) smsc.setFaults({ failDestinations: [] });
      }, 20);
      const result = await run({ stateStore }, items, { retryOnFail: true, maxTries: 2, waitBetweenTries: 300 }).finally(() => clearInterval(fix));

      expect(result.status).toBe('success');
      const out = result.items('Send SMS');
      expect(out).toHaveLength(500);
      expect(out.every((o) => o.status === 'accepted')).toBe(true);
      // Each phone got exactly one copy; the 499 outputs of the first try are kept, with their ids.
      expect(smsc.store.uniqueDestinations()).toBe(500);
      expect(perDestination().every((n) => n === 1)).toBe(true);
      expect(out.filter((o) => o.alreadySent === true)).toHaveLength(499);
      const ids = new Set(smsc.store.list({ direction: 'mt' }).map((m) => m.id));
      expect(out.every((o) => (o.messageIds as string[]).every((id) => ids.has(id)))).toBe(true);
    },
  );

  it('without Continue On Fail, the error says what was accepted and what failed, with the message ids', async () => {
    const numbers = phones(61_000_000, 3);
    smsc.setFaults({ failDestinations: [numbers[1].slice(1)], failStatus: Status.invalidDestination });
    const result = await run(
      {},
      numbers.map((to) => ({ to, text: 'Appointment tomorrow at 10:00' })),
    );
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/^1 of 3 SMS failed \(2 accepted\): SMS to \+447961000001 failed: carrier rejected the message: ESME_RINVDSTADR/);
    expect(result.error?.itemIndex).toBe(1);
    const ids = smsc.store.list({ direction: 'mt' }).map((m) => `${m.to}: ${m.id}`);
    expect(ids).toHaveLength(2);
    for (const line of ids) expect(result.error?.description).toContain(`+${line}`);
    // What a retry does, as it is: n8n's "Retry" of an execution is a new execution (a new default key).
    expect(result.error?.description).toMatch(
      /^Accepted \("Retry On Fail" does not send these again; n8n's "Retry" of the failed execution starts a new execution, which sends them again unless the Idempotency Key option is set\):/,
    );
  });

  it('an Idempotency Key of the user (an order ID) sends once across executions; another key sends again', async () => {
    const [to] = phones(62_000_000, 1);
    const key = `order-${Date.now()}-confirmation`;
    const first = await run({ options: { idempotencyKey: key } }, [{ to, text: 'Order confirmed' }]);
    const second = await run({ options: { idempotencyKey: key } }, [{ to, text: 'Order confirmed' }]);
    expect(second.items('Send SMS')[0]).toMatchObject({ status: 'accepted', alreadySent: true, messageIds: first.items('Send SMS')[0].messageIds });
    expect(smsc.store.list({ to })).toHaveLength(1);
    await run({ options: { idempotencyKey: `${key}-2` } }, [{ to, text: 'Order confirmed' }]);
    expect(smsc.store.list({ to })).toHaveLength(2);
  });

  it.each(['memory', 'redis'])('the same order twice in one execution (own Idempotency Key, %s store) is sent once', async (stateStore) => {
    const [to] = phones(64_000_000 + (stateStore === 'redis' ? 1 : 0), 1);
    const orderId = `A-${Date.now()}`;
    const items = [
      { orderId, to, text: 'Order A-7 has shipped.' },
      { orderId, to, text: 'Order A-7 has shipped.' },
    ];
    const result = await run({ stateStore, options: { idempotencyKey: '={{ $json.orderId }}-shipped' } }, items);
    expect(smsc.store.list({ to })).toHaveLength(1);
    const out = result.items('Send SMS');
    expect(out.map((o) => [o.status, o.alreadySent ?? false])).toEqual([
      ['accepted', false],
      ['accepted', true],
    ]);
    expect(out[1].messageIds).toEqual(out[0].messageIds);
  });

  it('one item listing the same number twice, in two formats, sends it once', async () => {
    const [to] = phones(65_000_000, 1);
    const result = await run({}, [{ to: `${to}, 00${to.slice(1)}`, text: 'Your code is on its way.' }]);
    expect(result.status).toBe('success');
    expect(smsc.store.list({ to })).toHaveLength(1);
    expect(result.items('Send SMS')).toHaveLength(1);
  });

  it('without a key of its own, every execution sends (the default key is per execution)', async () => {
    const [to] = phones(63_000_000, 1);
    await run({}, [{ to, text: 'Your code is ready' }]);
    await run({}, [{ to, text: 'Your code is ready' }]);
    expect(smsc.store.list({ to })).toHaveLength(2);
  });
});
