import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { gsmModemApiTest } from '../../src/transport/modem/credential-test';
import { smsGatewayRedisTest } from '../shared/redis-credential-test';
import { smppApiTest } from '../shared/smpp-credential-test';
import { smppServerApiTest } from './server-credential-test';
import { startInboundTrigger, triggerStartError } from './start-inbound-trigger';
import { triggerProperties } from './trigger-properties';

/**
 * Starts a workflow on every inbound SMS (long messages joined into one event) and every
 * delivery receipt (from an SMPP carrier or a GSM modem); or, in SMPP server mode, on every
 * message your own applications submit.
 * The node is a router: settings in trigger-settings.ts, sources in sources/, the protocol and
 * event logic in src/inbound and src/transport/smpp/server.
 */
export class SmsTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'SMS Trigger',
    name: 'smsTrigger',
    icon: { light: 'file:sms-trigger.svg', dark: 'file:sms-trigger.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{ $parameter["source"] === "server" ? "SMPP server, port " + $parameter["port"] : $parameter["source"] === "modem" ? "GSM modem" : "SMPP carrier" }}',
    description: 'Starts the workflow when an SMS or a delivery receipt arrives (SMPP carrier, SMPP server or GSM modem)',
    eventTriggerDescription: 'Waiting for an SMS or a delivery receipt',
    activationMessage: 'Incoming SMS and delivery receipts will now start this workflow.',
    defaults: { name: 'SMS Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [
      { name: 'smppApi', required: true, testedBy: 'smppApiTest', displayOptions: { show: { source: ['carrier'] } } },
      { name: 'smppServerApi', required: true, testedBy: 'smppServerApiTest', displayOptions: { show: { source: ['server'] } } },
      { name: 'gsmModemApi', required: true, testedBy: 'gsmModemApiTest', displayOptions: { show: { source: ['modem'] } } },
      // A saved credential type's name cannot change; like n8n's own Redis credential it has no "Api" suffix.
      // eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
      { name: 'smsGatewayRedis', required: true, testedBy: 'smsGatewayRedisTest', displayOptions: { show: { stateStore: ['redis'] } } },
    ],
    properties: triggerProperties,
  };

  methods = { credentialTest: { smppApiTest, smppServerApiTest, gsmModemApiTest, smsGatewayRedisTest } };

  async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
    try {
      return await startInboundTrigger(this);
    } catch (err) {
      throw triggerStartError(this, err);
    }
  }
}
