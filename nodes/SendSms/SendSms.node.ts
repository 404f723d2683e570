import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { messageOptions } from '../shared/send-options';
import { smppApiTest } from '../shared/smpp-credential-test';
import { sendSmsItems } from './send-sms-items';

export class SendSms implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Send SMS',
    name: 'sendSms',
    icon: { light: 'file:sms.svg', dark: 'file:sms.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{"to " + $parameter["to"]}}',
    description: 'Send an SMS through your own carrier (SMPP)',
    defaults: { name: 'Send SMS' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'smppApi', required: true, testedBy: 'smppApiTest' }],
    properties: [
      { displayName: 'To', name: 'to', type: 'string', default: '', required: true, placeholder: '+447700900123', description: 'Phone number, or several separated by commas; national numbers use the default country' },
      { displayName: 'From', name: 'from', type: 'string', default: '', placeholder: 'MyCompany', description: 'Sender ID, short code or number; empty uses the credential\'s default sender' },
      { displayName: 'Message', name: 'message', type: 'string', default: '', required: true, typeOptions: { rows: 4 } },
      {
        displayName: 'Wait for Delivery Receipt', name: 'waitForReceipt', type: 'boolean', default: false,
        description: 'Whether to wait until the carrier reports delivery of every part (adds a "delivery" field)',
      },
      {
        displayName: 'Receipt Timeout (Seconds)', name: 'receiptTimeoutSeconds', type: 'number', default: 60, typeOptions: { minValue: 1 },
        displayOptions: { show: { waitForReceipt: [true] } },
      },
      { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: messageOptions },
    ],
  };

  methods = { credentialTest: { smppApiTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const credential = await this.getCredentials('smppApi');
    try {
      return [await sendSmsItems(this, items, credential)];
    } catch (err) {
      if (err instanceof NodeOperationError) throw err;
      throw new NodeOperationError(this.getNode(), err as Error, { description: 'The SMPP connection could not be used' });
    }
  }
}

export type { IDataObject };
