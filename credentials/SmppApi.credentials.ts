import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { customTlvsProperty } from '../nodes/shared/sending/send-options';

/**
 * An SMPP 3.4 account at a carrier (or the sandbox SMSC). Tested by binding: see
 * nodes/shared/credentials/smpp-credential-test.ts (`testedBy: 'smppApiTest'` on every node that uses it).
 */
/** TLVs the carrier wants in every message of this account (India DLT: the entity ID, 0x1400). */
function customTlvs(): INodeProperties {
  return customTlvsProperty(
    "Optional parameters your carrier or regulator asks for in every message of this account (e.g. India DLT: 0x1400 entity ID), sent with every part. A node's own Custom TLVs (SMPP Options) replace the ones of the same tag.",
  );
}

export class SmppApi implements ICredentialType {
  name = 'smppApi';
  // Not an HTTP API: n8n's own non-HTTP credentials (Redis, Postgres, MQTT, SSH) have no "API"
  // suffix either, and the messages and docs call it by this name.
  // eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
  displayName = 'SMPP Carrier';
  icon: Icon = { light: 'file:smpp-carrier.svg', dark: 'file:smpp-carrier.dark.svg' };
  documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#smpp-carrier-credential';
  properties: INodeProperties[] = [
    { displayName: 'Host', name: 'host', type: 'string', default: 'localhost', required: true, placeholder: 'smpp.carrier.example' },
    { displayName: 'Port', name: 'port', type: 'number', default: 2775, required: true, description: 'Usually 2775 (plain) or 3550 (TLS)' },
    { displayName: 'TLS', name: 'tls', type: 'boolean', default: false, description: 'Whether to connect over TLS' },
    {
      displayName: 'Allow Self-Signed Certificates',
      name: 'allowSelfSigned',
      type: 'boolean',
      default: false,
      description:
        'Whether to accept a certificate no trusted authority signed (self-signed or a private CA). Expired certificates and, unless turned off below, certificates for another host are still refused. Only for servers you trust.',
      displayOptions: { show: { tls: [true] } },
    },
    {
      displayName: 'Check Hostname',
      name: 'checkHostname',
      type: 'boolean',
      default: true,
      description:
        'Whether the certificate must name the Host above. Turn off only to connect by an address the certificate does not list, to a server you trust.',
      displayOptions: { show: { tls: [true] } },
    },
    { displayName: 'System ID', name: 'systemId', type: 'string', default: '', required: true, description: 'The SMPP login (system_id) the carrier gave you' },
    { displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '', required: true },
    { displayName: 'System Type', name: 'systemType', type: 'string', default: '', description: 'Only if your carrier asks for one' },
    {
      displayName: 'Bind Mode',
      name: 'bindMode',
      type: 'options',
      default: 'transceiver',
      options: [
        { name: 'Transceiver (Send and Receive)', value: 'transceiver' },
        { name: 'Transmitter (Send Only)', value: 'transmitter' },
        { name: 'Receiver (Receive Only)', value: 'receiver' },
      ],
      description: 'Transceiver shares one bind between sending nodes and the SMS Trigger; carriers often allow only a few binds',
    },
    {
      displayName: 'Default Sender',
      name: 'sourceAddress',
      type: 'string',
      default: '',
      placeholder: 'MyCompany or +447400123456',
      description: 'Used when a node leaves "From" empty: an alphanumeric ID (max 11 characters), a short code or a number',
    },
    {
      displayName: 'Sender TON/NPI',
      name: 'sourceTonNpi',
      type: 'options',
      default: 'auto',
      options: [
        { name: 'Automatic (From the Sender Format)', value: 'auto' },
        { name: 'Alphanumeric (5/0)', value: '5/0' },
        { name: 'International (1/1)', value: '1/1' },
        { name: 'National (2/1)', value: '2/1' },
        { name: 'Network Specific / Short Code (3/0)', value: '3/0' },
        { name: 'Unknown (0/1)', value: '0/1' },
      ],
    },
    {
      displayName: 'Default Country',
      name: 'defaultCountry',
      type: 'string',
      default: '',
      placeholder: 'GB',
      description: 'ISO country code used to read national numbers (e.g. 07400 123456 in GB)',
    },
    {
      displayName: 'Messages per Second (TPS)',
      name: 'tps',
      type: 'number',
      default: 10,
      typeOptions: { minValue: 0, numberPrecision: 0 },
      description:
        "Your contract's throughput limit; never exceeded in any one-second window. 0 means no limit. Nodes whose State Store is Redis share it across n8n processes (queue mode) through their SMS Gateway Redis credential.",
    },
    {
      displayName: 'TPS per Sender ID',
      name: 'senderTps',
      type: 'string',
      default: '',
      placeholder: 'MyBrand=10, 60777=5',
      description:
        "Optional: at most this many messages per second from each sender ID listed (SENDER=TPS, separated by commas), within Messages per Second. Senders not listed have the account's limit only. Counted in each n8n process.",
    },
    {
      displayName: 'Binds',
      name: 'binds',
      type: 'number',
      default: 1,
      typeOptions: { minValue: 1, maxValue: 32, numberPrecision: 0 },
      description:
        'Connections each n8n process opens to this account; messages are spread across them (the Window Size is per bind, Messages per Second for them all). Carriers limit binds per account: with queue mode every process opens this many, so the account sees Binds x processes unless Max Binds Across Processes caps it.',
    },
    {
      displayName: 'Max Binds Across Processes',
      name: 'maxBindsAcrossProcesses',
      type: 'number',
      default: 0,
      typeOptions: { minValue: 0, numberPrecision: 0 },
      description:
        'The most binds your carrier allows for this account across all n8n processes (main and workers); 0 means no cap. Counted in Redis by nodes whose State Store is Redis: a process that stops frees its binds within 15 seconds. Counted per account: the address Host resolves to, Port and System ID (so localhost and 127.0.0.1 count together).',
    },
    {
      displayName: 'Window Size',
      name: 'windowSize',
      type: 'number',
      default: 10,
      typeOptions: { minValue: 1 },
      description: 'Max messages sent without an answer yet, per bind. Higher is faster on slow links; ask your carrier.',
    },
    {
      displayName: 'Enquire Link Interval (Seconds)',
      name: 'enquireLinkSeconds',
      type: 'number',
      default: 30,
      typeOptions: { minValue: 0 },
      description: 'Keep-alive interval; 0 turns it off',
    },
    { displayName: 'Response Timeout (Seconds)', name: 'responseTimeoutSeconds', type: 'number', default: 10, typeOptions: { minValue: 1 } },
    {
      displayName: 'Message IDs in Receipts',
      name: 'receiptIdFormat',
      type: 'options',
      default: 'same',
      options: [
        { name: 'As in submit_sm_resp', value: 'same', description: 'The receipt names the message ID the carrier answered the submit with' },
        { name: 'Hex (submit_sm_resp Is Decimal)', value: 'hex', description: 'The carrier answers with a decimal ID and writes it in hex in receipts' },
        { name: 'Decimal (submit_sm_resp Is Hex)', value: 'decimal', description: 'The carrier answers with a hex ID and writes it in decimal in receipts' },
        {
          name: 'Learn From the Receipts',
          value: 'learn',
          description: "Exact IDs until a receipt shows the carrier's way (one with receipted_message_id beside its text)",
        },
      ],
      description:
        "How delivery receipts name the messages you sent. Another reading than the exact ID is used only when set or learned, so two messages can never take each other's receipt.",
    },
    customTlvs(),
    // Credentials saved before Redis moved to the SMS Gateway Redis credential may hold these: n8n
    // hands a node only the fields a credential type declares, so they stay declared (hidden) and
    // such a credential keeps sharing its TPS budget and receipts as it was set up. New credentials never set them.
    { displayName: 'Share via Redis (Older Credentials)', name: 'useRedis', type: 'hidden', default: false },
    { displayName: 'Redis Host (Older Credentials)', name: 'redisHost', type: 'hidden', default: '' },
    { displayName: 'Redis Port (Older Credentials)', name: 'redisPort', type: 'hidden', default: 6379 },
    { displayName: 'Redis Password (Older Credentials)', name: 'redisPassword', type: 'hidden', typeOptions: { password: true }, default: '' },
    { displayName: 'Redis Database (Older Credentials)', name: 'redisDb', type: 'hidden', default: 0 },
  ];
}
