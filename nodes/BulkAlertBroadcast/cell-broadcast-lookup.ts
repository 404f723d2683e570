/** Query and cancel of earlier cell broadcasts, by message ID or CAP identifier; update cancels the one it replaces. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { isNotRunning, CellBroadcastUnsupportedError } from '../../src/cellbroadcast';
import type { CellBroadcastClient, BroadcastIdStore } from '../../src/cellbroadcast';
import { FieldError } from '../shared/errors/field-error';
import { statusJson } from './cell-broadcast-output';
import { broadcastIdStoreFor, UNSUPPORTED_HELP, withSession } from './cell-broadcast-session';

/**
 * Cancels the broadcast `given` names: a message ID, or a CAP identifier the State Store knows
 * (forgotten there once cancelled). One that already ended is an outcome, not an error.
 */
export async function cancelNamed(client: CellBroadcastClient, store: BroadcastIdStore, given: string): Promise<IDataObject> {
  const record = await store.get(given);
  const messageId = record?.messageId ?? given;
  let outcome = 'cancelled';
  try {
    await client.cancel(messageId);
  } catch (err) {
    // Any other error is the caller's to report (per item, or for the whole update).
    // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
    if (!isNotRunning(err)) throw err;
    outcome = 'already_ended';
  }
  if (record) await store.delete(given);
  return { messageId, ...(record ? { capIdentifier: given } : {}), outcome };
}

/** Query or cancel, once per input item: the id is a broadcast message id or a CAP identifier from the State Store. */
export async function lookupItems(ctx: IExecuteFunctions, action: 'query' | 'cancel'): Promise<INodeExecutionData[]> {
  const items = ctx.getInputData();
  const store = await broadcastIdStoreFor(ctx);
  return withSession(ctx, async ({ client }) => {
    const out: INodeExecutionData[] = [];
    for (let i = 0; i < items.length; i++) {
      try {
        const given = String(ctx.getNodeParameter('cbMessageId', i, '') ?? '').trim();
        if (!given) throw new FieldError('cbMessageId', `Broadcast ID or CAP Identifier is empty for item ${i}`);
        if (action === 'cancel') {
          out.push({ json: { type: 'cellBroadcastCancel', ...(await cancelNamed(client, store, given)) }, pairedItem: { item: i } });
          continue;
        }
        const record = await store.get(given);
        const messageId = record?.messageId ?? given;
        const ids: IDataObject = { messageId, ...(record ? { capIdentifier: given } : {}) };
        out.push({ json: { type: 'cellBroadcastState', ...ids, ...statusJson(await client.query(messageId)) }, pairedItem: { item: i } });
      } catch (err) {
        if (err instanceof CellBroadcastUnsupportedError) throw new NodeOperationError(ctx.getNode(), err.message, { description: UNSUPPORTED_HELP });
        // eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the node's toNodeError turns it into n8n's
        if (!ctx.continueOnFail()) throw err;
        out.push({ json: { error: (err as Error).message }, pairedItem: { item: i } });
      }
    }
    return out;
  });
}
