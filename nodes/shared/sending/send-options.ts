import type { INodeProperties } from 'n8n-workflow';

/** Collection entries in the order n8n's lint and its "Add Option" list use: by label. */
export function byLabel(options: INodeProperties[]): INodeProperties[] {
  return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Message options every sender needs now and then (Send SMS, Broadcast Alert, Issue OTP). */
export const everydayMessageOptions: INodeProperties[] = byLabel([
  {
    displayName: 'Encoding',
    name: 'encoding',
    type: 'options',
    default: 'auto',
    options: [
      { name: 'Automatic (GSM-7 When Possible, Else UCS-2)', value: 'auto' },
      { name: 'GSM-7 Only (Fail on Other Characters)', value: 'gsm7' },
      { name: 'UCS-2 (Unicode)', value: 'ucs2' },
      { name: 'Latin-1', value: 'latin1' },
    ],
    description: 'GSM-7 fits 160 characters in one SMS, UCS-2 (emoji, most non-Latin scripts) 70',
  },
  {
    displayName: 'Replace Look-Alike Characters',
    name: 'transliterate',
    type: 'boolean',
    default: false,
    description: 'Whether to replace curly quotes, dashes and similar characters with GSM-7 ones so the message stays cheap',
  },
  {
    displayName: 'Flash Message',
    name: 'flash',
    type: 'boolean',
    default: false,
    description: 'Whether the phone shows the message at once without storing it (class 0)',
  },
  {
    displayName: 'Validity Period (Minutes)',
    name: 'validityMinutes',
    type: 'number',
    default: 0,
    typeOptions: { minValue: 0 },
    description: 'How long the carrier keeps trying to deliver; 0 uses the carrier default',
  },
  { displayName: 'Scheduled Delivery Time', name: 'scheduleAt', type: 'dateTime', default: '', description: 'Deliver later, at this time' },
  {
    displayName: 'Request Delivery Receipt',
    name: 'requestReceipt',
    type: 'boolean',
    default: false,
    description:
      'Whether to ask the carrier (or the modem\'s network) for a delivery receipt; the SMS Gateway Trigger emits it. "Wait for Delivery Receipt" asks for one anyway.',
  },
  {
    displayName: 'Max Parts',
    name: 'maxParts',
    type: 'number',
    default: 10,
    typeOptions: { minValue: 1, maxValue: 255 },
    description: 'Refuse messages longer than this many SMS parts (each part is billed)',
  },
  {
    displayName: 'Default Country',
    name: 'defaultCountry',
    type: 'string',
    default: '',
    placeholder: 'GB',
    description: "ISO country for national numbers; overrides the credential's",
  },
  {
    displayName: 'Mobile Numbers Only',
    name: 'mobileOnly',
    type: 'boolean',
    default: false,
    description: 'Whether to refuse numbers that are known landlines',
  },
]);

/** The rows of a "Custom TLVs" list, in a node's SMPP options and in the SMPP Carrier credential. */
export function customTlvsProperty(description: string): INodeProperties {
  return {
    displayName: 'Custom TLVs',
    name: 'customTlvs',
    type: 'fixedCollection',
    placeholder: 'Add TLV',
    default: {},
    typeOptions: { multipleValues: true },
    description,
    options: [
      {
        name: 'tlv',
        displayName: 'TLV',
        values: [
          {
            displayName: 'Tag',
            name: 'tag',
            type: 'string',
            default: '',
            placeholder: '0x1401',
            description: "The tag in hex, as your carrier's document writes it (0x0001-0xFFFF; vendor tags are usually 0x1400-0x3FFF)",
          },
          {
            displayName: 'Type',
            name: 'type',
            type: 'options',
            default: 'string',
            options: [
              { name: 'Hex Octets', value: 'hex', description: 'Octets written in hex, e.g. 01 A2 FF' },
              { name: 'Integer, 1 Octet', value: 'int8' },
              { name: 'Integer, 2 Octets', value: 'int16' },
              { name: 'Integer, 4 Octets', value: 'int32' },
              { name: 'String', value: 'string', description: 'The characters as octets (Latin-1), without a closing NUL' },
              { name: 'String, NUL-Terminated', value: 'cstring', description: 'A C-Octet String: the characters and a closing NUL' },
            ],
            description: "How the value is written into octets; your carrier's document says which",
          },
          {
            displayName: 'Value',
            name: 'value',
            type: 'string',
            default: '',
            description: 'Text, a whole number (decimal, or hex with 0x) or hex octets, by Type',
          },
        ],
      },
    ],
  };
}

/** Fields of the SMPP submit itself: most carriers need none of them, and a modem ignores them. */
export const smppMessageOptions: INodeProperties[] = byLabel([
  customTlvsProperty(
    "Optional parameters your carrier or regulator asks for (e.g. India DLT: 0x1401 template ID), sent with every part. They replace the SMPP Carrier credential's TLVs of the same tag.",
  ),
  {
    displayName: 'Service Type',
    name: 'serviceType',
    type: 'string',
    default: '',
    placeholder: 'CMT',
    description: 'The SMPP service_type, at most 5 characters; only if your carrier asks for one',
  },
  {
    displayName: 'Priority',
    name: 'priority',
    type: 'options',
    default: 0,
    options: [
      { name: 'Normal (0)', value: 0 },
      { name: 'High (1)', value: 1 },
      { name: 'Urgent (2)', value: 2 },
      { name: 'Emergency (3)', value: 3 },
    ],
    description: 'The SMPP priority_flag; what each level does is up to the carrier',
  },
  {
    displayName: 'Long Message Method',
    name: 'concat',
    type: 'options',
    default: 'udh8',
    options: [
      { name: '8-Bit UDH Reference', value: 'udh8' },
      { name: '16-Bit UDH Reference', value: 'udh16' },
      { name: 'SAR Optional Parameters', value: 'sar' },
      { name: 'One PDU with Message Payload', value: 'payload' },
    ],
    description: 'How the parts of a long message are tied together; change it only if your carrier asks',
  },
]);

/** Every message option in one collection, as version 1 of the sending nodes has them. */
export const messageOptions: INodeProperties[] = byLabel([...everydayMessageOptions, ...smppMessageOptions]);

/** The "SMPP Options" collection of the sending nodes' newer versions. */
export function smppOptionsProperty(extra: Partial<INodeProperties> = {}): INodeProperties {
  return {
    displayName: 'SMPP Options',
    name: 'smppOptions',
    type: 'collection',
    placeholder: 'Add SMPP Option',
    default: {},
    description: 'Fields of the SMPP submit that only some carriers need; a GSM modem ignores them',
    options: smppMessageOptions,
    ...extra,
  };
}
