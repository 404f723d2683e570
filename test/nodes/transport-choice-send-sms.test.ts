/**
 * Send SMS with Transport = GSM Modem and SMPP with Modem Failover, through n8n's WorkflowExecute:
 * the sandbox SMSC over TCP and the simulated modem behind a real pseudo-terminal.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { logCapture, testCredential } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllModems } from '../../src/registry/modem-registry';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { Status } from '../../src/transport/smpp/command-status';
import { startSimulatedModem } from '../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../src/transport/modem/simulator';
import { startSandbox, waitFor } from '../support/sandbox';
import { credentialTypes, modemCredential, modemTextsTo, nodeTypes, runNode, SEND_SMS, smppCredential } from './transport-choice-fixtures';

const NODE = 'Send SMS';

describe('Send SMS: transport choice (n8n WorkflowExecute, sandbox SMSC over TCP, simulated modem over a pty)', () => {
  let smsc: SandboxSmsc;
  let sim: SimulatedModem;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 20 } });
    sim = await startSimulatedModem({ operatorName: 'Test Net' });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await closeAllModems();
    await smsc.stop();
    await sim.stop();
  });

  const send = (
    transport: string,
    items: IDataObject[],
    options: { parameters?: IDataObject; withSmpp?: boolean; withModem?: boolean; continueOnFail?: boolean } = {},
  ) =>
    runNode({
      type: SEND_SMS,
      name: NODE,
      parameters: { transport, to: '={{ $json.to }}', message: '={{ $json.text }}', ...options.parameters },
      credentials: {
        ...((options.withSmpp ?? transport !== 'modem') ? { smppApi: smppCredential(smsc.port) } : {}),
        ...((options.withModem ?? transport !== 'smpp') ? { gsmModemApi: modemCredential(sim) } : {}),
      },
      inputItems: items,
      continueOnFail: options.continueOnFail,
    });

  describe('GSM Modem', () => {
    it('sends through the modem with only a GSM Modem credential; the phone gets the text', async () => {
      const run = await send('modem', [{ to: '07911 123456', text: 'Your table is ready' }]);
      expect(run.status).toBe('success');
      const [item] = run.items(NODE);
      const [sent] = sim.simulator.sent;
      expect(item).toMatchObject({
        to: '+447911123456',
        from: 'SIM',
        route: 'modem',
        status: 'accepted',
        parts: 1,
        encoding: 'gsm7',
        messageIds: [String(sent.messageReference)],
      });
      expect(modemTextsTo(sim, '+447911123456')).toEqual(['Your table is ready']);
      expect(smsc.store.list()).toHaveLength(0);
    });

    it('sends a long UCS-2 message as parts the phone joins back, and ignores From', async () => {
      const text = 'Внимание! Штормовое предупреждение. '.repeat(4).trim();
      const run = await send('modem', [{ to: '+447911123457', text }], { parameters: { from: 'Not a valid sender ID at all' } });
      expect(run.status).toBe('success');
      const [item] = run.items(NODE);
      expect(item).toMatchObject({ status: 'accepted', encoding: 'ucs2', from: 'SIM' });
      expect(sim.simulator.sent).toHaveLength(item.parts as number);
      expect(sim.simulator.sent.map((s) => s.concat?.seq)).toEqual(sim.simulator.sent.map((_, i) => i + 1));
      expect(modemTextsTo(sim, '+447911123457').join('')).toBe(text);
    });

    it('stops with a clear error, naming the credential, when the device is not there', async () => {
      const run = await runNode({
        type: SEND_SMS,
        name: NODE,
        parameters: { transport: 'modem', to: '+447911123458', message: 'x' },
        credentials: { gsmModemApi: modemCredential({ path: `${sim.path}-missing` }) },
      });
      expect(run.status).toBe('error');
      expect(run.error?.message).toMatch(/^Cannot open the GSM modem: the serial device .*-missing does not exist/);
      expect(run.error?.description).toMatch(/GSM Modem credential/);
    });

    it('stops naming the field when the credential has no device path', async () => {
      const run = await runNode({
        type: SEND_SMS,
        name: NODE,
        parameters: { transport: 'modem', to: '+447911123458', message: 'x' },
        credentials: { gsmModemApi: modemCredential(sim, { devicePath: '' }) },
      });
      expect(run.status).toBe('error');
      expect(run.error?.message).toMatch(/^GSM Modem credential: Device Path is empty/);
    });
  });

  describe('SMPP with Modem Failover', () => {
    it('sends by SMPP while the carrier takes messages and never opens the modem', async () => {
      const run = await send('failover', [{ to: '+447911123460', text: 'via carrier' }]);
      expect(run.status).toBe('success');
      expect(run.items(NODE)[0]).toMatchObject({ route: 'smpp', status: 'accepted', from: 'CITYALERT' });
      expect(run.items(NODE)[0].smppError).toBeUndefined();
      expect(smsc.store.list({ to: '447911123460' })).toHaveLength(1);
      expect(sim.simulator.commands).toEqual([]);
    });

    it('sends by modem what the carrier keeps failing with a temporary error, saying so per item', async () => {
      smsc.setFaults({ failRatio: 1, failStatus: Status.systemError });
      const run = await send('failover', [
        { to: '+447911123461', text: 'first' },
        { to: '+447911123462', text: 'second' },
      ]);
      expect(run.status).toBe('success');
      const items = run.items(NODE);
      expect(items.map((i) => [i.to, i.route, i.status, i.from])).toEqual([
        ['+447911123461', 'modem', 'accepted', 'SIM'],
        ['+447911123462', 'modem', 'accepted', 'SIM'],
      ]);
      expect(String(items[0].smppError)).toMatch(/ESME_RSYSERR/);
      expect(modemTextsTo(sim, '+447911123461')).toEqual(['first']);
      expect(modemTextsTo(sim, '+447911123462')).toEqual(['second']);
      expect(run.outputs(NODE)[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    });

    it('sends everything by modem when the SMPP carrier is down', async () => {
      const port = smsc.port;
      await smsc.stop();
      const run = await runNode({
        type: SEND_SMS,
        name: NODE,
        parameters: { transport: 'failover', to: '+447911123463', message: 'carrier down' },
        credentials: { smppApi: smppCredential(port), gsmModemApi: modemCredential(sim) },
      });
      expect(run.error).toBeUndefined();
      expect(run.status).toBe('success');
      const [item] = run.items(NODE);
      expect(item).toMatchObject({ route: 'modem', status: 'accepted' });
      expect(String(item.smppError)).toMatch(/^Cannot connect to the SMPP carrier: /);
      expect(modemTextsTo(sim, '+447911123463')).toEqual(['carrier down']);
    });

    it('does not fail over a permanent refusal (ESME_RINVDSTADR): the item fails and the modem sends nothing', async () => {
      smsc.setFaults({ failDestinations: ['447911123464'], failStatus: Status.invalidDestination });
      const run = await send(
        'failover',
        [
          { to: '+447911123464', text: 'x' },
          { to: '+447911123465', text: 'y' },
        ],
        { continueOnFail: true },
      );
      const items = run.items(NODE);
      expect(items[0]).toMatchObject({ route: 'smpp', status: 'failed' });
      expect(String(items[0].error)).toMatch(/ESME_RINVDSTADR/);
      expect(items[1]).toMatchObject({ route: 'smpp', status: 'accepted' });
      expect(sim.simulator.sent).toHaveLength(0);
    });

    it("waits for receipts on the route that sent each message: the carrier's and the modem's status report", async () => {
      smsc.setFaults({ failDestinations: ['447911123470'], failStatus: Status.systemError });
      const running = send(
        'failover',
        [
          { to: '+447911123469', text: 'by carrier' },
          { to: '+447911123470', text: 'by modem' },
        ],
        {
          parameters: { waitForReceipt: true, receiptTimeoutSeconds: 10, options: { requestReceipt: true } },
        },
      );
      await waitFor(() => sim.simulator.sent.length === 1, 'the modem send');
      const [bySim] = sim.simulator.sent;
      expect(bySim.submit.statusReport).toBe(true);
      sim.simulator.receiveStatusReport({ messageReference: bySim.messageReference, recipient: '+447911123470' });
      const run = await running;
      expect(run.error).toBeUndefined();
      const [bySmpp, byModem] = run.items(NODE);
      expect(bySmpp).toMatchObject({ route: 'smpp', delivery: { status: 'DELIVRD' } });
      expect(byModem).toMatchObject({
        route: 'modem',
        delivery: { status: 'DELIVRD', parts: [{ messageId: String(bySim.messageReference), status: 'DELIVRD' }] },
      });
    });

    it('a modem-sent message whose report says it failed, and one with no report, are reported as such', async () => {
      const running = send(
        'modem',
        [
          { to: '+447911123471', text: 'expires' },
          { to: '+447911123472', text: 'no report comes' },
        ],
        {
          parameters: { waitForReceipt: true, receiptTimeoutSeconds: 2 },
        },
      );
      await waitFor(() => sim.simulator.sent.length === 2, 'both modem sends');
      const first = sim.simulator.sent.find((s) => s.submit.destination.address.endsWith('7911123471'))!;
      sim.simulator.receiveStatusReport({ messageReference: first.messageReference, recipient: '+447911123471', status: 0x46 });
      const run = await running;
      expect(run.error).toBeUndefined();
      const [expired, silent] = run.items(NODE);
      expect(expired).toMatchObject({ route: 'modem', delivery: { status: 'EXPIRED', parts: [{ error: '070 validity period expired' }] } });
      expect(silent).toMatchObject({ route: 'modem', delivery: { status: 'UNKNOWN', at: null } });
    });

    it('a modem that does not forward status reports: the delivery says so instead of waiting', async () => {
      await sim.stop();
      sim = await startSimulatedModem({ overrides: { cnmi: { mode: [0, 1, 2], mt: [0, 1, 2, 3], bm: [0, 2], ds: [0], bfr: [0, 1] } } });
      const started = Date.now();
      const run = await send('modem', [{ to: '+447911123473', text: 'x' }], { parameters: { waitForReceipt: true, receiptTimeoutSeconds: 30 } });
      expect(run.error).toBeUndefined();
      expect(run.items(NODE)[0]).toMatchObject({ delivery: { status: 'UNKNOWN', note: expect.stringMatching(/does not forward status reports/) } });
      expect(Date.now() - started).toBeLessThan(20_000);
    });

    it('without continueOnFail, a message that failed on both routes stops the node with both errors', async () => {
      smsc.setFaults({ failRatio: 1, failStatus: Status.systemError });
      sim.simulator.failNextSend(21);
      const run = await send('failover', [{ to: '+447911123466', text: 'x' }]);
      expect(run.status).toBe('error');
      expect(run.error?.message).toMatch(/^SMS to \+447911123466 failed: SMPP: .*ESME_RSYSERR.*; modem: .*short message transfer rejected/);
    });
  });

  describe('credentials per transport', () => {
    const shownCredentials = (transport: string): string[] => {
      const description = nodeTypes[SEND_SMS].description;
      const node: INode = { id: '1', name: NODE, type: SEND_SMS, typeVersion: 1, position: [0, 0], parameters: { transport } };
      node.parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description) ?? {};
      return (description.credentials ?? []).filter((c) => NodeHelpers.displayParameter(node.parameters, c, node, description)).map((c) => c.name);
    };

    it('asks for the SMPP credential, the modem credential, or both, as n8n decides it from displayOptions', () => {
      expect(shownCredentials('smpp')).toEqual(['smppApi']);
      expect(shownCredentials('modem')).toEqual(['gsmModemApi']);
      expect(shownCredentials('failover')).toEqual(['smppApi', 'gsmModemApi']);
      expect(nodeTypes[SEND_SMS].description.credentials?.map((c) => [c.name, c.required, c.testedBy])).toEqual([
        ['smppApi', true, 'smppApiTest'],
        ['gsmModemApi', true, 'gsmModemApiTest'],
        ['smsGatewayRedisApi', true, 'smsGatewayRedisApiTest'],
      ]);
    });

    it('a failover node without a GSM Modem credential selected stops and says which credential is missing', async () => {
      const run = await send('failover', [{ to: '+447911123467', text: 'x' }], { withModem: false });
      expect(run.status).toBe('error');
      expect(run.error?.message).toBe('No GSM Modem credential selected');
      expect(smsc.store.list()).toHaveLength(0);
    });

    it('credential test of the GSM Modem credential: the right device, a missing one, an empty path', async () => {
      const ok = await testCredential({ nodeTypes, credentialType: 'gsmModemApi', data: modemCredential(sim), credentialTypes });
      expect(ok).toEqual({
        status: 'OK',
        message: expect.stringMatching(/^n8n-nodes-sms-gateway GSM modem simulator \(firmware 1\.0\): SIM ready, registered on Test Net/),
      });
      const missing = await testCredential({ nodeTypes, credentialType: 'gsmModemApi', data: modemCredential({ path: `${sim.path}-gone` }), credentialTypes });
      expect(missing).toEqual({ status: 'Error', message: expect.stringMatching(/^the serial device .*-gone does not exist: is the modem plugged in\?/) });
      const empty = await testCredential({ nodeTypes, credentialType: 'gsmModemApi', data: modemCredential(sim, { devicePath: '' }), credentialTypes });
      expect(empty).toEqual({ status: 'Error', message: expect.stringMatching(/^Device Path is empty/) });
    });

    it('never logs the SIM PIN', async () => {
      await sim.stop();
      sim = await startSimulatedModem({ pin: '4821' });
      const run = await runNode({
        type: SEND_SMS,
        name: NODE,
        parameters: { transport: 'modem', to: '+447911123468', message: 'pin test' },
        credentials: { gsmModemApi: modemCredential(sim, { pin: '4821' }) },
      });
      expect(run.status).toBe('success');
      expect(modemTextsTo(sim, '+447911123468')).toEqual(['pin test']);
      expect(logCapture.text()).not.toContain('4821');
      expect(JSON.stringify(run.items(NODE))).not.toContain('4821');
    });
  });
});
