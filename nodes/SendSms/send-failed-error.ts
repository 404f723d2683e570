import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const LISTED = 50;

function listed<T>(rows: T[], line: (row: T) => string): string[] {
  const lines = rows.slice(0, LISTED).map(line);
  if (rows.length > LISTED) lines.push(`... and ${rows.length - LISTED} more (all in the error's context)`);
  return lines;
}

/**
 * The error of a Send SMS run in which some messages failed (Continue On Fail off): it says how
 * many failed and were accepted, lists both (accepted ones with their message ids, so nothing
 * accepted is lost with the failed run) with what a retry does to the accepted ones (`retryPromise`),
 * and keeps the full lists in its context.
 */
export function sendFailedError(node: INode, out: INodeExecutionData[], retryPromise: string): NodeOperationError {
  const row = (o: INodeExecutionData): IDataObject => ({ ...o.json, itemIndex: (o.pairedItem as { item: number }).item });
  const failed = out.filter((o) => o.json.status === 'failed').map(row);
  const accepted = out.filter((o) => o.json.status === 'accepted').map(row);
  const first = failed[0];
  const description = [
    ...(accepted.length ? [`Accepted (${retryPromise}):`, ...listed(accepted, (a) => `${String(a.to)}: ${(a.messageIds as string[]).join(', ')}`)] : []),
    'Failed:',
    ...listed(failed, (f) => `${String(f.to)} (item ${String(f.itemIndex)}): ${String(f.error)}`),
  ].join('\n');
  const total = failed.length + accepted.length;
  const counts = total > 1 ? `${failed.length} of ${total} SMS failed (${accepted.length} accepted): ` : '';
  const error = new NodeOperationError(node, `${counts}SMS to ${String(first.to)} failed: ${String(first.error)}`, {
    itemIndex: first.itemIndex as number,
    description,
  });
  error.context.accepted = accepted.map((a) => ({ to: a.to, messageIds: a.messageIds, itemIndex: a.itemIndex }));
  error.context.failed = failed.map((f) => ({ to: f.to, error: f.error, itemIndex: f.itemIndex, failure: f.failure, retryElsewhere: f.retryElsewhere }));
  return error;
}
