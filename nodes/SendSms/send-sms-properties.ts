/**
 * Send SMS's parameters. Version 2 groups the SMPP-only message fields under "SMPP Options";
 * version 1 keeps every option in one collection, so its saved workflows read the same values
 * (n8n shows each node the parameters of its own version).
 */
import type { INodeProperties } from 'n8n-workflow';
import { receiptSettleProperty } from '../shared/sending/delivery-summary';
import { byLabel, everydayMessageOptions, messageOptions, smppOptionsProperty } from '../shared/sending/send-options';
import { stateStoreProperty } from '../shared/state/state-stores';
import { fromProperties, transportProperty } from '../shared/sending/sender-transport';
import { maxToolRecipientsProperty } from '../shared/runtime/agent-tool';
import { reportToApplicationOption, sendApplicationReceiptProperties } from './send-application-receipt.operation';
import { getDeliveryStatusProperties } from './get-delivery-status.operation';
import { idempotencyKeyOption } from './idempotency';
import { CANCEL_MESSAGE, QUERY_MESSAGE, REPLACE_MESSAGE, SENT_MESSAGE_OPERATIONS, sentMessageProperties } from './sent-message-properties';

export const SEND = 'send';
export const GET_DELIVERY_STATUS = 'getDeliveryStatus';
export const SEND_APPLICATION_RECEIPT = 'sendApplicationReceipt';
export const GET_GATEWAY_STATUS = 'getGatewayStatus';

const send = { operation: [SEND] };
/** The operations that use the carrier (or modem), and with it the State Store. */
const carrier = { operation: [SEND, GET_DELIVERY_STATUS, ...SENT_MESSAGE_OPERATIONS] };
const v1 = { ...send, '@version': [1] };
const fromV2 = { ...send, '@version': [{ _cnd: { gte: 2 } }] };

/** Options of Send SMS besides the message's: opt-outs (Broadcast Alert has them on the panel), idempotency, forwarding. */
const sendOptions: INodeProperties[] = [
  {
    displayName: 'Skip Opted-Out Numbers',
    name: 'skipOptedOut',
    type: 'boolean',
    default: true,
    description:
      'Whether to skip numbers that replied STOP (the SMS Gateway Trigger keeps the list). Turn off only for messages the recipient must get, such as security codes. Always on when an AI agent calls this node as a tool.',
  },
  {
    displayName: 'Opt-Out List',
    name: 'optOutList',
    type: 'string',
    default: 'default',
    description: 'The name of the opt-out list the SMS Gateway Trigger maintains',
    hint: 'A name, not a setting: another name (or a typo) is a separate, empty list',
  },
  idempotencyKeyOption,
  reportToApplicationOption,
];

const optionsProperty: INodeProperties = { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [] };

export const sendSmsProperties: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: SEND,
    // Alphabetical, as n8n lists operations.
    options: [
      {
        name: 'Cancel Sent Message',
        value: CANCEL_MESSAGE,
        action: 'Cancel a sent message before delivery',
        description: 'Ask the carrier to delete a message it has not delivered yet, such as a scheduled reminder (cancel_sm)',
      },
      {
        name: 'Get Delivery Status',
        value: GET_DELIVERY_STATUS,
        action: 'Get the delivery status of sent messages',
        description: 'The latest delivery receipt of each message ID Send SMS returned',
      },
      {
        name: 'Get Gateway Status',
        value: GET_GATEWAY_STATUS,
        action: 'Get the status of the gateway connections',
        description: 'One item per connection open in this n8n process (SMPP binds, SMS Trigger listeners, modems): state and counters, for alerting',
      },
      {
        name: 'Query Sent Message',
        value: QUERY_MESSAGE,
        action: 'Query the state of a sent message at the carrier',
        description: 'Ask the carrier where a message is now (query_sm): ENROUTE, DELIVERED, EXPIRED, DELETED, UNDELIVERABLE and the other states',
      },
      {
        name: 'Replace Sent Message',
        value: REPLACE_MESSAGE,
        action: 'Replace the text of a sent message before delivery',
        description: 'Change the text (or the scheduled time) of a message the carrier has not delivered yet (replace_sm)',
      },
      { name: 'Send', value: SEND, action: 'Send an SMS', description: 'One SMS per recipient of each item' },
      {
        name: 'Send Receipt to Application',
        value: SEND_APPLICATION_RECEIPT,
        action: 'Send a delivery receipt to an SMPP application',
        description:
          'Answer a message an application submitted to the SMS Gateway Trigger (SMPP server) with a status of your own, e.g. REJECTD when the workflow filtered it out',
      },
    ],
  },
  // The credential slots follow it (Get Delivery Status and the sent-message operations use the SMPP carrier only).
  { ...transportProperty, displayOptions: { show: carrier } },
  {
    displayName: 'To',
    name: 'to',
    type: 'string',
    default: '',
    required: true,
    placeholder: '+447400123456',
    description: 'Phone number, or several separated by commas; national numbers use the default country',
    displayOptions: { show: send },
  },
  ...fromProperties(send),
  { displayName: 'Message', name: 'message', type: 'string', default: '', required: true, typeOptions: { rows: 4 }, displayOptions: { show: send } },
  {
    displayName: 'Wait for Delivery Receipt',
    name: 'waitForReceipt',
    type: 'boolean',
    default: false,
    displayOptions: { show: send },
    description: 'Whether to wait until the carrier (or the modem\'s status reports) confirms delivery of every part (adds a "delivery" field)',
  },
  {
    displayName: 'Receipt Timeout (Seconds)',
    name: 'receiptTimeoutSeconds',
    type: 'number',
    default: 60,
    typeOptions: { minValue: 1 },
    displayOptions: { show: { ...send, waitForReceipt: [true] } },
  },
  receiptSettleProperty({ ...send, waitForReceipt: [true] }),
  ...getDeliveryStatusProperties,
  ...sentMessageProperties,
  ...sendApplicationReceiptProperties,
  // Every operation: Redis shares opt-outs, the TPS budget and the delivery receipts between n8n
  // processes, and the receipts owed to SMPP applications (Send Receipt to Application).
  stateStoreProperty,
  { ...optionsProperty, options: byLabel([...messageOptions, ...sendOptions]), displayOptions: { show: v1 } },
  { ...optionsProperty, options: byLabel([...everydayMessageOptions, ...sendOptions]), displayOptions: { show: fromV2 } },
  smppOptionsProperty({ displayOptions: { show: fromV2 } }),
  { ...maxToolRecipientsProperty, displayOptions: { show: { '@tool': [true], ...send } } },
];
