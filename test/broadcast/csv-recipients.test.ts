import { Readable } from 'stream';
import { csvNumberBatches, detectDelimiter } from '../../src/broadcast/csv-recipients';
import { FieldError } from '../../src/errors/field-error';

const read = async (input: string | Buffer | Readable, column?: string, header?: boolean): Promise<Array<{ to: string; row: number }>> => {
  const out: Array<{ to: string; row: number }> = [];
  for await (const batch of csvNumberBatches(input, { column, header, field: 'csvPhoneColumn', sourceName: 'CSV file' })) out.push(...batch);
  return out;
};

describe('CSV recipients (csv-parse, streamed)', () => {
  it('reads the phone column (row numbers as a spreadsheet shows them) past quoted commas, quoted line breaks, CRLF, a BOM and empty lines', async () => {
    const csv =
      '\uFEFFname,phone,note\r\n"Smith, John",+447900000001,"line one\r\nline two"\r\n\r\n"O""Brien, Pat","+44 7900 000002",x\r\n,,\r\nAnn,+447900000003,"a, b, c"\r\n';
    expect(await read(csv, 'phone')).toEqual([
      { to: '+447900000001', row: 2 },
      { to: '+44 7900 000002', row: 3 },
      { to: '+447900000003', row: 4 },
    ]);
  });

  it('finds a phone-like header by itself, and takes every field of a plain list', async () => {
    expect((await read('Name;Mobile\n"A; B";07900000001\n')).map((n) => n.to)).toEqual(['07900000001']);
    expect((await read('+447900000001, +447900000002\n+447900000003\n')).map((n) => n.to)).toEqual(['+447900000001', '+447900000002', '+447900000003']);
  });

  it('takes a column by number, with or without a header row', async () => {
    expect((await read('a\t+447900000001\nb\t+447900000002\n', '2', false)).map((n) => n.to)).toEqual(['+447900000001', '+447900000002']);
    expect((await read('who,cell\na,+447900000001\n', '2', true)).map((n) => n.to)).toEqual(['+447900000001']);
  });

  it('names the parameter and the columns it found when the column is not there', async () => {
    const error = await read('name,telephone\nA,+447900000001\n', 'phone').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldError);
    expect((error as FieldError).field).toBe('csvPhoneColumn');
    expect((error as FieldError).message).toBe('The CSV file has no column "phone": its header row has "name", "telephone"');
  });

  it('streams: a 200,000-line file arrives in batches while the stream is read, not whole', async () => {
    let produced = 0;
    async function* lines(): AsyncGenerator<string> {
      yield 'phone\n';
      for (let i = 0; i < 200; i++) {
        produced += 1000;
        yield Array.from({ length: 1000 }, (_, j) => `+4479${String(i * 1000 + j).padStart(8, '0')}\n`).join('');
      }
    }
    const batches = csvNumberBatches(Readable.from(lines()), { column: 'phone', field: 'csvPhoneColumn', sourceName: 'CSV file' });
    const first = await batches.next();
    expect(first.value).toHaveLength(1000);
    // Backpressure: after one batch, only a few chunks have been read from the source.
    expect(produced).toBeLessThan(50_000);
    let total = first.value!.length;
    for await (const batch of batches) total += batch.length;
    expect(total).toBe(200_000);
  });

  it('stops with a field error, not a hang, when the CSV breaks or its source fails halfway', async () => {
    // A quote left open at the end of the file: csv-parse's error, named against the parameter.
    const broken = await read(`phone\n${'+447900000001\n'.repeat(3000)}"+447900000002\n`, 'phone').catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(FieldError);
    expect((broken as FieldError).field).toBe('csvPhoneColumn');
    expect((broken as FieldError).message).toMatch(/^The CSV file is not valid CSV: .*Quote Not Closed/);
    // The binary stream dies after some rows (a file deleted, a network read cut): the read fails with that error.
    async function* dying(): AsyncGenerator<string> {
      yield 'phone\n';
      yield '+447900000001\n'.repeat(5000);
      throw new Error('read ECONNRESET');
    }
    const seen: number[] = [];
    const failed = await (async () => {
      for await (const batch of csvNumberBatches(Readable.from(dying()), { column: 'phone', field: 'csvPhoneColumn', sourceName: 'CSV file' }))
        seen.push(batch.length);
    })().catch((e: unknown) => e);
    expect((failed as Error).message).toBe('read ECONNRESET');
    expect(seen.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5000);
  });

  it('detects comma, semicolon and tab from the first line, outside quotes', () => {
    expect(detectDelimiter('"a;b;c",phone\n')).toBe(',');
    expect(detectDelimiter('a;b;c\n')).toBe(';');
    expect(detectDelimiter('a\tb\n')).toBe('\t');
    expect(detectDelimiter('+447900000001\n')).toBe(',');
  });
});
