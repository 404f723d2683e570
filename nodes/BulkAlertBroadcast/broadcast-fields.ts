/**
 * Broadcast Alert's parameters, each written once: version 1 (one "Channel" selector) and version
 * 2 (resource and operation) place them differently and show them under their own conditions.
 * Parameter names and values are the same in both, so one execution path reads either.
 */
import type { ICredentialsDisplayOptions, IDisplayOptions, INodeProperties } from 'n8n-workflow';
import { receiptSettleProperty } from '../shared/sending/delivery-summary';

type Show = NonNullable<IDisplayOptions['show']>;

/** The property shown only where `show` holds, on top of its own conditions. */
export function shownWhere(property: INodeProperties, show: Show): INodeProperties {
  const own = property.displayOptions ?? {};
  return { ...property, displayOptions: { ...own, show: { ...show, ...own.show } } };
}

export const recipientSourceProperty: INodeProperties = {
  displayName: 'Recipient Source',
  name: 'recipientSource',
  type: 'options',
  noDataExpression: true,
  default: 'items',
  options: [
    { name: 'Input Items (One per Recipient)', value: 'items' },
    { name: 'List or CSV Text', value: 'list' },
    {
      name: 'CSV File (Binary, Streamed)',
      value: 'file',
      description: "A CSV file in the input item's binary data, read as it is sent: for lists of up to millions of numbers",
    },
    {
      name: 'PostgreSQL Query (Paged)',
      value: 'postgres',
      description: 'The rows of a SELECT, read a page at a time by key as they are sent: for lists of up to millions of numbers in a database',
    },
  ],
};

/** Version 1 keeps the sources it had: the database source and its fields are version 2's. */
export const recipientSourceV1Property: INodeProperties = {
  ...recipientSourceProperty,
  options: (recipientSourceProperty.options ?? []).filter((option) => !('value' in option) || option.value !== 'postgres'),
};

const POSTGRES = { recipientSource: ['postgres'] };

/** The SMS Gateway PostgreSQL slot: only with Recipient Source = PostgreSQL Query (`hide`, so the editor keeps the selector on the panel). */
export const WITH_POSTGRES_SOURCE = { hide: { recipientSource: [{ _cnd: { not: 'postgres' } }] } } as unknown as ICredentialsDisplayOptions;

export const postgresQueryProperty: INodeProperties = {
  displayName: 'SQL Query',
  name: 'postgresQuery',
  type: 'string',
  default: 'SELECT id, phone FROM residents',
  required: true,
  noDataExpression: true,
  typeOptions: { editor: 'sqlEditor', sqlDialect: 'PostgreSQL' },
  displayOptions: { show: POSTGRES },
  hint: 'Read a page at a time as: SELECT ... FROM (your query) q WHERE key > last key ORDER BY key LIMIT page. Use $1, $2... for values from Query Parameters.',
};

export const postgresQueryParametersProperty: INodeProperties = {
  displayName: 'Query Parameters',
  name: 'postgresQueryParameters',
  type: 'string',
  default: '',
  displayOptions: { show: POSTGRES },
  placeholder: 'e.g. north, 2026-12-03',
  hint: 'Sent to the server apart from the SQL, never pasted into it: a value from a webhook stays a value',
  description: 'The values of $1, $2... in the query, comma-separated, or an expression that gives an array (for values with commas, or from the input item).',
};

export const postgresPhoneColumnProperty: INodeProperties = {
  displayName: 'Phone Number Column',
  name: 'postgresPhoneColumn',
  type: 'string',
  default: 'phone',
  required: true,
  displayOptions: { show: POSTGRES },
  description: "The query's column with the numbers (rows where it is empty are skipped)",
};

export const postgresKeyColumnProperty: INodeProperties = {
  displayName: 'Key Column',
  name: 'postgresKeyColumn',
  type: 'string',
  default: 'id',
  required: true,
  displayOptions: { show: POSTGRES },
  description:
    'A column with a unique value on every row, usually the primary key: rows are read in its order, a page after the last key read (index it for big tables). Errors name a row by it.',
};

export const postgresPageSizeProperty: INodeProperties = {
  displayName: 'Rows per Page',
  name: 'postgresPageSize',
  type: 'number',
  default: 1000,
  typeOptions: { minValue: 1, maxValue: 50000 },
  displayOptions: { show: POSTGRES },
  description: 'How many rows each query reads: memory holds one page',
};

export const binaryPropertyNameProperty: INodeProperties = {
  displayName: 'Input Binary Field',
  name: 'binaryPropertyName',
  type: 'string',
  default: 'data',
  required: true,
  displayOptions: { show: { recipientSource: ['file'] } },
  hint: "The name of the input item's binary property that holds the CSV file",
};

export const csvPhoneColumnProperty: INodeProperties = {
  displayName: 'Phone Number Column',
  name: 'csvPhoneColumn',
  type: 'string',
  default: 'phone',
  displayOptions: { show: { recipientSource: ['file'] } },
  description:
    'The header of the column with the numbers (any case), or its number (1 = first column). Comma, semicolon and tab delimiters are recognised; quoted fields may hold commas and line breaks.',
};

