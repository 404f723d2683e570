import * as fs from 'fs';
import * as path from 'path';
import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef } from '../support/node-types';

/**
 * The same alert posted twice (a double click, a webhook client's retry, n8n's "Retry
 * execution": each a new execution) with no Broadcast ID: each phone gets one copy. The ID comes
 * from the alert itself (CAP: identifier and sender; text: credential, sender, text, recipients),
 * within a dedupe window; "Send Again" sends once more on purpose.
 */
const BROADCAST = 'n8n-nodes-sms-gateway.bulkAlertBroadcast';
const capXml = fs.readFileSync(path.join(__dirname, '../fixtures/cap/flood-extreme.xml'), 'utf8');
const numbers = (first: number, count: number): string[] => Array.from({ length: count }, (_, i) => `+4479${String(first + i).padStart(8, '0')}`);

describe('Bulk Alert Broadcast: the same alert twice sends each phone one copy', () => {
  let smsc: SandboxSmsc;
  beforeAll(async () => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    smsc = await startSandbox();
  });
  afterAll(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });
  beforeEach(() => smsc.store.clear());

  const run = (parameters: IDataObject, list: string[]) =>
    runWorkflow({
      nodes: [
        {
          name: 'Broadcast',
          type: BROADCAST,
          parameters: { recipientSource: 'list', recipientList: list.join('\n'), messageSource: 'text', broadcastId: '', ...parameters },
          credentials: smppCredentialRef,
        },
      ],
      connections: chain('Start', 'Broadcast'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, { windowSize: 20 }) },
      credentialTypes,
      inputItems: [{}],
    }).then((result) => {
      if (result.status !== 'success') throw new Error(`the broadcast failed: ${result.error?.message}`);
      return result.items('Broadcast')[0];
    });
  const copies = (): { unique: number; extra: number } => ({ unique: smsc.store.uniqueDestinations(), extra: smsc.store.duplicates().extraCopies });

  it('a text alert posted twice: the second run sends nothing and answers with the summary, naming the ID and how to send again', async () => {
    const list = numbers(50_000_000, 200);
    const message = `Boil water notice ${Date.now()}: tap water is unsafe until further notice.`;
    const first = await run({ message }, list);
    expect(first).toMatchObject({ accepted: 200, skippedAlreadySent: 0, broadcastId: expect.stringMatching(/^alert:[0-9a-f]{20}$/), idFrom: 'message' });
    const second = await run({ message }, list);
    expect(second).toMatchObject({ accepted: 0, skippedAlreadySent: 200, broadcastId: first.broadcastId });
    expect(second.howToSendAgain).toMatch(/within 24 h .* sends nothing.*"Send Again"/);
    expect(copies()).toEqual({ unique: 200, extra: 0 });
  });

  it('a CAP alert is the same alert by its identifier and sender, whatever the list: only numbers that have not had it get it', async () => {
    const first = await run({ messageSource: 'cap', capXml }, numbers(51_000_000, 100));
    expect(first).toMatchObject({ accepted: 100, broadcastId: 'cap:emergency@city.example:CITY-2026-11-26-0001', idFrom: 'cap' });
    // Posted again, with 50 more numbers on the list.
    const second = await run({ messageSource: 'cap', capXml }, numbers(51_000_000, 150));
    expect(second).toMatchObject({ accepted: 50, skippedAlreadySent: 100, broadcastId: first.broadcastId });
    expect(copies()).toEqual({ unique: 150, extra: 0 });
  });

  it('a different text, or another recipient list, is another alert', async () => {
    const list = numbers(52_000_000, 10);
    const stamp = Date.now();
    await run({ message: `Road closed ${stamp}` }, list);
    expect((await run({ message: `Road reopened ${stamp}` }, list)).accepted).toBe(10);
    expect((await run({ message: `Road closed ${stamp}` }, numbers(52_000_100, 10))).accepted).toBe(10);
  });

  it('"Send Again" sends to everyone once more, on purpose, under the next generation of the ID', async () => {
    const list = numbers(53_000_000, 20);
    const message = `Shelter in place ${Date.now()}`;
    const first = await run({ message }, list);
    const again = await run({ message, options: { sendAgain: true } }, list);
    expect(again).toMatchObject({ accepted: 20, skippedAlreadySent: 0, broadcastId: `${String(first.broadcastId)}#2` });
    expect(copies()).toEqual({ unique: 20, extra: 20 });
    // And a plain re-post after that dedupes against the newest send.
    expect(await run({ message }, list)).toMatchObject({ accepted: 0, skippedAlreadySent: 20, broadcastId: again.broadcastId });
  });

  it('after the dedupe window the same alert is a new one', async () => {
    const list = numbers(54_000_000, 5);
    const message = `All clear ${Date.now()}`;
    const options = { dedupeWindowHours: 0.0003 }; // about 1 s
    expect((await run({ message, options }, list)).accepted).toBe(5);
    expect((await run({ message, options }, list)).accepted).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect((await run({ message, options }, list)).accepted).toBe(5);
  });

  it('an explicit Broadcast ID is the identity: no window, the same ID resumes', async () => {
    const list = numbers(55_000_000, 5);
    const broadcastId = `explicit-${Date.now()}`;
    const options = { dedupeWindowHours: 0.0003 };
    expect(await run({ message: 'Test of the alert system', broadcastId, options }, list)).toMatchObject({ accepted: 5, broadcastId, idFrom: 'parameter' });
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(await run({ message: 'Test of the alert system', broadcastId, options }, list)).toMatchObject({ accepted: 0, skippedAlreadySent: 5 });
  });
});
