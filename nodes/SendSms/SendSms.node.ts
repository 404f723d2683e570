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
import { idempotencyKeyOption } from './idempotency';
import { getDeliveryStatus, getDeliveryStatusProperties } from './get-delivery-status.operation';
import { reportToApplicationOption, sendApplicationReceipt, sendApplicationReceiptProperties } from './application-receipt';
import { receiptSettleProperty } from '../shared/delivery-summary';
import { maxToolRecipientsProperty } from '../shared/agent-tool';

const sendOnly = { show: { operation: ['send'] } };

export class SendSms implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Send SMS',
    name: 'sendSms',
    icon: { light: 'file:sms.svg', dark: 'file:sms.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{ $parameter["operation"] === "getDeliveryStatus" ? "delivery status" : "to " + $parameter["to"] }}',
    description: 'Send an SMS through your own carrier (SMPP) or a GSM modem',
    defaults: { name: 'Send SMS' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    // n8n asks only for the credentials whose displayOptions match the Transport and State Store.
    credentials: [
      { name: 'smppApi', required: true, testedBy: 'smppApiTest', displayOptions: { show: { transport: ['smpp', 'failover'], operation: ['send', 'getDeliveryStatus'] } } },
      { name: 'gsmModemApi', required: true, testedBy: 'gsmModemApiTest', displayOptions: { show: { transport: ['modem', 'failover'], operation: ['send'] } } },
      // A saved credential type's name cannot change; like n8n's own Redis credential it has no "Api" suffix.
      // eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
      { name: 'smsGatewayRedis', required: true, testedBy: 'smsGatewayRedisTest', displayOptions: { show: { stateStore: ['redis'] } } },
    ],
    properties: [
      {
        displayName: 'Operation', name: 'operation', type: 'options', noDataExpression: true, default: 'send',
        options: [
          { name: 'Get Delivery Status', value: 'getDeliveryStatus', action: 'Get the delivery status of sent messages', description: 'The latest delivery receipt of each message ID Send SMS returned' },
          { name: 'Send', value: 'send', action: 'Send an SMS' },
          {
            name: 'Send Receipt to Application', value: 'sendApplicationReceipt', action: 'Send a delivery receipt to an SMPP application',
            description: 'Answer a message an application submitted to the SMS Trigger (SMPP server) with a status of your own, e.g. REJECTD when the workflow filtered it out',
          },
        ],
      },
      // No displayOptions on the parameters the credentials' displayOptions name (transport,
      // operation, stateStore): n8n's editor hides every parameter those name in theirs.
      transportProperty,
      { displayName: 'To', name: 'to', type: 'string', default: '', required: true, placeholder: '+447700900123', description: 'Phone number, or several separated by commas; national numbers use the default country', displayOptions: sendOnly },
      ...fromProperties({ operation: ['send'] }),
      { displayName: 'Message', name: 'message', type: 'string', default: '', required: true, typeOptions: { rows: 4 }, displayOptions: sendOnly },
      {
        displayName: 'Wait for Delivery Receipt', name: 'waitForReceipt', type: 'boolean', default: false, displayOptions: sendOnly,
        description: 'Whether to wait until the carrier (or the modem\'s status reports) confirms delivery of every part (adds a "delivery" field)',
      },
      {
        displayName: 'Receipt Timeout (Seconds)', name: 'receiptTimeoutSeconds', type: 'number', default: 60, typeOptions: { minValue: 1 },
        displayOptions: { show: { operation: ['send'], waitForReceipt: [true] } },
      },
      receiptSettleProperty({ operation: ['send'], waitForReceipt: [true] }),
      ...getDeliveryStatusProperties,
      ...sendApplicationReceiptProperties,
      stateStoreProperty,
      {
        displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions: sendOnly,
        options: [
          ...messageOptions,
          reportToApplicationOption,
          { displayName: 'Skip Opted-Out Numbers', name: 'skipOptedOut', type: 'boolean', default: true, description: 'Whether to skip numbers that replied STOP (the SMS Trigger keeps the list). Turn off only for messages the recipient must get, such as security codes. Always on when an AI agent calls this node as a tool.' },
          { displayName: 'Opt-Out List', name: 'optOutList', type: 'string', default: 'default', description: 'The opt-out list the SMS Trigger maintains' },
          idempotencyKeyOption,
        ],
      },
      { ...maxToolRecipientsProperty, displayOptions: { show: { '@tool': [true], operation: ['send'] } } },
    ],
  };

  methods = { credentialTest: { smppApiTest, gsmModemApiTest, smsGatewayRedisTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    let plan: SenderPlan | undefined;
    try {
      const operation = this.getNodeParameter('operation', 0, 'send');
      if (operation === 'getDeliveryStatus') return [await getDeliveryStatus(this, items)];
      if (operation === 'sendApplicationReceipt') return [await sendApplicationReceipt(this, items)];
      plan = await readSenderPlan(this);
      return [await sendSmsItems(this, items, plan)];
    } catch (err) {
      throw sendSmsError(this, plan, err);
    }
  }
}

export type { IDataObject };
