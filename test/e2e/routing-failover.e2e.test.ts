// examples/carrier-failover-routing.json in a real n8n: recipients routed by country prefix to two
// carriers (two sandbox SMSCs, one account each), definite failures (retryElsewhere) failed over
// to the other carrier and then to a GSM modem (the simulator behind a real pty), and one
// Broadcast ID keeping "nobody twice" across the routes and across a second run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { Status } from '../../src/transport/smpp/command-status';
import { startSimulatedModem } from '../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../src/transport/modem/simulator';
import { createCredential, createPublishedWorkflow, executionRunData, postJson, waitForFinishedExecutions } from './support/n8n-resources';
import type { CredentialRef, WorkflowDefinition } from './support/n8n-resources';
import { N8nUnderTest } from './support/n8n-under-test';
import { nodeOutput } from './support/run-data';
import { receivedPerDestination, smppCredentialData, startE2eSandbox } from './support/sms-sandbox';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'carrier-failover-routing.json');
const CARRIER_A = { systemId: 'carriera', password: 'pw-a-123' };
const CARRIER_B = { systemId: 'carrierb', password: 'pw-b-123' };
const note = (line: string): void => {
  process.stderr.write(`[e2e routing-failover] ${line}\n`);
};

// UK numbers go by carrier A, German ones by carrier B.
const UK_OK = '+447911200001';
const UK_REFUSED_BY_A = '+447911200002';
const UK_REFUSED_BY_BOTH = '+447911200003';
const DE_OK = '+4915112340001';
const DE_REFUSED_BY_B = '+4915112340002';
const digits = (e164: string): string => e164.slice(1);

describe('example: route by country, fail over definite failures to the other carrier and a modem', () => {
  let n8n: N8nUnderTest | undefined;
  let carrierA: SandboxSmsc;
  let carrierB: SandboxSmsc;
  let modem: SimulatedModem;
  let workflowId = '';

  beforeAll(
    async () => {
      carrierA = await startE2eSandbox([CARRIER_A]);
      carrierB = await startE2eSandbox([CARRIER_B]);
      carrierA.setFaults({ failDestinations: [digits(UK_REFUSED_BY_A), digits(UK_REFUSED_BY_BOTH)], failStatus: Status.invalidDestination });
      carrierB.setFaults({ failDestinations: [digits(DE_REFUSED_BY_B), digits(UK_REFUSED_BY_BOTH)], failStatus: Status.invalidDestination });
      modem = await startSimulatedModem();
      n8n = await N8nUnderTest.start({ label: 'routing-failover', mode: 'regular', note });
      const { client } = n8n;
      await n8n.guard(async () => {
        const a = await createCredential(client, 'Carrier A', 'smppApi', smppCredentialData(carrierA, CARRIER_A));
        const b = await createCredential(client, 'Carrier B', 'smppApi', smppCredentialData(carrierB, CARRIER_B));
        const gsm = await createCredential(client, 'Simulated modem', 'gsmModemApi', { devicePath: modem.path, baudRate: 115200, defaultCountry: 'GB' });
        // The example's credential ids, as npm start's demo and a user's instance would have them.
        const byId: Record<string, CredentialRef> = { smsDemoSandbox01: a, smsRouteCarrierB: b, smsRouteModem001: gsm };
        const workflow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as WorkflowDefinition;
        for (const node of workflow.nodes) {
          for (const [type, ref] of Object.entries(node.credentials ?? {})) {
            const given = byId[ref.id];
            if (!given) throw new Error(`the example's node "${node.name}" names credential ${ref.id}, which this test does not provide`);
            node.credentials![type] = { id: given.id, name: given.name };
          }
        }
        workflowId = await createPublishedWorkflow(client, workflow);
      })();
    },
    5 * 60 * 1000,
  );

  afterAll(
    async () => {
      await n8n?.shutdown();
      await carrierA?.stop();
      await carrierB?.stop();
      await modem?.stop();
    },
    2 * 60 * 1000,
  );

  const running = (): N8nUnderTest => {
    if (!n8n) throw new Error('n8n did not start (see the beforeAll error)');
    return n8n;
  };
  const modemCounts = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const sent of modem.simulator.sent) {
      const to = sent.submit.destination.address.replace(/^\+/, '');
      counts.set(to, (counts.get(to) ?? 0) + 1);
    }
    return counts;
  };

  test('each number goes once, by the route its country and the failures decide; a second run sends nobody', async () => {
    await running().guard(async () => {
      const body = {
        text: 'Storm warning: stay indoors until 18:00.',
        broadcastId: 'e2e-route-failover-1',
        recipients: [UK_OK, UK_REFUSED_BY_A, UK_REFUSED_BY_BOTH, DE_OK, DE_REFUSED_BY_B].map((to) => ({ to })),
      };
      const answer = await postJson(running().main.url, 'sms-route-failover', body);
      expect(answer.status).toBe(200);
      const [execution] = await waitForFinishedExecutions(running().client, workflowId, 1, { timeoutMs: 90_000 });
      expect(execution.status).toBe('success');

      expect(Object.fromEntries(receivedPerDestination(carrierA))).toEqual({ [digits(UK_OK)]: 1, [digits(DE_REFUSED_BY_B)]: 1 });
      expect(Object.fromEntries(receivedPerDestination(carrierB))).toEqual({ [digits(DE_OK)]: 1, [digits(UK_REFUSED_BY_A)]: 1 });
      expect(Object.fromEntries(modemCounts())).toEqual({ [digits(UK_REFUSED_BY_BOTH)]: 1 });

      const runData = await executionRunData(running().client, execution.id);
      // What carrier A refused left by its error output saying another route may send it.
      const failedAtA = nodeOutput(runData, 'Carrier A Failed: Retry Elsewhere?');
      expect(failedAtA.map((item) => [item.to, (item.details as Record<string, unknown>).retryElsewhere]).sort()).toEqual([
        [UK_REFUSED_BY_A, true],
        [UK_REFUSED_BY_BOTH, true],
      ]);

      // The same broadcast again: every number was accepted on some route, so nobody gets it twice.
      const again = await postJson(running().main.url, 'sms-route-failover', body);
      expect(again.status).toBe(200);
      const [second] = await waitForFinishedExecutions(running().client, workflowId, 2, { timeoutMs: 90_000 });
      expect(second.status).toBe('success');
      expect(carrierA.store.list({ direction: 'mt' })).toHaveLength(2);
      expect(carrierB.store.list({ direction: 'mt' })).toHaveLength(2);
      expect(modem.simulator.sent).toHaveLength(1);
    })();
  });
});
