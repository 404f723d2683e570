import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sentMessageDestination, sentMessageSource } from '../../src/gateway';
import { SentMessageRefusedError } from '../../src/transport/smpp';
import { PartlyDoneError, runSentMessageItems } from './sent-message-items';

/** Cancel Sent Message: cancel_sm for every message ID of each item (every part of a long message). */
export function cancelMessage(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
  return runSentMessageItems(ctx, items, 'Cancel Sent Message', async ({ itemIndex, messageIds, control, defaults }) => {
    const source = sentMessageSource(String(ctx.getNodeParameter('sentFrom', itemIndex, '') ?? ''), defaults);
    const options = ctx.getNodeParameter('cancelOptions', itemIndex, {}) as IDataObject;
    const to = String(options.to ?? '').trim();
    const destination = to ? sentMessageDestination(to, defaults) : undefined;
    // Part by part, every part tried: a refused part must not hide the parts that were cancelled
    // (nor leave the rest to reach the phone as a fragment). A lost connection stops the rest.
    const cancelled: string[] = [];
    const notCancelled: IDataObject[] = [];
    let first: unknown;
    for (const [index, id] of messageIds.entries()) {
      try {
        await control.cancel(id, source, { destination });
        cancelled.push(id);
      } catch (err) {
        first ??= err;
        notCancelled.push({ messageId: id, error: (err as Error).message });
        if (!(err instanceof SentMessageRefusedError)) {
          for (const rest of messageIds.slice(index + 1))
            notCancelled.push({ messageId: rest, error: 'not tried: the carrier did not answer an earlier part' });
          break;
        }
      }
    }
    if (first !== undefined) {
      const summary = `Cancelled ${cancelled.length} of ${messageIds.length} parts (${cancelled.join(', ') || 'none'}); not cancelled: ${notCancelled.map((n) => n.messageId).join(', ')}`;
      throw new PartlyDoneError(first, { cancelled, notCancelled }, summary);
    }
    return { messageIds, status: 'cancelled' };
  });
}
