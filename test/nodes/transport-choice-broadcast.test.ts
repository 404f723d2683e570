/**
 * Bulk Alert Broadcast with Transport = GSM Modem and SMPP with Modem Failover, through n8n's
 * WorkflowExecute: the sandbox SMSC over TCP and the simulated modem behind a real pseudo-terminal.
 */
import type { IDataObject } from 'n8n-workflow';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllModems } from '../../src/registry/modem-registry';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { Status } from '../../src/transport/smpp/command-status';
import { startSimulatedModem } from '../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../src/transport/modem/simulator';
import { startSandbox, waitFor } from '../support/sandbox';
import { BROADCAST, modemCredential, modemTextsTo, runNode, smppCredential } from './transport-choice-fixtures';

const NODE = 'Broadcast';
const ALERT = 'Boil water notice: tap water is unsafe until further notice.';
const LONG_ALERT = 'Flood warning: the river will overtop the east bank tonight. Move cars off Quay Street and Mill Lane, keep away from the water. '
  .repeat(2)
  .trim();
const number = (i: number): string => `+4479110${String(i).padStart(5, '0')}`;
const digits = (e164: string): string => e164.slice(1);

describe('Bulk Alert Broadcast: transport choice (n8n WorkflowExecute, sandbox SMSC over TCP, simulated modem over a pty)', () => {
  let smsc: SandboxSmsc;
  let sim: SimulatedModem;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 20 } });
    sim = await startSimulatedModem();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await closeAllModems();
    await smsc.stop();
    await sim.stop();
  });

  const broadcast = (transport: string, phones: string[], parameters: IDataObject = {}, smppPort = smsc.port) =>
    runNode({
      type: BROADCAST,
      name: NODE,
      parameters: {
        transport,
        recipientSource: 'items',
        recipientField: 'phone',
        messageSource: 'text',
        message: ALERT,
        output: 'perRecipient',
        broadcastId: `tc-${transport}-${Date.now()}-${Math.random()}`,
        ...parameters,
      },
      credentials: {
        ...(transport !== 'modem' ? { smppApi: smppCredential(smppPort) } : {}),
        ...(transport !== 'smpp' ? { gsmModemApi: modemCredential(sim) } : {}),
      },
      inputItems: phones.map((phone) => ({ phone })),
    });

  const split = (items: IDataObject[]) => ({
    summary: items.find((i) => i.type === 'summary') as IDataObject,
    recipients: items.filter((i) => i.type === 'recipient'),
  });

  it('sends 20 recipients (plus a duplicate and an invalid number) through the modem, each phone once', async () => {
    const phones = Array.from({ length: 20 }, (_, i) => number(i));
    const run = await broadcast('modem', [...phones, phones[3], 'not-a-number'], { from: 'IGNORED-SENDER-THAT-IS-TOO-LONG' });
    expect(run.error).toBeUndefined();
    const { summary, recipients } = split(run.items(NODE));
    expect(summary).toMatchObject({ total: 22, accepted: 20, failed: 0, invalid: 1, duplicatesRemoved: 1, parts: 20, routes: { smpp: 0, modem: 20 } });
    const accepted = recipients.filter((r) => r.status === 'accepted');
    expect(accepted).toHaveLength(20);
    expect(accepted.every((r) => r.route === 'modem' && r.from === 'SIM')).toBe(true);
    const sent = sim.simulator.sent;
    expect(sent).toHaveLength(20);
    expect(new Set(sent.map((s) => s.submit.destination.address.replace(/^\+/, ''))).size).toBe(20);
    for (const phone of phones) expect(modemTextsTo(sim, phone)).toEqual([ALERT]);
    expect(smsc.store.list()).toHaveLength(0);
  });

  it('failover: long messages the carrier fails with a temporary error go whole by modem, a permanent refusal stays failed', async () => {
    const phones = Array.from({ length: 8 }, (_, i) => number(100 + i));
    const moved = [phones[1], phones[4], phones[6]];
    const refused = phones[7];
    // One status for all listed numbers, so the refused one is tried alone afterwards.
    smsc.setFaults({ failDestinations: moved.map(digits), failStatus: Status.systemError });
    const run = await broadcast('failover', phones.slice(0, 7), { message: LONG_ALERT });
    expect(run.error).toBeUndefined();
    const { summary, recipients } = split(run.items(NODE));
    expect(summary).toMatchObject({ accepted: 7, failed: 0, routes: { smpp: 4, modem: 3 } });
    expect(
      recipients
        .filter((r) => r.route === 'modem')
        .map((r) => r.to)
        .sort(),
    ).toEqual([...moved].sort());
    expect(recipients.filter((r) => r.route === 'modem').every((r) => r.from === 'SIM')).toBe(true);
    expect(recipients.filter((r) => r.route === 'smpp').every((r) => r.from === 'CITYALERT')).toBe(true);
    for (const phone of moved) {
      expect(modemTextsTo(sim, phone).join('')).toBe(LONG_ALERT);
      expect(smsc.store.list({ to: digits(phone) })).toHaveLength(0);
    }
    for (const phone of phones.slice(0, 7).filter((p) => !moved.includes(p))) expect(smsc.store.list({ to: digits(phone) })).toHaveLength(2);

    smsc.setFaults({ failDestinations: [digits(refused)], failStatus: Status.invalidDestination });
    const again = await broadcast('failover', [refused]);
    const result = split(again.items(NODE));
    expect(result.summary).toMatchObject({ accepted: 0, failed: 1, routes: { smpp: 1, modem: 0 } });
    expect(result.recipients[0]).toMatchObject({ status: 'failed', route: 'smpp' });
    expect(String(result.recipients[0].error)).toMatch(/ESME_RINVDSTADR/);
    expect(modemTextsTo(sim, refused)).toEqual([]);
  });

  it('failover: with the carrier down, the whole broadcast goes by modem', async () => {
    const port = smsc.port;
    await smsc.stop();
    const phones = Array.from({ length: 5 }, (_, i) => number(200 + i));
    const run = await broadcast('failover', phones, { output: 'summary' }, port);
    expect(run.error).toBeUndefined();
    const [summary] = run.items(NODE);
    expect(summary).toMatchObject({ type: 'summary', accepted: 5, failed: 0, routes: { smpp: 0, modem: 5 } });
    for (const phone of phones) expect(modemTextsTo(sim, phone)).toEqual([ALERT]);
  });

  it("failover with receipts: counted per route, the modem's from its status reports", async () => {
    const phones = Array.from({ length: 6 }, (_, i) => number(400 + i));
    smsc.setFaults({ failDestinations: [digits(phones[2])], failStatus: Status.systemError });
    const running = broadcast('failover', phones, { output: 'summary', waitForReceipts: true, receiptWaitMinutes: 1 });
    await waitFor(() => sim.simulator.sent.length === 1, 'the modem send');
    const [bySim] = sim.simulator.sent;
    expect(bySim.submit.statusReport).toBe(true);
    sim.simulator.receiveStatusReport({ messageReference: bySim.messageReference, recipient: phones[2], status: 0x41 });
    const run = await running;
    expect(run.error).toBeUndefined();
    const [summary] = run.items(NODE);
    expect(summary).toMatchObject({ accepted: 6, routes: { smpp: 5, modem: 1 }, delivery: { delivered: 5, undelivered: 1, unknown: 0 } });
    expect((summary.delivery as IDataObject).notTracked).toBeUndefined();
  });

  it('SMPP only: the output has no route fields, as before', async () => {
    const run = await broadcast('smpp', [number(300)]);
    const { summary, recipients } = split(run.items(NODE));
    expect(summary.accepted).toBe(1);
    expect(summary.routes).toBeUndefined();
    expect(recipients[0].route).toBeUndefined();
    expect(sim.simulator.commands).toEqual([]);
  });
});
