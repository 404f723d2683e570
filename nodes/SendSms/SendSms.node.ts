import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { messageOptions } from '../shared/send-options';
import { stateStoreProperty } from '../shared/state-stores';
import { smppApiTest } from '../shared/smpp-credential-test';
import { smsGatewayRedisTest } from '../shared/redis-credential-test';
import { fromProperties, readSenderPlan, transportProperty } from '../shared/sender-transport';
import type { SenderPlan } from '../shared/sender-transport';
import { gsmModemApiTest } from '../../src/transport/modem/credential-test';
import { sendSmsError, sendSmsItems } from './send-sms-items';

export class SendSms implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Send SMS',
    name: 'sendSms',
    icon: { light: 'file:sms.svg', dark: 'file:sms.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{"to " + $parameter["to"]}}',
    description: 'Send an SMS through your own carrier (SMPP) or a GSM modem',
    defaults: { name: 'Send SMS' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    // n8n asks only for the credentials whose displayOptions match the Transport and State Store.
    credentials: [
      { name: 'smppApi', required: true, testedBy: 'smppApiTest', displayOptions: { show: { transport: ['smpp', 'failover'] } } },
      { name: 'gsmModemApi', required: true, testedBy: 'gsmModemApiTest', displayOptions: { show: { transport: ['modem', 'failover'] } } },
      // A saved credential type's name cannot change; like n8n's own Redis credential it has no "Api" suffix.
      // eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
      { name: 'smsGatewayRedis', required: true, testedBy: 'smsGatewayRedisTest', displayOptions: { show: { stateStore: ['redis'] } } },
    ],
    properties: [
      transportProperty,
      { displayName: 'To', name: 'to', type: 'string', default: '', required: true, placeholder: '+447700900123', description: 'Phone number, or several separated by commas; national numbers use the default country' },
      ...fromProperties(),
      { displayName: 'Message', name: 'message', type: 'string', default: '', required: true, typeOptions: { rows: 4 } },
      {
        displayName: 'Wait for Delivery Receipt', name: 'waitForReceipt', type: 'boolean', default: false,
        description: 'Whether to wait until the carrier (or the modem\'s status reports) confirms delivery of every part (adds a "delivery" field)',
      },
      {
        displayName: 'Receipt Timeout (Seconds)', name: 'receiptTimeoutSeconds', type: 'number', default: 60, typeOptions: { minValue: 1 },
        displayOptions: { show: { waitForReceipt: [true] } },
      },
      stateStoreProperty,
      {
        displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {},
        options: [
          ...messageOptions,
          { displayName: 'Skip Opted-Out Numbers', name: 'skipOptedOut', type: 'boolean', default: true, description: 'Whether to skip numbers that replied STOP (the SMS Trigger keeps the list). Turn off only for messages the recipient must get, such as security codes.' },
          { displayName: 'Opt-Out List', name: 'optOutList', type: 'string', default: 'default', description: 'The opt-out list the SMS Trigger maintains' },
        ],
      },
    ],
  };

  methods = { credentialTest: { smppApiTest, gsmModemApiTest, smsGatewayRedisTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    let plan: SenderPlan | undefined;
    try {
      plan = await readSenderPlan(this);
      return [await sendSmsItems(this, items, plan)];
    } catch (err) {
      throw sendSmsError(this, plan, err);
    }
  }
}

export type { IDataObject };
