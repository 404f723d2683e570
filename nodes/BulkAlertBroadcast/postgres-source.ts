import type { IExecuteFunctions } from 'n8n-workflow';
import { checkPostgresRecipients, postgresFingerprint, postgresNumberPages, postgresParameters } from '../../src/broadcast';
import type { BroadcastRecipient, CheckedPostgresQuery } from '../../src/broadcast';
import { nodeCredential } from '../shared/credentials/node-credential';
import { POSTGRES_CREDENTIAL, readPostgresCredential } from '../shared/credentials/postgres-credential';
import type { RecipientsRead } from './recipient-sources';

/** One input item's query, checked, with the item it came from and that item's text. */
interface ItemQuery {
  query: CheckedPostgresQuery;
  itemIndex: number;
  text: string;
}

async function* pagesOf(queries: ItemQuery[]): AsyncGenerator<BroadcastRecipient[]> {
  for (const { query, itemIndex, text } of queries)
    for await (const page of postgresNumberPages(query)) yield page.map(({ to, key, row }) => ({ to, text, itemIndex, row, key }));
}

/**
 * Recipient Source = PostgreSQL Query: each input item's query (its SQL and Query Parameters, as
 * that item's expressions give them) is checked against the server first (it runs, it has both
 * columns, the key is unique, set and stable), so a mistake is a field error before anything is
 * sent; then the queries' rows are read in item order, a page at a time as the sender takes them,
 * each with its item's text: as several CSV files are. Items whose query and parameters are the
 * same as an earlier item's are read once (with the earlier item's text): n8n runs the node once
 * for all its input items, and a fixed query over 100 items must not read the table 100 times.
 */
export async function postgresRecipients(ctx: IExecuteFunctions, textFor: (itemIndex: number) => string): Promise<RecipientsRead> {
  const settings = readPostgresCredential(await nodeCredential(ctx, POSTGRES_CREDENTIAL));
  const items = Math.max(1, ctx.getInputData().length);
  const queries: ItemQuery[] = [];
  const seen = new Set<string>();
  for (let itemIndex = 0; itemIndex < items; itemIndex++) {
    const asked = {
      settings,
      sql: String(ctx.getNodeParameter('postgresQuery', itemIndex, '') ?? ''),
      parameters: postgresParameters(ctx.getNodeParameter('postgresQueryParameters', itemIndex, '')),
      phoneColumn: String(ctx.getNodeParameter('postgresPhoneColumn', itemIndex, 'phone') ?? ''),
      keyColumn: String(ctx.getNodeParameter('postgresKeyColumn', itemIndex, 'id') ?? ''),
      pageSize: Number(ctx.getNodeParameter('postgresPageSize', itemIndex, 1000)),
    };
    const same = JSON.stringify([asked.sql, asked.parameters, asked.phoneColumn, asked.keyColumn, asked.pageSize]);
    if (seen.has(same)) continue;
    seen.add(same);
    // The text first: an empty message is a field error before any query runs.
    const text = textFor(itemIndex);
    queries.push({ query: await checkPostgresRecipients(asked), itemIndex, text });
  }
  return {
    recipients: pagesOf(queries),
    // The rows read once more in key order: the same numbers are the same alert (no Broadcast ID given).
    fingerprint: async () => {
      const hashes: string[] = [];
      for (const { query } of queries) hashes.push(await postgresFingerprint(query));
      return hashes.join(':');
    },
    count: async () => queries.reduce((sum, { query }) => sum + query.numbers, 0),
  };
}