export const csvHeaderRowProperty: INodeProperties = {
  displayName: 'First Line Is a Header',
  name: 'csvHeaderRow',
  type: 'boolean',
  default: true,
  displayOptions: { show: { recipientSource: ['file'] } },
  description: "Whether the file's first line names the columns (turn off for a file of numbers only, and give the column's number)",
};

export const recipientFieldProperty: INodeProperties = {
  displayName: 'Phone Number Field',
  name: 'recipientField',
  type: 'string',
  default: 'phone',
  displayOptions: { show: { recipientSource: ['items'] } },
  description: 'The item field with the number (dots for nested fields, e.g. contact.mobile)',
};

export const recipientListProperty: INodeProperties = {
  displayName: 'Recipient List',
  name: 'recipientList',
  type: 'string',
  default: '',
  typeOptions: { rows: 6 },
  displayOptions: { show: { recipientSource: ['list'] } },
  placeholder: '+447911123456\n+447911123457',
  description: 'One number per line (or comma-separated), or CSV with a "phone" column',
};

export const messageSourceProperty: INodeProperties = {
  displayName: 'Message Source',
  name: 'messageSource',
  type: 'options',
  noDataExpression: true,
  default: 'text',
  options: [
    { name: 'Text', value: 'text' },
    { name: 'CAP 1.2 Alert (XML)', value: 'cap' },
  ],
};

export const messageProperty: INodeProperties = {
  displayName: 'Message',
  name: 'message',
  type: 'string',
  default: '',
  typeOptions: { rows: 4 },
  displayOptions: { show: { messageSource: ['text'] } },
  // $json is n8n's own expression variable: it must stay lowercase in the example.
  // eslint-disable-next-line n8n-nodes-base/node-param-description-miscased-json
  description: 'The alert text. For SMS, expressions are evaluated per recipient item, e.g. Hello {{ $json.name }}.',
};

export const capXmlProperty: INodeProperties = {
  displayName: 'CAP Alert XML',
  name: 'capXml',
  type: 'string',
  default: '',
  typeOptions: { rows: 6 },
  displayOptions: { show: { messageSource: ['cap'] } },
  description: 'A CAP 1.2 &lt;alert&gt;: the SMS says its headline and instruction; severity and urgency set the priority',
};

export const capFlashProperty: INodeProperties = {
  displayName: 'Flash for Extreme/Immediate Alerts',
  name: 'capFlash',
  type: 'boolean',
  default: false,
  displayOptions: { show: { messageSource: ['cap'] } },
  description: 'Whether alerts with severity Extreme and urgency Immediate are sent as flash messages (class 0, shown at once)',
};

export const broadcastIdProperty: INodeProperties = {
  displayName: 'Broadcast ID',
  name: 'broadcastId',
  type: 'string',
  default: '',
  placeholder: 'flood-2026-12-02',
  description: 'Re-running with the same ID sends nobody the message twice: the run resumes where the last one stopped',
  hint: "Empty: the alert itself is the ID (a CAP alert's identifier and sender; else credential, sender, text and recipients), so the same alert posted again within the Dedupe Window (Options) sends nothing",
};

export const overrideOptOutProperty: INodeProperties = {
  displayName: 'Safety Alert: Ignore Opt-Outs',
  name: 'overrideOptOut',
  type: 'boolean',
  default: false,
  description: 'Whether to send also to numbers that replied STOP. Only for alerts that protect life. Ignored when an AI agent calls this node as a tool.',
};

export const optOutListProperty: INodeProperties = {
  displayName: 'Opt-Out List',
  name: 'optOutList',
  type: 'string',
  default: 'default',
  description: 'The name of the opt-out list the SMS Gateway Trigger maintains',
  hint: 'A name, not a setting: another name (or a typo) is a separate, empty list',
};

export const dryRunProperty: INodeProperties = {
  displayName: 'Dry Run',
  name: 'dryRun',
  type: 'boolean',
  default: false,
  description: 'Whether to only count recipients, parts and time, sending nothing',
};

export const outputProperty: INodeProperties = {
  displayName: 'Output',
  name: 'output',
  type: 'options',
  noDataExpression: true,
  default: 'summary',
  options: [
    { name: 'Summary Only (Best for Large Lists)', value: 'summary' },
    { name: 'One Item per Recipient, Then the Summary', value: 'perRecipient' },
  ],
};

export const waitForReceiptsProperty: INodeProperties = {
  displayName: 'Wait for Delivery Receipts',
  name: 'waitForReceipts',
  type: 'boolean',
  default: false,
  description: "Whether to wait for receipts (from the carrier, or the modem's status reports) and add delivered/undelivered/unknown counts per part",
};

/** "Settle On" for the broadcast's receipt wait. */
export const receiptSettleBroadcastProperty: INodeProperties = receiptSettleProperty({ waitForReceipts: [true] });

export const receiptWaitProperty: INodeProperties = {
  displayName: 'Receipt Wait (Minutes)',
  name: 'receiptWaitMinutes',
  type: 'number',
  default: 5,
  typeOptions: { minValue: 0.05 },
  displayOptions: { show: { waitForReceipts: [true] } },
};
