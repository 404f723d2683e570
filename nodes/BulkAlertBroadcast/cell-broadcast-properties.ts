import type { INodeProperties } from 'n8n-workflow';
import { shownWhere } from './broadcast-fields';

/**
 * The cell broadcast parameters. Warning levels map to CBS Message Identifiers (3GPP TS 23.041;
 * the table is in src/cellbroadcast/warning-channels.ts).
 */
const cellBroadcastSettings: INodeProperties[] = [
  {
    displayName: 'Broadcast Area',
    name: 'cbAreaSource',
    type: 'options',
    noDataExpression: true,
    default: 'aliases',
    options: [
      { name: 'Area Names (Aliases Known to the Carrier)', value: 'aliases' },
      { name: 'Circle', value: 'circle' },
      { name: 'Polygon', value: 'polygon' },
      { name: 'From the CAP Alert (Polygons, Circles, Geocodes)', value: 'cap' },
    ],
  },
  {
    displayName: 'Area Names',
    name: 'cbAliases',
    type: 'string',
    default: '',
    typeOptions: { rows: 3 },
    placeholder: 'RIVER-DISTRICT\nOLD-TOWN',
    displayOptions: { show: { cbAreaSource: ['aliases'] } },
    description: 'One area name per line (or comma-separated), as the carrier configured them',
  },
  {
    displayName: 'Latitude',
    name: 'cbCircleLatitude',
    type: 'number',
    default: 0,
    typeOptions: { numberPrecision: 6 },
    displayOptions: { show: { cbAreaSource: ['circle'] } },
  },
  {
    displayName: 'Longitude',
    name: 'cbCircleLongitude',
    type: 'number',
    default: 0,
    typeOptions: { numberPrecision: 6 },
    displayOptions: { show: { cbAreaSource: ['circle'] } },
  },
  {
    displayName: 'Radius (Km)',
    name: 'cbCircleRadiusKm',
    type: 'number',
    default: 1,
    typeOptions: { minValue: 0.001, numberPrecision: 3 },
    displayOptions: { show: { cbAreaSource: ['circle'] } },
    description: 'Rounded up to the next step of the area coding (about 10%), so the whole circle is covered',
  },
  {
    displayName: 'Polygon',
    name: 'cbPolygon',
    type: 'string',
    default: '',
    typeOptions: { rows: 3 },
    placeholder: '51.50,-0.13 51.51,-0.12 51.50,-0.11 51.49,-0.12',
    displayOptions: { show: { cbAreaSource: ['polygon'] } },
    description: '3 to 15 "lat,lon" points in order around the area, separated by spaces or lines (CAP style; a repeated first point is fine)',
  },
  {
    displayName: 'Public Warning Level',
    name: 'cbWarningLevel',
    type: 'options',
    default: 'severe',
    description:
      'The channel phones listen on (CBS Message Identifier): Presidential 4370, Extreme 4371-4374, Severe 4375-4378, AMBER 4379, Monthly Test 4380, Exercise 4381, Public Safety 4396. "From the CAP alert" uses its status, severity, urgency and certainty.',
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
  {
    displayName: 'Repetitions',
    name: 'cbRepetitions',
    type: 'number',
    default: 10,
    typeOptions: { minValue: 0, maxValue: 65535 },
    description: 'How many times the cells broadcast it; 0 repeats until the end of the validity',
  },
  {
    displayName: 'Repetition Interval (Seconds)',
    name: 'cbIntervalSeconds',
    type: 'number',
    default: 60,
    typeOptions: { minValue: 0 },
    description: '0 means as often as the network can',
  },
  {
    displayName: 'Validity (Minutes)',
    name: 'cbValidityMinutes',
    type: 'number',
    default: 60,
    typeOptions: { minValue: 1 },
    description: "When the broadcast ends; a CAP alert's &lt;expires&gt; wins when it has one",
  },
  {
    displayName: 'Broadcast Priority',
    name: 'cbPriority',
    type: 'options',
    default: 'immediate',
    options: [
      { name: 'Immediate', value: 'immediate' },
      { name: 'High', value: 'high' },
      { name: 'Normal', value: 'normal' },
      { name: 'Background', value: 'background' },
    ],
  },
  {
    displayName: 'Cell Broadcast Options',
    name: 'cbOptions',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    options: [
      {
        displayName: 'Additional Language',
        name: 'additionalLanguage',
        type: 'boolean',
        default: false,
        description: 'Whether this is the alert in an additional language (identifiers 4383-4395, 4397)',
      },
      {
        displayName: 'CBS Message Identifier',
        name: 'messageIdentifier',
        type: 'number',
        default: 0,
        typeOptions: { minValue: 0, maxValue: 65535 },
        description: "Send on this identifier instead of the warning level's (0: use the level)",
      },
      {
        displayName: 'Channel Indicator',
        name: 'channelIndicator',
        type: 'options',
        default: 'basic',
        options: [
          { name: 'Basic Broadcast Channel', value: 'basic' },
          { name: 'Extended Broadcast Channel', value: 'extended' },
        ],
      },
      {
        displayName: 'Encoding',
        name: 'encoding',
        type: 'options',
        default: 'auto',
        options: [
          { name: 'Automatic (GSM-7, Else UCS-2)', value: 'auto' },
          { name: 'GSM-7', value: 'gsm7' },
          { name: 'UCS-2', value: 'ucs2' },
        ],
      },
      {
        displayName: 'Generic Content Type',
        name: 'genericContentType',
        type: 'boolean',
        default: false,
        description: 'Whether to send SMPP\'s generic content type "Emergency Broadcasts" instead of the CBS Message Identifier (some centres want this)',
      },
      {
        displayName: 'Message Class',
        name: 'messageClass',
        type: 'options',
        default: 'none',
        options: [
          { name: 'None', value: 'none' },
          { name: 'Class 1 (User Defined)', value: '1' },
          { name: 'Class 2 (User Defined)', value: '2' },
          { name: 'Class 3 (Terminal Equipment)', value: '3' },
        ],
      },
    ],
  },
];

/** Where and how a cell broadcast goes out, shown where `show` holds (version 1 and 2 differ). */
export function cellBroadcastFields(show: Parameters<typeof shownWhere>[1]): INodeProperties[] {
  return cellBroadcastSettings.map((property) => shownWhere(property, show));
}

/** The earlier broadcast a query, cancel or update is about. */
export function broadcastReferenceProperty(displayName: string, show: Parameters<typeof shownWhere>[1]): INodeProperties {
  return {
    displayName,
    name: 'cbMessageId',
    type: 'string',
    default: '',
    required: true,
    displayOptions: { show },
    description: 'The message ID an earlier run output, or the CAP &lt;identifier&gt; it broadcast (looked up in the State Store)',
  };
}
