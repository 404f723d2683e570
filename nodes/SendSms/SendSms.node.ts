import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { messageOptions } from '../shared/send-options';
import { redisCredentialDescription, stateStoreProperty } from '../shared/state-stores';
import { smppApiTest } from '../shared/smpp-credential-test';
import { FieldError } from '../shared/field-error';
import { fromProperties, readSenderPlan, transportCredentials, transportProperty } from '../shared/sender-transport';
import type { SenderPlan } from '../shared/sender-transport';
import { gsmModemApiTest } from '../../src/transport/modem/credential-test';
import { sendSmsItems } from './send-sms-items';

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
    credentials: [...transportCredentials(), redisCredentialDescription],
    properties: [
      transportProperty,
      { displayName: 'To', name: 'to', type: 'string', default: '', required: true, placeholder: '+447700900123', description: 'Phone number, or several separated by commas; national numbers use the default country' },
      ...fromProperties(),
      { displayName: 'Message', name: 'message', type: 'string', default: '', required: true, typeOptions: { rows: 4 } },
      {
        displayName: 'Wait for Delivery Receipt', name: 'waitForReceipt', type: 'boolean', default: false,
        description: 'Whether to wait until the carrier reports delivery of every part (adds a "delivery" field). With failover, messages the modem sent are not tracked.',
        displayOptions: { show: { transport: ['smpp', 'failover'] } },
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

  methods = { credentialTest: { smppApiTest, gsmModemApiTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    let plan: SenderPlan | undefined;
    try {
      plan = await readSenderPlan(this);
      return [await sendSmsItems(this, items, plan)];
    } catch (err) {
      if (err instanceof NodeOperationError) throw err;
      if (err instanceof FieldError) throw new NodeOperationError(this.getNode(), err.message, { description: `Check the "${err.field}" field of the credential` });
      throw new NodeOperationError(this.getNode(), err as Error, { description: plan?.transport === 'modem' ? 'The GSM modem could not be used' : 'The SMPP connection could not be used' });
    }
  }
}

export type { IDataObject };
