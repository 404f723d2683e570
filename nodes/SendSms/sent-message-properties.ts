/**
 * Parameters of Send SMS's operations on a message sent earlier: Query, Cancel and Replace Sent
 * Message (query_sm, cancel_sm, replace_sm). The Message IDs field is Get Delivery Status's (see
 * get-delivery-status.operation.ts), shown for these operations too.
 */
import type { INodeProperties } from 'n8n-workflow';

export const QUERY_MESSAGE = 'queryMessage';
export const CANCEL_MESSAGE = 'cancelMessage';
export const REPLACE_MESSAGE = 'replaceMessage';
export const SENT_MESSAGE_OPERATIONS = [QUERY_MESSAGE, CANCEL_MESSAGE, REPLACE_MESSAGE];

const onSmpp = (operation: string[]) => ({ show: { operation, transport: ['smpp', 'failover'] } });

export const sentMessageProperties: INodeProperties[] = [
  {
    displayName: 'Sent From',
    name: 'sentFrom',
    type: 'string',
    default: '',
    placeholder: 'MyCompany',
    description: 'The sender (From) the message was sent with: carriers find a message by its ID and its sender',
    hint: 'Empty: the Default Sender of the SMPP Carrier credential',
    displayOptions: onSmpp(SENT_MESSAGE_OPERATIONS),
  },
  {
    displayName: 'New Message',
    name: 'newMessage',
    type: 'string',
    default: '',
    required: true,
    typeOptions: { rows: 3 },
    description:
      "The text that replaces the message's. One SMS part (160 GSM-7 or 70 UCS-2 characters), in the same alphabet as the original: the carrier keeps its data coding.",
    displayOptions: onSmpp([REPLACE_MESSAGE]),
  },
  {
    displayName: 'Options',
    name: 'replaceOptions',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: onSmpp([REPLACE_MESSAGE]),
    options: [
      {
        displayName: 'Encoding',
        name: 'encoding',
        type: 'options',
        default: 'auto',
        description:
          "The alphabet the original was sent in: replace_sm carries no data coding, so the carrier reads the new text in the original's. Automatic uses the alphabet this n8n process recorded when it sent the message, else GSM-7; for a message sent by another n8n process, map the encoding field Send SMS returned with an expression.",
        options: [
          { name: 'Automatic (GSM-7 When Possible, Else UCS-2)', value: 'auto' },
          { name: 'GSM-7 Only', value: 'gsm7' },
          { name: 'UCS-2 (Unicode)', value: 'ucs2' },
        ],
      },
      {
        displayName: 'New Scheduled Delivery Time',
        name: 'scheduleAt',
        type: 'dateTime',
        default: '',
        description: 'Deliver at this time instead of the one the message was sent with',
      },
      // On by default: replace_sm cannot keep the original's receipt request, and losing a receipt a workflow waits for is worse than an extra one.
      {
        displayName: 'Request Delivery Receipt',
        name: 'requestReceipt',
        type: 'boolean',
        default: true,
        description:
          "Whether the carrier should send a delivery receipt for the new text. replace_sm overwrites the original's receipt request (it cannot keep it), so this is on unless you turn it off.",
      },
      {
        displayName: 'Validity Period (Minutes)',
        name: 'validityMinutes',
        type: 'number',
        default: 0,
        typeOptions: { minValue: 0 },
        description: "How long the carrier keeps trying; 0 keeps the message's own",
      },
    ],
  },
  {
    displayName: 'Options',
    name: 'cancelOptions',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: onSmpp([CANCEL_MESSAGE]),
    options: [
      {
        displayName: 'Recipient',
        name: 'to',
        type: 'string',
        default: '',
        placeholder: '+447400123456',
        description: 'The number the message was sent to, for carriers that want it with cancel_sm',
      },
    ],
  },
];
