import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import {
  GSM_MODEM_SLOT,
  modemSlotDisplay,
  SMPP_CARRIER_SLOT,
  SMS_GATEWAY_POSTGRES_SLOT,
  SMS_GATEWAY_REDIS_SLOT,
  smppSlotDisplay,
} from '../shared/description/credential-slots';
import { BROADCAST_CREDENTIAL_TESTS } from '../shared/description/credential-tests';
import { TRANSPORT_WORDS, words } from '../shared/description/subtitle';
import { executeBroadcastAlert } from './router';
import { broadcastV1Properties } from './properties-v1';
import { broadcastV2Properties } from './properties-v2';
import { WITH_REDIS_STORE } from '../shared/state/state-stores';
import { WITH_POSTGRES_SOURCE } from './broadcast-fields';

// Version 1 names what it does in one "Channel" parameter; version 2 has Resource and Operation.
const V1_WORDS = words(
  'channel',
  {
    cellBroadcast: 'send cell broadcast',
    both: 'send SMS and cell broadcast',
    cellBroadcastQuery: 'query cell broadcast',
    cellBroadcastCancel: 'cancel cell broadcast',
  },
  'send SMS',
);
const WHAT = words('resource', { cellBroadcast: 'cell broadcast', both: 'SMS and cell broadcast' }, 'SMS');
const V2_WORDS = `$parameter["operation"] + " " + ${WHAT} + ($parameter["resource"] === "sms" ? " by " + ${TRANSPORT_WORDS} : "")`;

/**
 * Broadcast Alert (type bulkAlertBroadcast): one alert to thousands of phones by SMS, or to every
 * phone in an area by cell broadcast. Version 2 splits version 1's "Channel" into resource and
 * operation; both run on the same code (router.ts), and saved version 1 nodes keep theirs.
 */
export class BulkAlertBroadcast implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Broadcast Alert',
    name: 'bulkAlertBroadcast',
    icon: { light: 'file:alert.svg', dark: 'file:alert.dark.svg' },
    group: ['output'],
    version: [1, 2],
    defaultVersion: 2,
    subtitle: `={{ ($parameter["resource"] ? ${V2_WORDS} : ${V1_WORDS}) + ($parameter["resource"] !== "cellBroadcast" && $parameter["channel"] !== "cellBroadcast" && $parameter["dryRun"] ? " (dry run)" : "") }}`,
    description: 'Send one alert to thousands of phones (SMS: deduplicated, opt-outs respected, resumable) or to an area (cell broadcast)',
    defaults: { name: 'Broadcast Alert' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    // Labels and conditions from shared/description/credential-slots.ts; `name` and `testedBy` stay
    // literal here, where n8n's lint reads them (docs/ARCHITECTURE.md, "Node descriptions").
    credentials: [
      { name: 'smppApi', ...SMPP_CARRIER_SLOT, testedBy: 'smppApiTest', displayOptions: smppSlotDisplay() },
      // Cell broadcast goes by SMPP only: no modem slot for it (version 1: Channel; 2: Resource).
      {
        name: 'gsmModemApi',
        ...GSM_MODEM_SLOT,
        testedBy: 'gsmModemApiTest',
        displayOptions: modemSlotDisplay({ channel: ['cellBroadcast', 'cellBroadcastQuery', 'cellBroadcastCancel'], resource: ['cellBroadcast'] }),
      },
      { name: 'smsGatewayRedisApi', ...SMS_GATEWAY_REDIS_SLOT, testedBy: 'smsGatewayRedisApiTest', displayOptions: WITH_REDIS_STORE },
      { name: 'smsGatewayPostgresApi', ...SMS_GATEWAY_POSTGRES_SLOT, testedBy: 'smsGatewayPostgresApiTest', displayOptions: WITH_POSTGRES_SOURCE },
    ],
    properties: [...broadcastV1Properties, ...broadcastV2Properties],
  };

  methods = { credentialTest: BROADCAST_CREDENTIAL_TESTS };

  execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return executeBroadcastAlert(this);
  }
}
