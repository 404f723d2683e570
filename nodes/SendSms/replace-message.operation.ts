import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { EncodingChoice } from '../../src/encoding';
import { SmsRequestError, prepareReplacement, sentMessageSource } from '../../src/gateway';
import { runSentMessageItems } from './sent-message-items';

/** Replace Sent Message: replace_sm of one message (of one part) with a new text. */
export function replaceMessage(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
  return runSentMessageItems(ctx, items, 'Replace Sent Message', async ({ itemIndex, messageIds, control, defaults, sentDataCoding }) => {
    if (messageIds.length > 1) {
      throw new SmsRequestError(
        'messageIds',
        `Message IDs holds ${messageIds.length} IDs: replace_sm replaces a message of one part (a long message has one ID per part; cancel it and send a new one)`,
      );
    }
    const sent = await sentDataCoding(messageIds[0]);
    if (sent?.partOfLong) {
      throw new SmsRequestError(
        'messageIds',
        `Message ID ${messageIds[0]} is one part of a long message: replace_sm would replace that part alone and garble the message (it carries no UDH); cancel the message and send a new one`,
      );
    }
    const source = sentMessageSource(String(ctx.getNodeParameter('sentFrom', itemIndex, '') ?? ''), defaults);
    const options = ctx.getNodeParameter('replaceOptions', itemIndex, {}) as IDataObject;
    const scheduleAt = options.scheduleAt ? new Date(String(options.scheduleAt)) : undefined;
    const validityMinutes = Number(options.validityMinutes ?? 0);
    const replacement = prepareReplacement({
      text: String(ctx.getNodeParameter('newMessage', itemIndex, '') ?? ''),
      encoding: (options.encoding as EncodingChoice | undefined) ?? 'auto',
      originalDataCoding: sent?.dataCoding,
      messageId: messageIds[0],
      scheduleAt,
      validitySeconds: validityMinutes > 0 ? validityMinutes * 60 : undefined,
      requestReceipt: options.requestReceipt !== false,
    });
    await control.replace(messageIds[0], source, replacement);
    const json: IDataObject = { messageIds, status: 'replaced', encoding: replacement.encoding, requestReceipt: replacement.registeredDelivery !== 0 };
    if (scheduleAt) json.scheduleAt = scheduleAt.toISOString();
    return json;
  });
}
