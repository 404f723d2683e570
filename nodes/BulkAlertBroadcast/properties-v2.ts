/**
 * Broadcast Alert version 2: resource (what is sent) by operation (what is done), and the panel in
 * the order a person fills it in: what, to whom, from whom, how.
 */
import type { INodeProperties } from 'n8n-workflow';
import { byLabel, everydayMessageOptions, smppOptionsProperty } from '../shared/sending/send-options';
import { stateStoreProperty } from '../shared/state/state-stores';
import { fromProperties, transportProperty } from '../shared/sending/sender-transport';
import { maxToolRecipientsProperty } from '../shared/runtime/agent-tool';
import * as field from './broadcast-fields';
import { repeatOptions } from './repeat-options';
import { broadcastReferenceProperty, cellBroadcastFields } from './cell-broadcast-properties';

const SMS = { resource: ['sms', 'both'] };
const CELL_SENDS = { resource: ['cellBroadcast', 'both'], operation: ['send', 'update'] };
const SENDS = { operation: ['send', 'update'] };

const resourceProperty: INodeProperties = {
  displayName: 'Resource',
  name: 'resource',
  type: 'options',
  noDataExpression: true,
  default: 'sms',
  options: [
    { name: 'Cell Broadcast', value: 'cellBroadcast', description: "Every phone in an area's cells, no list needed (SMPP 5.0 broadcast_sm)" },
    { name: 'SMS', value: 'sms', description: 'One SMS per phone number on your list' },
    { name: 'SMS and Cell Broadcast', value: 'both', description: 'The area broadcast first, then one SMS per number on your list' },
  ],
};

const operationProperties: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'send',
    displayOptions: { show: { resource: ['sms'] } },
    options: [{ name: 'Send', value: 'send', action: 'Send an SMS alert to a list', description: 'One SMS per recipient, deduplicated, opt-outs respected' }],
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'send',
    displayOptions: { show: { resource: ['cellBroadcast'] } },
    options: [
      { name: 'Cancel', value: 'cancel', action: 'Cancel a cell broadcast', description: 'Stop an earlier broadcast' },
      { name: 'Query', value: 'query', action: 'Query a cell broadcast', description: 'State and per-area success of an earlier broadcast' },
      { name: 'Send', value: 'send', action: 'Send a cell broadcast to an area', description: 'Start a broadcast to every phone in the area' },
      {
        name: 'Update',
        value: 'update',
        action: 'Update a cell broadcast',
        description: 'Start the new broadcast, then cancel the one it replaces (phones are never without the warning)',
      },
    ],
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'send',
    displayOptions: { show: { resource: ['both'] } },
    options: [
      { name: 'Send', value: 'send', action: 'Send a cell broadcast and an SMS alert', description: 'The area broadcast first, then the SMS to the list' },
    ],
  },
];

/** Cell broadcast goes by SMPP only, so with both channels the modem can only be the failover. */
const transportProperties: INodeProperties[] = [
  { ...transportProperty, displayOptions: { show: { resource: ['sms'] } } },
  {
    ...transportProperty,
    displayOptions: { show: { resource: ['both'] } },
    options: (transportProperty.options ?? []).filter((option) => 'value' in option && option.value !== 'modem'),
  },
];

const onSms = (property: INodeProperties): INodeProperties => field.shownWhere(property, SMS);

const properties: INodeProperties[] = [
  resourceProperty,
  ...operationProperties,
  broadcastReferenceProperty('Broadcast ID or CAP Identifier', { resource: ['cellBroadcast'], operation: ['cancel', 'query'] }),
  broadcastReferenceProperty('Broadcast to Replace (ID or CAP Identifier)', { resource: ['cellBroadcast'], operation: ['update'] }),
  ...transportProperties,
  // What
  ...[field.messageSourceProperty, field.messageProperty, field.capXmlProperty].map((property) => field.shownWhere(property, SENDS)),
  onSms(field.capFlashProperty),
  // To whom
  ...[
    field.recipientSourceProperty,
    field.recipientFieldProperty,
    field.recipientListProperty,
    field.binaryPropertyNameProperty,
    field.csvPhoneColumnProperty,
    field.csvHeaderRowProperty,
    field.postgresQueryProperty,
    field.postgresQueryParametersProperty,
    field.postgresPhoneColumnProperty,
    field.postgresKeyColumnProperty,
    field.postgresPageSizeProperty,
    field.optOutListProperty,
    field.overrideOptOutProperty,
  ].map(onSms),
  // From whom
  ...fromProperties(SMS),
  // Where and how, for the area broadcast
  ...cellBroadcastFields(CELL_SENDS),
  // How, for the SMS
  ...[
    field.broadcastIdProperty,
    field.dryRunProperty,
    field.waitForReceiptsProperty,
    field.receiptWaitProperty,
    field.receiptSettleBroadcastProperty,
    field.outputProperty,
  ].map(onSms),
  stateStoreProperty,
  onSms({
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    options: byLabel([...everydayMessageOptions, ...repeatOptions]),
  }),
  onSms(smppOptionsProperty()),
  onSms(maxToolRecipientsProperty),
];

/** Version 2's parameters (and later versions', until one changes them). */
export const broadcastV2Properties = properties.map((property) => field.shownWhere(property, { '@version': [{ _cnd: { gte: 2 } }] }));
