import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { SmsRequestError, checkSentMessageIds } from '../../src/gateway';
import type { SenderDefaults } from '../../src/gateway';
import { SentMessageControl } from '../../src/transport/smpp';
import type { SentCoding } from '../../src/transport/smpp';
import { sentDataCodingOf } from '../../src/registry';
import { toNodeError } from '../shared/errors/node-error';
import { readSmppCredential } from '../shared/credentials/smpp-credential';
import { nodeCredential } from '../shared/credentials/node-credential';
import { openSmppSession } from '../shared/sending/smpp-session';
import { readTransport } from '../shared/sending/sender-transport';
import { shareThroughStateStore } from '../shared/state/state-stores';
import { readMessageIds } from './get-delivery-status.operation';
import { failedItem } from '../shared/errors/failed-item';

const LABEL: Record<string, string> = {
  sentFrom: 'Sent From',
  newMessage: 'New Message',
  messageIds: 'Message IDs',
  to: 'Recipient (Options)',
  scheduleAt: 'New Scheduled Delivery Time (Options)',
  from: 'Sent From',
  messageId: 'Message IDs',
  source: 'Sent From',
  destination: 'Recipient (Options)',
  serviceType: 'Service Type',
  encoding: 'Encoding (Options)',
  stateStore: 'State Store',
};

/** An item that failed after part of its work was done: `fields` say what (e.g. which parts were cancelled). */
export class PartlyDoneError extends Error {
  constructor(
    readonly reason: unknown,
    readonly fields: IDataObject,
    readonly summary: string,
  ) {
    super((reason as Error).message);
    this.name = 'PartlyDoneError';
  }
}

/** What one item's handler gets: its index, its message IDs, the carrier's control and the credential's sender defaults. */
export interface SentMessageItem {
  itemIndex: number;
  messageIds: string[];
  control: SentMessageControl;
  defaults: SenderDefaults;
  /** The data_coding this process sent `messageId` with (undefined: GSM-7, or not sent by this process). */
  sentDataCoding(messageId: string): Promise<SentCoding | undefined>;
}

/** The error of one item (toNodeError): a carrier's answer is a NodeApiError, a bad field a NodeOperationError naming it. */
function itemError(ctx: IExecuteFunctions, itemIndex: number, err: unknown): NodeApiError | NodeOperationError {
  return toNodeError(ctx.getNode(), err, {
    itemIndex,
    fieldAdvice: (bad) => `Check "${LABEL[bad.field] ?? bad.field}" (item ${itemIndex})`,
    prefix: 'The SMPP carrier did not answer: ',
    description: 'The connection to the carrier was lost or it did not answer in time; try again',
  });
}

/**
 * Runs one of the sent-message operations (query, cancel, replace) over the SMPP Carrier's bind:
 * one output item per input item, paired to it; with Continue On Fail a failed item carries
 * `status: 'failed'` and its error (on the error output when the node routes errors there).
 */
export async function runSentMessageItems(
  ctx: IExecuteFunctions,
  items: INodeExecutionData[],
  operationName: string,
  handle: (item: SentMessageItem) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
  if (readTransport(ctx) === 'modem') {
    throw new NodeOperationError(
      ctx.getNode(),
      `${operationName} works over an SMPP carrier: a GSM modem cannot query, cancel or replace a message it sent (SMS offers no such command to the phone that sent it)`,
      {
        description: 'Choose the SMPP Carrier transport (messages sent by modem cannot be reached after sending)',
      },
    );
  }
  const settings = readSmppCredential(await nodeCredential(ctx, 'smppApi'));
  await shareThroughStateStore(ctx, settings.connection);
  const session = await openSmppSession(settings).catch((err: Error) => {
    throw new NodeOperationError(ctx.getNode(), `Cannot connect to the SMPP carrier: ${err.message}`, {
      description: 'Check the SMPP Carrier credential (host, port, TLS, system ID, password)',
    });
  });
  const control = new SentMessageControl(session.transport);
  const out: INodeExecutionData[] = [];
  try {
    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
      let messageIds: string[] = [];
      try {
        messageIds = readMessageIds(ctx.getNodeParameter('messageIds', itemIndex));
        if (messageIds.length === 0)
          throw new SmsRequestError('messageIds', 'Message IDs is empty: map the messageIds Send SMS returned, e.g. {{ $json.messageIds }}');
        checkSentMessageIds(messageIds);
        const sentDataCoding = (messageId: string): Promise<SentCoding | undefined> => sentDataCodingOf(settings.connection, messageId);
        const json = await handle({ itemIndex, messageIds, control, defaults: session.defaults, sentDataCoding });
        out.push({ json, pairedItem: { item: itemIndex } });
      } catch (err) {
        const partly = err instanceof PartlyDoneError ? err : undefined;
        const error = itemError(ctx, itemIndex, partly ? partly.reason : err);
        if (partly) error.description = `${partly.summary}. ${error.description ?? ''}`.trim();
        if (!ctx.continueOnFail()) throw error;
        out.push(failedItem(ctx, { messageIds, status: 'failed', error: error.message, ...partly?.fields }, itemIndex));
      }
    }
  } finally {
    await session.release();
  }
  return out;
}
