// SMPP server mode in queue mode (main + 2 workers, Redis): an application on the `smpp` library
// binds to the SMS Trigger's server and submits 100 messages asking for receipts; the workflow
// forwards each with Send SMS (on a worker) to the sandbox carrier, which delivers 90 and fails 10.
// The application gets 100 receipts for its own message ids, with the right states, on its own
// bind, also those that came while it was reconnecting.
import { randomBytes } from 'node:crypto';
import type * as smpp from 'smpp';
import { freePort } from '../../scripts/n8n/instance';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { receiptKeyPrefix } from '../../src/dlr/carrier-receipts';
import { connectLibraryClient } from '../inbound/support/smpp-library-client';
import type { LibraryClient } from '../inbound/support/smpp-library-client';
import { createCredential, createPublishedWorkflow, waitForFinishedExecutions, workflowFixture } from './support/n8n-resources';
import { N8nUnderTest } from './support/n8n-under-test';
import { deleteRedisKeys } from './support/redis-keys';
import { eventually, smppCredentialData, startE2eSandbox, ukMobiles } from './support/sms-sandbox';

const CARRIER = { systemId: 'e2esrvc', password: 'pw-srvc1' };
const APPLICATION = { systemId: 'e2eapp', password: 'pw-app1' };
const REDIS_PREFIX = `sms-e2e-${randomBytes(6).toString('hex')}:`;
const note = (line: string): void => {
  process.stderr.write(`[e2e server-receipts] ${line}\n`);
};

interface Application {
  client: LibraryClient;
  receipts: smpp.PDU[];
}

async function bindApplication(port: number): Promise<Application> {
  const client = await connectLibraryClient(port);
  const receipts: smpp.PDU[] = [];
  client.session.on('deliver_sm', (pdu: smpp.PDU) => {
    receipts.push(pdu);
    client.session.send(pdu.response());
  });
  const status = await client.bind('transceiver', APPLICATION.systemId, APPLICATION.password);
  if (status !== 0) throw new Error(`the application's bind was refused (command_status ${status})`);
  return { client, receipts };
}

