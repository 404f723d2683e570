import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sentMessageDestination, sentMessageSource } from '../../src/gateway';
import { runSentMessageItems } from './sent-message-items';

/** Cancel Sent Message: cancel_sm for every message ID of each item (every part of a long message). */
export function cancelMessage(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
  return runSentMessageItems(ctx, items, 'Cancel Sent Message', async ({ itemIndex, messageIds, control, defaults }) => {
    const source = sentMessageSource(String(ctx.getNodeParameter('sentFrom', itemIndex, '') ?? ''), defaults);
    const options = ctx.getNodeParameter('cancelOptions', itemIndex, {}) as IDataObject;
    const to = String(options.to ?? '').trim();
    const destination = to ? sentMessageDestination(to, defaults) : undefined;
    // Part by part: a refusal names the ID of the part it refused.
    for (const id of messageIds) await control.cancel(id, source, { destination });
    return { messageIds, status: 'cancelled' };
  });
}
