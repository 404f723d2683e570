/** Broadcast Alert, Cell Broadcast x Cancel: stop earlier broadcasts, once per item (one already ended is an outcome). */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { lookupItems } from './cell-broadcast-lookup';

export function cancelCellBroadcasts(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
  return lookupItems(ctx, 'cancel');
}
