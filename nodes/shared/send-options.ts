import type { INodeProperties } from 'n8n-workflow';

/** Message options shared by Send SMS, Bulk Alert Broadcast and OTP Issue. */
export const messageOptions: INodeProperties[] = [
  {
    displayName: 'Encoding', name: 'encoding', type: 'options', default: 'auto',
    options: [
      { name: 'Automatic (GSM-7 When Possible, Else UCS-2)', value: 'auto' },
      { name: 'GSM-7 Only (Fail on Other Characters)', value: 'gsm7' },
      { name: 'UCS-2 (Unicode)', value: 'ucs2' },
      { name: 'Latin-1', value: 'latin1' },
    ],
  },
  { displayName: 'Replace Look-Alike Characters', name: 'transliterate', type: 'boolean', default: false, description: 'Whether to replace curly quotes, dashes and similar characters with GSM-7 ones so the message stays cheap' },
  { displayName: 'Flash Message', name: 'flash', type: 'boolean', default: false, description: 'Whether the phone shows the message at once without storing it (class 0)' },
  { displayName: 'Validity Period (Minutes)', name: 'validityMinutes', type: 'number', default: 0, typeOptions: { minValue: 0 }, description: 'How long the carrier keeps trying to deliver; 0 uses the carrier default' },
  { displayName: 'Scheduled Delivery Time', name: 'scheduleAt', type: 'dateTime', default: '', description: 'Deliver later, at this time' },
  { displayName: 'Request Delivery Receipt', name: 'requestReceipt', type: 'boolean', default: false },
  {
    displayName: 'Priority', name: 'priority', type: 'options', default: 0,
    options: [
      { name: 'Normal (0)', value: 0 },
      { name: 'High (1)', value: 1 },
      { name: 'Urgent (2)', value: 2 },
      { name: 'Emergency (3)', value: 3 },
    ],
  },
  { displayName: 'Max Parts', name: 'maxParts', type: 'number', default: 10, typeOptions: { minValue: 1, maxValue: 255 }, description: 'Refuse messages longer than this many SMS parts (each part is billed)' },
  {
    displayName: 'Long Message Method', name: 'concat', type: 'options', default: 'udh8',
    options: [
      { name: '8-Bit UDH Reference', value: 'udh8' },
      { name: '16-Bit UDH Reference', value: 'udh16' },
      { name: 'SAR Optional Parameters', value: 'sar' },
      { name: 'One PDU with Message Payload', value: 'payload' },
    ],
  },
  { displayName: 'Default Country', name: 'defaultCountry', type: 'string', default: '', placeholder: 'GB', description: 'ISO country for national numbers; overrides the credential\'s' },
  { displayName: 'Mobile Numbers Only', name: 'mobileOnly', type: 'boolean', default: false, description: 'Whether to refuse numbers that are known landlines' },
];
