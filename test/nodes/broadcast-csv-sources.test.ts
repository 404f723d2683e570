import type { IDataObject } from 'n8n-workflow';
import { chain, runWorkflow } from '../harness/n8n-harness';
import { TEXT_TO_BINARY_TYPE, TextToBinaryNode } from '../harness/example-nodes';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential, smppCredentialRef, textBroadcastNode } from '../support/node-types';

const number = (i: number): string => `+4479${String(i).padStart(8, '0')}`;

/**
 * A hostile CSV: BOM, CRLF, a header, quoted names with commas and doubled quotes, a quoted note
 * with a line break, empty lines, 1% numbers that are not numbers, 1% duplicates written another
 * way (national format, spaces). `rows` data rows: rows * 0.98 unique valid numbers.
 */
function hostileCsv(rows: number): { csv: string; unique: number; invalid: number; duplicates: number } {
  const lines = ['\uFEFF"name","phone","note"'];
  let invalid = 0;
  let duplicates = 0;
  let unique = 0;
  for (let i = 0; i < rows; i++) {
    const name = `"Smith, ""J${i}"", Jr."`;
    if (i % 100 === 7) {
      lines.push(`${name},"not, a number ${i}",x`);
      invalid++;
    } else if (i % 100 === 42) {
      const dup = number(i - 1).slice(3); // the row before's number, nationally: 079...
      lines.push(`${name},"0${dup.slice(0, 4)} ${dup.slice(4)}","dup"`);
      duplicates++;
    } else {
      lines.push(`${name},${number(i)},"line one\r\nline two, with a comma"`);
      unique++;
    }
    if (i % 250 === 0) lines.push('');
  }
  return { csv: `${lines.join('\r\n')}\r\n`, unique, invalid, duplicates };
}

describe('Bulk Alert Broadcast: CSV text and CSV files (sandbox over TCP)', () => {
  let smsc: SandboxSmsc;
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

  const run = (parameters: IDataObject, inputItems: IDataObject[], withFile: boolean) =>
    runWorkflow({
      nodes: [...(withFile ? [{ name: 'To File', type: TEXT_TO_BINARY_TYPE, parameters: {} }] : []), textBroadcastNode(parameters, smppCredentialRef)],
      connections: withFile ? chain('Start', 'To File', 'Broadcast') : chain('Start', 'Broadcast'),
      nodeTypes: { ...nodeTypes, [TEXT_TO_BINARY_TYPE]: new TextToBinaryNode() },
      credentials: { smppApi: smppCredential(smsc, { windowSize: 50 }) },
      credentialTypes,
      inputItems,
    });

  it('List or CSV Text: quoted commas, CRLF, BOM, empty lines, 1% invalid, 1% duplicates: exact counts', async () => {
    const { csv, unique, invalid, duplicates } = hostileCsv(1000);
    const result = await run({ recipientSource: 'list', recipientList: csv, broadcastId: `csv-text-${Date.now()}` }, [{}], false);
    expect(result.error?.message).toBeUndefined();
    expect(result.items('Broadcast')[0]).toMatchObject({ total: 1000, accepted: unique, invalid, duplicatesRemoved: duplicates, failed: 0 });
    expect(smsc.store.uniqueDestinations()).toBe(unique);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
  });

  it('CSV file: 20,000 hostile rows streamed from binary data, exact counts, invalid rows named by row; a re-run with the same ID sends nothing', async () => {
    const { csv, unique, invalid, duplicates } = hostileCsv(20_000);
    const broadcastId = `csv-file-${Date.now()}`;
    const params = { recipientSource: 'file', binaryPropertyName: 'data', csvPhoneColumn: 'Phone', broadcastId };
    const result = await run(params, [{ text: csv }], true);
    expect(result.error?.message).toBeUndefined();
    const [summary] = result.items('Broadcast');
    expect(summary).toMatchObject({ total: 20_000, accepted: unique, invalid, duplicatesRemoved: duplicates, failed: 0, parts: unique });
    expect(smsc.store.uniqueDestinations()).toBe(unique);
    expect(smsc.store.duplicates().extraCopies).toBe(0);
    // Row 1 is the header; data row i is row i + 2, plus the empty lines (not rows).
    expect((summary.problems as IDataObject[])[0]).toMatchObject({ to: 'not, a number 7', status: 'invalid', row: 9 });

    const again = await run(params, [{ text: csv }], true);
    expect(again.items('Broadcast')[0]).toMatchObject({ total: 20_000, accepted: 0, skippedAlreadySent: unique, invalid, duplicatesRemoved: duplicates });
    expect(smsc.store.duplicates().extraCopies).toBe(0);
  });

  it('CSV file without a Broadcast ID: the same file posted again sends nothing', async () => {
    const csv = `phone\n${number(1)}\n${number(2)}\n`;
    const first = await run({ recipientSource: 'file' }, [{ text: csv }], true);
    expect(first.items('Broadcast')[0]).toMatchObject({ accepted: 2, idFrom: 'message' });
    const second = await run({ recipientSource: 'file' }, [{ text: csv }], true);
    expect(second.items('Broadcast')[0]).toMatchObject({ accepted: 0, skippedAlreadySent: 2, broadcastId: first.items('Broadcast')[0].broadcastId });
  });

  it('a wrong column name is an error naming the parameter and the columns found, before anything is sent', async () => {
    const result = await run({ recipientSource: 'file', csvPhoneColumn: 'mobile' }, [{ text: `name,phone\nAnn,${number(1)}\n` }], true);
    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('The CSV file in binary property "data" of item 1 has no column "mobile": its header row has "name", "phone"');
    expect(result.error?.description).toBe('Check "Phone Number Column"');
    expect(smsc.store.list()).toHaveLength(0);
  });

  it('a missing binary property is an error naming the parameter and the properties the item has', async () => {
    const result = await run({ recipientSource: 'file', binaryPropertyName: 'csv' }, [{ text: 'phone\n' }], true);
    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('Input item 1 has no binary property "csv": it has "data"');
    expect(result.error?.description).toBe('Check "Input Binary Field"');
    const none = await run({ recipientSource: 'file' }, [{}], false);
    expect(none.error?.message).toMatch(/^Input item 1 has no binary property "data" \(it has no binary data/);
  });
});
