import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { receiptTrackerOf } from '../../src/registry';
import { deliveryPart, deliverySummary } from '../shared/sending/delivery-summary';
import { readTransport } from '../shared/sending/sender-transport';
import { readSmppCredential } from '../shared/credentials/smpp-credential';
import { shareThroughStateStore } from '../shared/state/state-stores';
import { nodeCredential } from '../shared/credentials/node-credential';

// Query, Cancel and Replace Sent Message take the same IDs (see sent-message-properties.ts).
const show = { show: { operation: ['getDeliveryStatus', 'queryMessage', 'cancelMessage', 'replaceMessage'] } };

export const getDeliveryStatusProperties: INodeProperties[] = [
  {
    displayName: 'Message IDs',
    name: 'messageIds',
    type: 'string',
    default: '',
    required: true,
    displayOptions: show,
    placeholder: '={{ $json.messageIds }}',
    description: 'The messageIds Send SMS returned (one per part), as a list or separated by commas',
  },
];

/** Message IDs from a list (an expression's array) or a text with commas, semicolons, spaces or new lines. */
export function readMessageIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value.map((v) => String(v ?? '')) : String(value ?? '').split(/[\s,;]+/);
  return list.map((id) => id.trim()).filter((id) => id !== '');
}

/**
 * Get Delivery Status: the latest receipt of each message ID, from the carrier's shared receipts
 * (Redis, with State Store = Redis: the SMS Gateway Redis credential) or those this n8n process received.
 */
export async function getDeliveryStatus(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
  if (readTransport(ctx) === 'modem') {
    throw new NodeOperationError(
      ctx.getNode(),
      'Get Delivery Status reads the receipts of an SMPP carrier; a GSM modem\'s status reports are only in Send SMS\'s "Wait for Delivery Receipt"',
      {
        description: 'Choose the SMPP Carrier transport',
      },
    );
  }
  // The SMPP credential only: with failover, the modem's reports are not kept for later.
  const { connection } = readSmppCredential(await nodeCredential(ctx, 'smppApi'));
  await shareThroughStateStore(ctx, connection);
  const tracker = receiptTrackerOf(connection);
  const shared = connection.receipts?.redis !== undefined;
  const out: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const ids = readMessageIds(ctx.getNodeParameter('messageIds', itemIndex));
      if (ids.length === 0) {
        throw new NodeOperationError(ctx.getNode(), 'Message IDs is empty: map the messageIds Send SMS returned, e.g. {{ $json.messageIds }}', {
          itemIndex,
          description: `Check the "Message IDs" field of item ${itemIndex + 1}`,
        });
      }
      const receipts = await Promise.all(ids.map((id) => tracker.latest(id))).catch((err: Error) => {
        throw new NodeOperationError(ctx.getNode(), `Cannot read delivery receipts from Redis: ${err.message}`, {
          itemIndex,
          description: 'Check Host and Port of the SMS Gateway Redis credential',
        });
      });
      const json: IDataObject = {
        messageIds: ids,
        ...deliverySummary(ids.map((id, k) => deliveryPart(id, receipts[k]))),
        final: receipts.every((r) => r?.final === true),
      };
      if (!shared) json.note = 'receipts this n8n process received (set State Store to Redis, here and on the SMS Gateway Trigger, for those of every process)';
      out.push({ json, pairedItem: { item: itemIndex } });
    } catch (err) {
      // Every error above is a NodeOperationError already.
      // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
      if (!ctx.continueOnFail()) throw err;
      out.push({ json: { status: 'failed', error: (err as Error).message }, pairedItem: { item: itemIndex } });
    }
  }
  return out;
}
