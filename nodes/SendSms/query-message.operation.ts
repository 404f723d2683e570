import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sentMessageSource } from '../../src/gateway';
import { MESSAGE_STATE_MEANING } from '../../src/transport/smpp';
import type { SentMessageState } from '../../src/transport/smpp';
import { runSentMessageItems } from './sent-message-items';

/** One state for a message of several parts: the first part still on its way, else the first that was not delivered, else DELIVERED. */
function overall(parts: SentMessageState[]): SentMessageState {
  return parts.find((p) => !p.final) ?? parts.find((p) => p.state !== 'DELIVERED') ?? parts[0];
}

/** Query Sent Message: query_sm for every message ID of each item (a long message has one per part). */
export function queryMessage(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
  return runSentMessageItems(ctx, items, 'Query Sent Message', async ({ itemIndex, messageIds, control, defaults }) => {
    const source = sentMessageSource(String(ctx.getNodeParameter('sentFrom', itemIndex, '') ?? ''), defaults);
    const parts: SentMessageState[] = [];
    for (const id of messageIds) parts.push(await control.query(id, source));
    const state = overall(parts);
    const json: IDataObject = {
      messageIds,
      state: state.state,
      meaning: MESSAGE_STATE_MEANING[state.state],
      final: parts.every((p) => p.final),
      finalDate: state.finalDate?.toISOString() ?? null,
    };
    if (parts.length > 1 || state.errorCode) {
      json.parts = parts.map((p) => ({
        messageId: p.messageId,
        state: p.state,
        final: p.final,
        finalDate: p.finalDate?.toISOString() ?? null,
        errorCode: p.errorCode,
      }));
    }
    return json;
  });
}
