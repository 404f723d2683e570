/**
 * Broadcast Alert, Cell Broadcast x Update: the new broadcast first, then the earlier one it
 * replaces is cancelled.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { CapAlert } from '../../src/broadcast';
import { FieldError } from '../shared/errors/field-error';
import { cancelNamed } from './cell-broadcast-lookup';
import { readCellCap, sendCellBroadcast } from './cell-broadcast-send.operation';
import { broadcastIdStoreFor, withSession } from './cell-broadcast-session';

/**
 * Update: the new broadcast first, then the earlier one it replaces is cancelled (phones are never
 * without the warning in between), as a CAP Update does with the alerts it references.
 */
async function replaceBroadcast(ctx: IExecuteFunctions, cap: CapAlert | null): Promise<IDataObject> {
  const earlier = String(ctx.getNodeParameter('cbMessageId', 0, '') ?? '').trim();
  if (!earlier) throw new FieldError('cbMessageId', 'Broadcast to Replace is empty: give the message ID or CAP identifier of the broadcast this one replaces');
  const sent = await sendCellBroadcast(ctx, cap);
  const store = await broadcastIdStoreFor(ctx);
  const cancelled = await withSession(ctx, ({ client }) => cancelNamed(client, store, earlier));
  const replaced = [...((sent.replaced as IDataObject[] | undefined) ?? []), cancelled];
  return { ...sent, action: 'update', replaced };
}

export async function updateCellBroadcast(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
  const cap = readCellCap(ctx);
  return [{ json: await replaceBroadcast(ctx, cap), pairedItem: { item: 0 } }];
}
