import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';
import type { Readable } from 'stream';
import type { BroadcastRecipient, RecipientSource } from '../../src/broadcast';
import { checkCsvColumns, csvNumberBatches, sha256OfStream } from '../../src/broadcast';
import { FieldError } from '../shared/errors/field-error';
import { postgresRecipients } from './postgres-source';

/** Reads a (possibly nested, dotted) field of an item's JSON. */
function readPath(json: IDataObject, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), json);
}

/** Where the recipients are, as the broadcast takes them. */
export interface RecipientsRead {
  recipients: RecipientSource;
  /** CSV files and database rows: their content's hash (a second read), for the broadcast's identity when no ID is given. */
  fingerprint?: () => Promise<string>;
  /** How many numbers (a file: counted by reading it once more). */
  count: () => Promise<number>;
}

/** Numbers from a text list: one per line or comma-separated, or CSV whose header names a phone column. */
export async function parseRecipientList(text: string): Promise<string[]> {
  const numbers: string[] = [];
  for await (const batch of csvNumberBatches(text, { field: 'recipientList', sourceName: 'Recipient List' })) for (const n of batch) numbers.push(n.to);
  return numbers;
}

/** One input item's CSV file: opened as a stream (filesystem mode) or from the item (memory mode). */
function csvFileOf(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number, property: string): () => Promise<Readable | Buffer> {
  const binary: IBinaryData | undefined = item.binary?.[property];
  if (!binary) {
    const has = Object.keys(item.binary ?? {});
    throw new FieldError(
      'binaryPropertyName',
      `Input item ${itemIndex + 1} has no binary property "${property}"${has.length ? `: it has ${has.map((p) => `"${p}"`).join(', ')}` : ' (it has no binary data: read the CSV file first, e.g. with Read/Write Files from Disk or an HTTP Request)'}`,
    );
  }
  return async () => (binary.id ? ctx.helpers.getBinaryStream(binary.id) : Buffer.from(binary.data, BINARY_ENCODING));
}

/** Every input item's CSV file, in turn, as batches of recipients. */
interface CsvRead {
  column: string;
  header: boolean;
  property: string;
}

function csvOptions(read: CsvRead, itemIndex: number) {
  return {
    column: read.column,
    header: read.header,
    field: 'csvPhoneColumn',
    sourceName: `CSV file in binary property "${read.property}" of item ${itemIndex + 1}`,
  };
}

async function* fileRecipients(files: Array<() => Promise<Readable | Buffer>>, read: CsvRead, texts: string[]): AsyncGenerator<BroadcastRecipient[]> {
  for (const [itemIndex, open] of files.entries()) {
    const text = texts[itemIndex];
    const batches = csvNumberBatches(await open(), csvOptions(read, itemIndex));
    for await (const batch of batches) yield batch.map(({ to, row }) => ({ to, text, itemIndex, row }));
  }
}

/** Recipients with their message text; `textFor(i)` evaluates the message for item i. */
export async function readRecipients(ctx: IExecuteFunctions, items: INodeExecutionData[], textFor: (itemIndex: number) => string): Promise<RecipientsRead> {
  const source = ctx.getNodeParameter('recipientSource', 0) as string;
  if (source === 'list') {
    const list = await parseRecipientList(String(ctx.getNodeParameter('recipientList', 0, '')));
    if (list.length === 0) throw new FieldError('recipientList', 'Recipient List is empty: give one number per line, or CSV with a "phone" column');
    const text = textFor(0);
    return listed(list.map((to) => ({ to, text, itemIndex: 0 })));
  }
  if (source === 'postgres') return postgresRecipients(ctx, textFor);
  if (source === 'file') {
    const property = String(ctx.getNodeParameter('binaryPropertyName', 0, 'data')).trim();
    if (!property) throw new FieldError('binaryPropertyName', 'Input Binary Field is empty: name the binary property that holds the CSV file (usually "data")');
    const column = String(ctx.getNodeParameter('csvPhoneColumn', 0, 'phone')).trim();
    if (!column)
      throw new FieldError(
        'csvPhoneColumn',
        'Phone Number Column is empty: give the header of the column with the numbers (e.g. phone), or its number (1 = first)',
      );
    const read = { column, header: ctx.getNodeParameter('csvHeaderRow', 0, true) !== false, property };
    const files = items.map((item, i) => csvFileOf(ctx, item, i, property));
    // One text per file, evaluated before anything is sent (an empty message is a field error, not a stop halfway).
    const texts = items.map((_, i) => textFor(i));
    for (const [itemIndex, open] of files.entries()) await checkCsvColumns(await open(), csvOptions(read, itemIndex));
    return {
      recipients: fileRecipients(files, read, texts),
      fingerprint: async () => {
        const hashes: string[] = [];
        for (const open of files) hashes.push(await sha256OfStream(await open()));
        return hashes.join(':');
      },
      count: async () => {
        let count = 0;
        for await (const batch of fileRecipients(files, read, texts)) count += batch.length;
        return count;
      },
    };
  }
  const field = String(ctx.getNodeParameter('recipientField', 0, 'phone')).trim();
  if (!field) throw new FieldError('recipientField', 'Recipient Field is empty: name the item field that holds the phone number');
  const sameText = ctx.getNodeParameter('messageSource', 0) === 'cap';
  const shared = sameText ? textFor(0) : '';
  return listed(
    items.map((item, itemIndex) => {
      const value = readPath(item.json, field);
      return { to: value === undefined || value === null ? '' : String(value), text: sameText ? shared : textFor(itemIndex), itemIndex };
    }),
  );
}

function listed(recipients: BroadcastRecipient[]): RecipientsRead {
  return { recipients, count: async () => recipients.length };
}
