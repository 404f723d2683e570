import type { INodeProperties } from 'n8n-workflow';

/** Channel values: the default keeps the node's SMS behaviour for existing workflows. */
export type BroadcastChannel = 'sms' | 'cellBroadcast' | 'both' | 'cellBroadcastQuery' | 'cellBroadcastCancel';

const SENDS_CELL: BroadcastChannel[] = ['cellBroadcast', 'both'];
const NO_SMS: BroadcastChannel[] = ['cellBroadcast', 'cellBroadcastQuery', 'cellBroadcastCancel'];
const NO_MESSAGE: BroadcastChannel[] = ['cellBroadcastQuery', 'cellBroadcastCancel'];

/** Parameters that only the SMS path reads, and those no send reads (query/cancel). */
const SMS_ONLY = ['recipientSource', 'recipientField', 'recipientList', 'capFlash', 'broadcastId', 'overrideOptOut', 'optOutList', 'dryRun', 'output', 'waitForReceipts', 'receiptWaitMinutes', 'from', 'options'];
const MESSAGE_ONLY = ['messageSource', 'message', 'capXml'];

export const channelProperty: INodeProperties = {
  displayName: 'Channel', name: 'channel', type: 'options', noDataExpression: true, default: 'sms',
  options: [
    { name: 'Cancel a Cell Broadcast', value: 'cellBroadcastCancel', description: 'Stop an earlier broadcast' },
    { name: 'Cell Broadcast and SMS', value: 'both', description: 'The area broadcast first, then the SMS to the list' },
    { name: 'Cell Broadcast to an Area', value: 'cellBroadcast', description: 'Every phone in the area\'s cells, no list needed (SMPP 5.0 broadcast_sm)' },
    { name: 'Query a Cell Broadcast', value: 'cellBroadcastQuery', description: 'State and per-area success of an earlier broadcast' },
    { name: 'SMS to Recipients', value: 'sms', description: 'One SMS per phone number in your list' },
  ],
};

const cell = { show: { channel: SENDS_CELL } };

/**
 * The cell broadcast parameters. Warning levels map to CBS Message Identifiers (3GPP TS 23.041;
 * the table is in src/cellbroadcast/warning-channels.ts).
 */