describe('SMPP server mode: receipts back to the application, through a queue-mode n8n', () => {
  let n8n: N8nUnderTest | undefined;
  let smsc: SandboxSmsc;
  let serverPort = 0;
  let workflowId = '';
  const phones = ukMobiles(100, 220_000);
  const failing = new Set(phones.filter((_, i) => i % 10 === 3)); // 10 numbers the carrier cannot deliver to

  beforeAll(
    async () => {
      smsc = await startE2eSandbox([CARRIER]);
      // Receipts come 1.5 s after the submit: most arrive while the application is reconnecting.
      smsc.options.receipt = { outcome: 'DELIVRD', delayMs: 1500, undeliveredTo: [...failing].map((p) => p.slice(1)) };
      serverPort = await freePort();
      n8n = await N8nUnderTest.start({ label: 'server-receipts', mode: 'queue', workers: 2, concurrency: 5, note });
      await n8n.guard(async () => {
        const { client } = n8n!;
        const carrier = await createCredential(
          client,
          'SMPP sandbox',
          'smppApi',
          smppCredentialData(smsc, CARRIER, { useRedis: true, redisHost: '127.0.0.1', redisPort: 6379 }),
        );
        const server = await createCredential(client, 'SMPP server account', 'smppServerApi', APPLICATION);
        const redis = await createCredential(client, 'Redis', 'smsGatewayRedisApi', { host: '127.0.0.1', port: 6379, keyPrefix: REDIS_PREFIX });
        workflowId = await createPublishedWorkflow(
          client,
          workflowFixture('server-forward.workflow.json', {
            credentials: [carrier, server, redis],
            parameters: {
              'SMS Trigger': { port: serverPort, stateStore: 'redis', options: { acknowledge: 'emitted' } },
              'Send SMS': { stateStore: 'redis' },
            },
          }),
        );
      })();
    },
    6 * 60 * 1000,
  );

  afterAll(
    async () => {
      await n8n?.shutdown();
      await smsc?.stop();
      await deleteRedisKeys(REDIS_PREFIX);
      if (smsc) await deleteRedisKeys(receiptKeyPrefix({ host: '127.0.0.1', port: smsc.port }));
    },
    2 * 60 * 1000,
  );

  test(
    "100 submits with registered_delivery=1: 100 receipts with the application's own ids and states, across a reconnect",
    async () => {
      if (!n8n) throw new Error('n8n did not start (see the beforeAll error)');
      await n8n.guard(async () => {
        let first: Application | undefined;
        const bindDeadline = Date.now() + 60_000;
        while (!first) {
          try {
            first = await bindApplication(serverPort);
          } catch (error) {
            // The trigger's port goes live a moment after the workflow is published.
            if (Date.now() > bindDeadline) throw error;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
        const submitAll = (batch: string[], offset: number): Promise<smpp.PDU[]> =>
          Promise.all(
            batch.map((phone, i) =>
              first!.client.submit({
                source_addr: 'SHOPAPP',
                destination_addr: phone.slice(1),
                destination_addr_ton: 1,
                destination_addr_npi: 1,
                short_message: `Order ${offset + i} has shipped`,
                registered_delivery: 1,
              }),
            ),
          );
        // The first half: the application stays bound and gets their receipts there.
        const firstHalf = await submitAll(phones.slice(0, 50), 0);
        await eventually(() => first!.receipts.length >= 50, 'the receipts of the first 50 on the first connection', 120_000);
        const secondHalf = await submitAll(phones.slice(50), 50);
        const answers = [...firstHalf, ...secondHalf];
        expect(answers.map((a) => a.command_status)).toEqual(Array(100).fill(0));
        const idOf = new Map(answers.map((a, i) => [String(a.message_id), phones[i]]));
        expect(idOf.size).toBe(100);

        // Then it drops its connection at once and comes back two seconds later.
        await first.client.close();
        const beforeReconnect = first.receipts.length;
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const second = await bindApplication(serverPort);
        try {
          const all = (): smpp.PDU[] => [...first!.receipts, ...second.receipts];
          await eventually(
            () => new Set(all().map((r) => String(r.receipted_message_id))).size >= 100,
            "100 distinct receipts on the application's binds",
            120_000,
          );
          const receipts = all();
          note(`receipts: ${beforeReconnect} before the reconnect, ${second.receipts.length} after it, ${receipts.length - 100} sent twice`);
          expect(second.receipts.length).toBeGreaterThan(0);
          const stateOf = new Map(receipts.map((r) => [String(r.receipted_message_id), Number(r.message_state)]));
          expect(new Set(stateOf.keys())).toEqual(new Set(idOf.keys()));
          for (const [id, phone] of idOf) expect([phone, stateOf.get(id)]).toEqual([phone, failing.has(phone) ? 5 : 2]);
          for (const r of receipts) {
            expect(Number(r.esm_class) & 0x3c).toBe(0x04);
            expect(r.destination_addr).toBe('SHOPAPP');
            const text = Buffer.isBuffer(r.short_message)
              ? r.short_message.toString('latin1')
              : String((r.short_message as { message?: string }).message ?? r.short_message);
            expect(text).toMatch(
              new RegExp(
                `^id:${String(r.receipted_message_id)} sub:001 dlvrd:00[01] submit date:\\d{10} done date:\\d{10} stat:(DELIVRD|UNDELIV) err:\\d{3} text:$`,
              ),
            );
          }
          const executions = await waitForFinishedExecutions(n8n!.client, workflowId, 100, { timeoutMs: 60_000 });
          expect(executions.filter((e) => e.status !== 'success')).toEqual([]);
          expect(new Set(executions.map((e) => n8n!.workerThatStarted(e.id)?.pid)).size).toBe(2);
        } finally {
          await second.client.close();
        }
      })();
    },
    5 * 60 * 1000,
  );
});
