/**
 * Broadcast Alert, SMS and Cell Broadcast x Send: the area broadcast first, then the SMS to the
 * list (none after a CAP Cancel, which has no message).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readCellCap, sendCellBroadcast } from './cell-broadcast-send.operation';
import { sendSmsAlerts } from './sms-send.operation';

export async function sendBoth(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
  const cap = readCellCap(ctx);
  const cell: INodeExecutionData = { json: await sendCellBroadcast(ctx, cap), pairedItem: { item: 0 } };
  if (cap?.msgType === 'Cancel') {
    cell.json.sms = 'skipped: a CAP Cancel has no message to send by SMS';
    return [cell];
  }
  return [cell, ...(await sendSmsAlerts(ctx))];
}