export const cellBroadcastProperties: INodeProperties[] = [
  {
    displayName: 'Broadcast Area', name: 'cbAreaSource', type: 'options', noDataExpression: true, default: 'aliases', displayOptions: cell,
    options: [
      { name: 'Area Names (Aliases Known to the Carrier)', value: 'aliases' },
      { name: 'Circle', value: 'circle' },
      { name: 'Polygon', value: 'polygon' },
      { name: 'From the CAP Alert (Polygons, Circles, Geocodes)', value: 'cap' },
    ],
  },
  { displayName: 'Area Names', name: 'cbAliases', type: 'string', default: '', typeOptions: { rows: 3 }, placeholder: 'RIVER-DISTRICT\nOLD-TOWN', displayOptions: { show: { channel: SENDS_CELL, cbAreaSource: ['aliases'] } }, description: 'One area name per line (or comma-separated), as the carrier configured them' },
  { displayName: 'Latitude', name: 'cbCircleLatitude', type: 'number', default: 0, typeOptions: { numberPrecision: 6 }, displayOptions: { show: { channel: SENDS_CELL, cbAreaSource: ['circle'] } } },
  { displayName: 'Longitude', name: 'cbCircleLongitude', type: 'number', default: 0, typeOptions: { numberPrecision: 6 }, displayOptions: { show: { channel: SENDS_CELL, cbAreaSource: ['circle'] } } },
  { displayName: 'Radius (Km)', name: 'cbCircleRadiusKm', type: 'number', default: 1, typeOptions: { minValue: 0.001, numberPrecision: 3 }, displayOptions: { show: { channel: SENDS_CELL, cbAreaSource: ['circle'] } }, description: 'Rounded up to the next step of the area coding (about 10%), so the whole circle is covered' },
  { displayName: 'Polygon', name: 'cbPolygon', type: 'string', default: '', typeOptions: { rows: 3 }, placeholder: '51.50,-0.13 51.51,-0.12 51.50,-0.11 51.49,-0.12', displayOptions: { show: { channel: SENDS_CELL, cbAreaSource: ['polygon'] } }, description: '3 to 15 "lat,lon" points in order around the area, separated by spaces or lines (CAP style; a repeated first point is fine)' },
  {
    displayName: 'Public Warning Level', name: 'cbWarningLevel', type: 'options', default: 'severe', displayOptions: cell,
    description: 'The channel phones listen on (CBS Message Identifier): Presidential 4370, Extreme 4371-4374, Severe 4375-4378, AMBER 4379, Monthly Test 4380, Exercise 4381, Public Safety 4396. "From the CAP alert" uses its status, severity, urgency and certainty.',
    options: [
      { name: 'AMBER Child Abduction (4379)', value: 'amber' },
      { name: 'Exercise (4381)', value: 'exercise' },
      { name: 'Extreme (4371)', value: 'extreme' },
      { name: 'From the CAP Alert', value: 'fromCap' },
      { name: 'Monthly Test (4380)', value: 'test' },
      { name: 'Presidential / National (4370)', value: 'presidential' },
      { name: 'Public Safety (4396)', value: 'publicSafety' },
      { name: 'Severe (4375)', value: 'severe' },
    ],
  },
  { displayName: 'Repetitions', name: 'cbRepetitions', type: 'number', default: 10, typeOptions: { minValue: 0, maxValue: 65535 }, displayOptions: cell, description: 'How many times the cells broadcast it; 0 repeats until the end of the validity' },
  { displayName: 'Repetition Interval (Seconds)', name: 'cbIntervalSeconds', type: 'number', default: 60, typeOptions: { minValue: 0 }, displayOptions: cell, description: '0 means as often as the network can' },
  { displayName: 'Validity (Minutes)', name: 'cbValidityMinutes', type: 'number', default: 60, typeOptions: { minValue: 1 }, displayOptions: cell, description: 'When the broadcast ends; a CAP alert\'s &lt;expires&gt; wins when it has one' },
  {
    displayName: 'Broadcast Priority', name: 'cbPriority', type: 'options', default: 'immediate', displayOptions: cell,
    options: [
      { name: 'Immediate', value: 'immediate' },
      { name: 'High', value: 'high' },
      { name: 'Normal', value: 'normal' },
      { name: 'Background', value: 'background' },
    ],
  },
  {
    displayName: 'Cell Broadcast Options', name: 'cbOptions', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions: cell,
    options: [
      { displayName: 'Additional Language', name: 'additionalLanguage', type: 'boolean', default: false, description: 'Whether this is the alert in an additional language (identifiers 4383-4395, 4397)' },
      { displayName: 'CBS Message Identifier', name: 'messageIdentifier', type: 'number', default: 0, typeOptions: { minValue: 0, maxValue: 65535 }, description: 'Send on this identifier instead of the warning level\'s (0: use the level)' },
      {
        displayName: 'Channel Indicator', name: 'channelIndicator', type: 'options', default: 'basic',
        options: [{ name: 'Basic Broadcast Channel', value: 'basic' }, { name: 'Extended Broadcast Channel', value: 'extended' }],
      },
      {
        displayName: 'Encoding', name: 'encoding', type: 'options', default: 'auto',
        options: [{ name: 'Automatic (GSM-7, Else UCS-2)', value: 'auto' }, { name: 'GSM-7', value: 'gsm7' }, { name: 'UCS-2', value: 'ucs2' }],
      },
      { displayName: 'Generic Content Type', name: 'genericContentType', type: 'boolean', default: false, description: 'Whether to send SMPP\'s generic content type "Emergency Broadcasts" instead of the CBS Message Identifier (some centres want this)' },
      {
        displayName: 'Message Class', name: 'messageClass', type: 'options', default: 'none',
        options: [{ name: 'None', value: 'none' }, { name: 'Class 1 (User Defined)', value: '1' }, { name: 'Class 2 (User Defined)', value: '2' }, { name: 'Class 3 (Terminal Equipment)', value: '3' }],
      },
    ],
  },
  {
    displayName: 'Broadcast ID or CAP Identifier', name: 'cbMessageId', type: 'string', default: '', required: true,
    displayOptions: { show: { channel: NO_MESSAGE } },
    description: 'The message ID an earlier run output, or the CAP &lt;identifier&gt; it broadcast (looked up in the State Store)',
  },
];

function hideFor(property: INodeProperties, channels: BroadcastChannel[]): INodeProperties {
  const displayOptions = property.displayOptions ?? {};
  return { ...property, displayOptions: { ...displayOptions, hide: { ...displayOptions.hide, channel: channels } } };
}

/** The node's properties with Channel first, SMS-only ones hidden when they do not apply, and the cell broadcast ones added. */
export function withCellBroadcast(properties: INodeProperties[]): INodeProperties[] {
  const adapted = properties.map((p) => {
    if (SMS_ONLY.includes(p.name)) return hideFor(p, NO_SMS);
    if (MESSAGE_ONLY.includes(p.name)) return hideFor(p, NO_MESSAGE);
    return p;
  });
  return [channelProperty, ...adapted, ...cellBroadcastProperties];
}
