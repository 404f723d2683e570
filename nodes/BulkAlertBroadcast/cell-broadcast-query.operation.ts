/** Broadcast Alert, Cell Broadcast x Query: state and per-area success of earlier broadcasts, once per item. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { lookupItems } from './cell-broadcast-lookup';

export function queryCellBroadcasts(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
  return lookupItems(ctx, 'query');
}
