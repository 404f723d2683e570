import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { DeliveryReceipt, WaitOptions } from '../../../src/dlr';

/** "Settle On": what ends a wait for a receipt (shown with the node's wait switch). */
export function receiptSettleProperty(show: Record<string, Array<string | boolean>>): INodeProperties {
  return {
    displayName: 'Settle On',
    name: 'receiptSettle',
    type: 'options',
    default: 'final',
    displayOptions: { show },
    options: [
      {
        name: 'Final State',
        value: 'final',
        description:
          'Wait for the outcome (delivered, undelivered, expired, rejected...); intermediate receipts such as ENROUTE or ACCEPTD do not end the wait',
      },
      { name: 'First Receipt', value: 'first', description: 'Stop at the first receipt, intermediate or not' },
    ],
  };
}

/** Wait options from "Settle On"; receipts older than the send belong to an earlier message with the same ID. */
export function waitOptions(settle: unknown, sentAt: Date): WaitOptions {
  // A minute of slack for clocks of other n8n processes that recorded the receipt.
  return { settle: settle === 'first' ? 'first' : 'final', notBefore: new Date(sentAt.getTime() - 60_000) };
}

/** One part's delivery in node output: its ID, the status (UNKNOWN when no receipt came) and when. */
export function deliveryPart(messageId: string, receipt: DeliveryReceipt | null): IDataObject {
  const part: IDataObject = { messageId, status: receipt?.status ?? 'UNKNOWN', at: receipt ? (receipt.doneAt ?? receipt.receivedAt).toISOString() : null };
  if (receipt && !receipt.final) part.final = false;
  if (receipt?.carrierStatus) part.carrierStatus = receipt.carrierStatus;
  if (receipt?.error && receipt.error !== '000') part.error = receipt.error;
  return part;
}

/** A message's delivery: the first part not delivered decides (else the last part), with every part listed. */
export function deliverySummary(parts: IDataObject[]): IDataObject {
  const worst = parts.find((p) => p.status !== 'DELIVRD') ?? parts[parts.length - 1];
  return { status: worst?.status ?? 'UNKNOWN', at: worst?.at ?? null, parts };
}
