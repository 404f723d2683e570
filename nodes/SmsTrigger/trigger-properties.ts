import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_START_KEYWORDS, DEFAULT_STOP_KEYWORDS } from '../../src/inbound';
import { stateStoreProperty } from '../shared/state/state-stores';

const serverOnly = { show: { source: ['server'] } };
// Inside the Options collection a plain name means a sibling option; '/source' is the node's Source.
// With plain 'source', n8n dropped these options when it resolved the parameters (they never took effect).
const carrierOnlyOption = { show: { '/source': ['carrier'] } };
const serverOnlyOption = { show: { '/source': ['server'] } };

/** The SMS Trigger's parameters; read back in trigger-settings.ts. */
export const triggerProperties: INodeProperties[] = [
  {
    displayName: 'Source',
    name: 'source',
    type: 'options',
    noDataExpression: true,
    default: 'carrier',
    options: [
      {
        name: 'SMPP Carrier',
        value: 'carrier',
        description: 'Messages and delivery receipts your carrier delivers on your SMPP account (shares the bind with Send SMS)',
      },
      {
        name: 'SMPP Server (Your Applications Bind Here)',
        value: 'server',
        description: 'Listen on a port; your own applications bind and submit messages, each becomes an event',
      },
      { name: 'GSM Modem', value: 'modem', description: 'Texts and status reports the SIM in your modem receives (shares the port with Send SMS)' },
    ],
  },
  {
    displayName: 'Listen Address',
    name: 'host',
    type: 'string',
    default: '0.0.0.0',
    displayOptions: serverOnly,
    description: '0.0.0.0 listens on every interface; 127.0.0.1 only for applications on this machine',
  },
  { displayName: 'Port', name: 'port', type: 'number', default: 2775, typeOptions: { minValue: 0, maxValue: 65535 }, displayOptions: serverOnly },
  {
    displayName: 'Events',
    name: 'events',
    type: 'multiOptions',
    default: ['message', 'receipt'],
    options: [
      { name: 'Incoming Message', value: 'message', description: 'A text from a phone (long messages are joined into one event)' },
      { name: 'Delivery Receipt', value: 'receipt', description: "The carrier's report on a message you sent; one per part of a long message" },
    ],
    description: 'Which events start the workflow (SMPP server mode has messages only)',
  },
  {
    displayName: 'Only From',
    name: 'senderFilter',
    type: 'string',
    default: '',
    placeholder: '+447400123456, +447400123457',
    description: 'Only messages from these numbers (comma-separated); empty accepts every sender',
  },
  {
    displayName: 'Keyword Filter',
    name: 'keywordMatch',
    type: 'options',
    noDataExpression: true,
    default: 'none',
    options: [
      { name: 'None', value: 'none', description: 'Every message' },
      { name: 'Exact Keyword', value: 'exact', description: 'The whole text is one of the keywords (case-insensitive)' },
      { name: 'Starts With', value: 'startsWith', description: 'The text starts with one of the keywords (case-insensitive)' },
      { name: 'Regular Expression', value: 'regex', description: 'The text matches a regular expression (case-insensitive)' },
    ],
    description: 'Keyword filters apply to messages; receipts pass by event type only',
  },
  {
    displayName: 'Keywords',
    name: 'keywords',
    type: 'string',
    default: '',
    placeholder: 'INFO, HELP',
    displayOptions: { show: { keywordMatch: ['exact', 'startsWith'] } },
    description: 'Comma-separated',
  },
  {
    displayName: 'Regular Expression',
    name: 'keywordRegex',
    type: 'string',
    default: '',
    placeholder: '^order\\s+\\d+',
    displayOptions: { show: { keywordMatch: ['regex'] } },
  },
  {
    displayName: 'Handle Opt-Out Keywords',
    name: 'handleOptOut',
    type: 'boolean',
    default: true,
    description:
      'Whether STOP-like replies add the sender to an opt-out list and START-like replies remove them (Send SMS and Broadcast Alert skip opted-out numbers)',
  },
  {
    displayName: 'Opt-Out List',
    name: 'optOutList',
    type: 'string',
    default: 'default',
    displayOptions: { show: { handleOptOut: [true] } },
    description: 'The list name Send SMS and Broadcast Alert check',
    hint: 'A name, not a setting: another name (or a typo) is a separate, empty list',
  },
  {
    displayName: 'Opt-Out Keywords',
    name: 'stopKeywords',
    type: 'string',
    default: DEFAULT_STOP_KEYWORDS.join(', '),
    displayOptions: { show: { handleOptOut: [true] } },
    description: 'Comma-separated; the whole reply must be one of them (case and trailing punctuation ignored)',
  },
  {
    displayName: 'Opt-In Keywords',
    name: 'startKeywords',
    type: 'string',
    default: DEFAULT_START_KEYWORDS.join(', '),
    displayOptions: { show: { handleOptOut: [true] } },
    description: 'Comma-separated',
  },
  // Shown for every source: opt-outs, the carrier's delivery receipts (shared with the workers that wait
  // for them) and, in SMPP server mode, the receipts your applications ask for.
  {
    ...stateStoreProperty,
    description:
      'Where opt-outs and delivery receipts are kept (those the carrier sends, and in SMPP server mode those your applications ask for). Redis shares them with every n8n process (queue mode).',
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    options: [
      {
        displayName: 'Acknowledge',
        name: 'acknowledge',
        type: 'options',
        default: 'workflowDone',
        options: [
          { name: 'When the Workflow Finished (Durable)', value: 'workflowDone', description: 'The carrier redelivers if n8n stops before the execution ends' },
          { name: 'When the Event Is Emitted (Fastest)', value: 'emitted', description: 'Acknowledge as soon as n8n has the event' },
        ],
        description: 'When the carrier (or your application) is told the message arrived',
      },
      {
        displayName: 'Acknowledge Timeout (Seconds)',
        name: 'ackTimeoutSeconds',
        type: 'number',
        default: 30,
        typeOptions: { minValue: 1 },
        description: 'With "When the Workflow Finished": acknowledge anyway after this long, before the carrier gives up and resends',
      },
      {
        displayName: 'Bind Mode',
        name: 'bindMode',
        type: 'options',
        default: 'credential',
        displayOptions: carrierOnlyOption,
        options: [
          { name: 'As in the Credential', value: 'credential' },
          {
            name: 'Receiver (Separate Bind)',
            value: 'receiver',
            description: 'A receive-only bind of its own, e.g. when workers bind as transmitters (queue mode)',
          },
          { name: 'Transceiver', value: 'transceiver' },
        ],
      },
      {
        displayName: 'Bind Timeout (Seconds)',
        name: 'bindTimeoutSeconds',
        type: 'number',
        default: 5,
        typeOptions: { minValue: 0.1, maxValue: 300, numberPrecision: 1 },
        displayOptions: serverOnlyOption,
        description: 'A connection that has not bound by then is closed, so silent sockets cannot hold the slots',
      },
      {
        displayName: 'Default Country',
        name: 'defaultCountry',
        type: 'string',
        default: '',
        placeholder: 'GB',
        description: "ISO code for reading national numbers; empty uses the credential's (SMPP Carrier or GSM Modem)",
      },
      {
        displayName: 'Incomplete Message Timeout (Seconds)',
        name: 'reassemblyTimeoutSeconds',
        type: 'number',
        default: 60,
        typeOptions: { minValue: 0.01, numberPrecision: 2 },
        description: 'How long to wait for the missing parts of a long message before emitting what arrived (marked incomplete)',
      },
      {
        displayName: 'Max Connections',
        name: 'maxConnections',
        type: 'number',
        default: 50,
        typeOptions: { minValue: 1, maxValue: 10000 },
        displayOptions: serverOnlyOption,
        description: 'Connections at once, counted from the moment they are accepted (TLS handshakes included)',
      },
      {
        displayName: 'Max Connections per Address',
        name: 'maxConnectionsPerAddress',
        type: 'number',
        default: 10,
        typeOptions: { minValue: 1, maxValue: 1000 },
        displayOptions: serverOnlyOption,
        description: 'Connections at once from one IP address (an IPv6 /64 counts as one), so one client cannot take every slot',
      },
      {
        displayName: 'Max Unfinished Long Messages',
        name: 'maxPendingMessages',
        type: 'number',
        default: 1000,
        typeOptions: { minValue: 1 },
        description: 'Beyond this, the oldest unfinished message is emitted as incomplete (bounds memory)',
      },
      {
        displayName: 'TLS Handshake Timeout (Seconds)',
        name: 'tlsHandshakeTimeoutSeconds',
        type: 'number',
        default: 5,
        typeOptions: { minValue: 0.1, maxValue: 120, numberPrecision: 1 },
        displayOptions: serverOnlyOption,
        description: 'With a TLS credential: a connection that has not finished its TLS handshake by then is closed',
      },
      {
        displayName: 'Trust STOP/START From This Account',
        name: 'trustOptOutFromServer',
        type: 'boolean',
        default: false,
        displayOptions: serverOnlyOption,
        description:
          'Whether STOP/START texts your application submits update the opt-out list. Off: they are ordinary messages, since the application chooses the sender number it claims.',
      },
      {
        displayName: 'Window per Connection',
        name: 'windowPerConnection',
        type: 'number',
        default: 100,
        typeOptions: { minValue: 1 },
        displayOptions: serverOnlyOption,
        description: 'Messages one application may have unanswered; beyond it the server stops reading until answers go out',
      },
    ],
  },
];
