import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { GSM_MODEM_SLOT, SMPP_CARRIER_SLOT, SMPP_SERVER_SLOT, SMS_GATEWAY_REDIS_SLOT } from '../shared/description/credential-slots';
import { TRANSPORT_CREDENTIAL_TESTS } from '../shared/description/credential-tests';
import { smppServerApiTest } from './server-credential-test';
import { startInboundTrigger, triggerError } from './inbound.trigger';
import { triggerProperties } from './trigger-properties';
import { WITH_REDIS_STORE } from '../shared/state/state-stores';

/**
 * Starts a workflow on every inbound SMS (long messages joined into one event) and every
 * delivery receipt (from an SMPP carrier or a GSM modem); or, in SMPP server mode, on every
 * message your own applications submit.
 * The node is a router: its start in inbound.trigger.ts, settings in trigger-settings.ts, sources
 * in sources/, the protocol and event logic in src/inbound and src/transport/smpp/server.
 */
export class SmsTrigger implements INodeType {
  description: INodeTypeDescription = {
    // n8n lists triggers by app, without the word "Trigger": this one appears as "SMS Gateway".
    displayName: 'SMS Gateway Trigger',
    name: 'smsTrigger',
    icon: { light: 'file:sms-trigger.svg', dark: 'file:sms-trigger.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle:
      '={{ $parameter["source"] === "server" ? "SMPP server, port " + $parameter["port"] : $parameter["source"] === "modem" ? "GSM modem" : "SMPP carrier" }}',
    description: 'Starts the workflow when an SMS or a delivery receipt arrives (SMPP carrier, SMPP server or GSM modem)',
    eventTriggerDescription: 'Waiting for an SMS or a delivery receipt',
    activationMessage: 'Incoming SMS and delivery receipts will now start this workflow.',
    defaults: { name: 'SMS Gateway Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    // Labels from shared/description/credential-slots.ts; `name` and `testedBy` stay literal here,
    // where n8n's lint reads them (docs/ARCHITECTURE.md, "Node descriptions"). One slot per
    // Source, by `hide` conditions (test/nodes/editor-layout.test.ts has the editor's rules).
    credentials: [
      { name: 'smppApi', ...SMPP_CARRIER_SLOT, testedBy: 'smppApiTest', displayOptions: { hide: { source: ['server', 'modem'] } } },
      { name: 'smppServerApi', ...SMPP_SERVER_SLOT, testedBy: 'smppServerApiTest', displayOptions: { hide: { source: ['carrier', 'modem'] } } },
      { name: 'gsmModemApi', ...GSM_MODEM_SLOT, testedBy: 'gsmModemApiTest', displayOptions: { hide: { source: ['carrier', 'server'] } } },
      { name: 'smsGatewayRedisApi', ...SMS_GATEWAY_REDIS_SLOT, testedBy: 'smsGatewayRedisApiTest', displayOptions: WITH_REDIS_STORE },
    ],
    properties: triggerProperties,
  };

  methods = { credentialTest: { ...TRANSPORT_CREDENTIAL_TESTS, smppServerApiTest } };

  async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
    try {
      return await startInboundTrigger(this);
    } catch (err) {
      throw triggerError(this, err);
    }
  }
}
