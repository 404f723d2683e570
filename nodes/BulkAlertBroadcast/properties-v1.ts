/**
 * Broadcast Alert version 1: one "Channel" selector for what is sent and what is done. Kept so
 * workflows saved with version 1 open and run unchanged; new nodes get version 2.
 */
import type { INodeProperties } from 'n8n-workflow';
import { messageOptions } from '../shared/sending/send-options';
import { stateStoreProperty } from '../shared/state/state-stores';
import { fromProperties, transportProperty } from '../shared/sending/sender-transport';
import { maxToolRecipientsProperty } from '../shared/runtime/agent-tool';
import * as field from './broadcast-fields';
import { repeatOptions } from './repeat-options';
import { broadcastReferenceProperty, cellBroadcastFields } from './cell-broadcast-properties';

type Channel = 'sms' | 'cellBroadcast' | 'both' | 'cellBroadcastQuery' | 'cellBroadcastCancel';

const SENDS_CELL: Channel[] = ['cellBroadcast', 'both'];
const NO_SMS: Channel[] = ['cellBroadcast', 'cellBroadcastQuery', 'cellBroadcastCancel'];
const NO_MESSAGE: Channel[] = ['cellBroadcastQuery', 'cellBroadcastCancel'];

const channelProperty: INodeProperties = {
  displayName: 'Channel',
  name: 'channel',
  type: 'options',
  noDataExpression: true,
  default: 'sms',
  options: [
    { name: 'Cancel a Cell Broadcast', value: 'cellBroadcastCancel', description: 'Stop an earlier broadcast' },
    { name: 'Cell Broadcast and SMS', value: 'both', description: 'The area broadcast first, then the SMS to the list' },
    { name: 'Cell Broadcast to an Area', value: 'cellBroadcast', description: "Every phone in the area's cells, no list needed (SMPP 5.0 broadcast_sm)" },
    { name: 'Query a Cell Broadcast', value: 'cellBroadcastQuery', description: 'State and per-area success of an earlier broadcast' },
    { name: 'SMS to Recipients', value: 'sms', description: 'One SMS per phone number in your list' },
  ],
};

function hiddenFor(property: INodeProperties, channels: Channel[]): INodeProperties {
  const own = property.displayOptions ?? {};
  return { ...property, displayOptions: { ...own, hide: { ...own.hide, channel: channels } } };
}

const smsOnly = (property: INodeProperties): INodeProperties => hiddenFor(property, NO_SMS);
const withMessage = (property: INodeProperties): INodeProperties => hiddenFor(property, NO_MESSAGE);

const properties: INodeProperties[] = [
  channelProperty,
  transportProperty,
  ...[
    field.recipientSourceV1Property,
    field.recipientFieldProperty,
    field.recipientListProperty,
    field.binaryPropertyNameProperty,
    field.csvPhoneColumnProperty,
    field.csvHeaderRowProperty,
  ].map(smsOnly),
  ...[field.messageSourceProperty, field.messageProperty, field.capXmlProperty].map(withMessage),
  ...[
    field.capFlashProperty,
    field.broadcastIdProperty,
    field.overrideOptOutProperty,
    field.optOutListProperty,
    field.dryRunProperty,
    field.outputProperty,
    field.waitForReceiptsProperty,
    field.receiptWaitProperty,
    field.receiptSettleBroadcastProperty,
  ].map(smsOnly),
  stateStoreProperty,
  ...fromProperties({}, '').map(smsOnly),
  smsOnly({
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    options: [...messageOptions, ...repeatOptions],
  }),
  maxToolRecipientsProperty,
  ...cellBroadcastFields({ channel: SENDS_CELL }),
  broadcastReferenceProperty('Broadcast ID or CAP Identifier', { channel: NO_MESSAGE }),
];

/** Version 1's parameters; n8n shows each node those of its own version. */
export const broadcastV1Properties = properties.map((property) => field.shownWhere(property, { '@version': [1] }));
