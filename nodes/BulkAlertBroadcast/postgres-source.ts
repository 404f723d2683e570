import type { IExecuteFunctions } from 'n8n-workflow';
import { checkPostgresRecipients, postgresFingerprint, postgresNumberPages, postgresParameters } from '../../src/broadcast';
import type { BroadcastRecipient, CheckedPostgresQuery } from '../../src/broadcast';
import { nodeCredential } from '../shared/credentials/node-credential';
import { POSTGRES_CREDENTIAL, readPostgresCredential } from '../shared/credentials/postgres-credential';
import type { RecipientsRead } from './recipient-sources';

async function* pagesOf(query: CheckedPostgresQuery, text: string): AsyncGenerator<BroadcastRecipient[]> {
  for await (const page of postgresNumberPages(query)) yield page.map(({ to, key, row }) => ({ to, text, itemIndex: 0, row, key }));
}

/**
 * Recipient Source = PostgreSQL Query: the query is checked against the server first (it runs, it
 * has both columns, the key is unique and set), so a mistake is a field error before anything is
 * sent; then its rows are read a page at a time as the sender takes them. One text for all, from
 * the first input item.
 */
export async function postgresRecipients(ctx: IExecuteFunctions, textFor: (itemIndex: number) => string): Promise<RecipientsRead> {
  const settings = readPostgresCredential(await nodeCredential(ctx, POSTGRES_CREDENTIAL));
  const text = textFor(0);
  const query = await checkPostgresRecipients({
    settings,
    sql: String(ctx.getNodeParameter('postgresQuery', 0, '') ?? ''),
    parameters: postgresParameters(ctx.getNodeParameter('postgresQueryParameters', 0, '')),
    phoneColumn: String(ctx.getNodeParameter('postgresPhoneColumn', 0, 'phone') ?? ''),
    keyColumn: String(ctx.getNodeParameter('postgresKeyColumn', 0, 'id') ?? ''),
    pageSize: Number(ctx.getNodeParameter('postgresPageSize', 0, 1000)),
  });
  return {
    recipients: pagesOf(query, text),
    // The rows read once more in key order: the same numbers are the same alert (no Broadcast ID given).
    fingerprint: () => postgresFingerprint(query),
    count: async () => query.numbers,
  };
}
