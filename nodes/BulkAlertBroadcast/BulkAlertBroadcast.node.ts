import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { receiptSettleProperty } from '../shared/delivery-summary';
import { messageOptions } from '../shared/send-options';
import { smsGatewayRedisTest } from '../shared/redis-credential-test';
import { smppApiTest } from '../shared/smpp-credential-test';
import { fromProperties, transportProperty } from '../shared/sender-transport';
import { gsmModemApiTest } from '../../src/transport/modem/credential-test';
import { stateStoreProperty } from '../shared/state-stores';
import { maxToolRecipientsProperty, runsAsAgentTool } from '../shared/agent-tool';
import { broadcastError } from './broadcast-error';
import { executeBroadcast } from './execute-broadcast';
import { repeatOptions } from './repeat-options';
import { executeCellBroadcast } from './cell-broadcast-execute';
import { withCellBroadcast } from './cell-broadcast-properties';
import type { BroadcastChannel } from './cell-broadcast-properties';

export class BulkAlertBroadcast implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Bulk Alert Broadcast',
    name: 'bulkAlertBroadcast',
    icon: { light: 'file:alert.svg', dark: 'file:alert.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{$parameter["dryRun"] ? "dry run" : "send alert"}}',
    description: 'Send one alert to thousands of phones: deduplicated, opt-outs respected, resumable, with a full account',
    defaults: { name: 'Bulk Alert Broadcast' },
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
    properties: withCellBroadcast([
      transportProperty,
      {
        displayName: 'Recipients From', name: 'recipientSource', type: 'options', noDataExpression: true, default: 'items',
        options: [
          { name: 'Input Items (One per Recipient)', value: 'items' },
          { name: 'List or CSV Text', value: 'list' },
        ],
      },
      { displayName: 'Phone Number Field', name: 'recipientField', type: 'string', default: 'phone', displayOptions: { show: { recipientSource: ['items'] } }, description: 'The item field with the number (dots for nested fields, e.g. contact.mobile)' },
      { displayName: 'Recipient List', name: 'recipientList', type: 'string', default: '', typeOptions: { rows: 6 }, displayOptions: { show: { recipientSource: ['list'] } }, placeholder: '+447911123456\n+447911123457', description: 'One number per line (or comma-separated), or CSV with a "phone" column' },
      {
        displayName: 'Message From', name: 'messageSource', type: 'options', noDataExpression: true, default: 'text',
        options: [
          { name: 'Text (Per Recipient With Expressions)', value: 'text' },
          { name: 'CAP 1.2 Alert (XML)', value: 'cap' },
        ],
      },
      // $json is n8n's own expression variable: it must stay lowercase in the example.
      // eslint-disable-next-line n8n-nodes-base/node-param-description-miscased-json
      { displayName: 'Message', name: 'message', type: 'string', default: '', typeOptions: { rows: 4 }, displayOptions: { show: { messageSource: ['text'] } }, description: 'Expressions are evaluated per recipient item, e.g. Hello {{ $json.name }}' },
      { displayName: 'CAP Alert XML', name: 'capXml', type: 'string', default: '', typeOptions: { rows: 6 }, displayOptions: { show: { messageSource: ['cap'] } }, description: 'A CAP 1.2 &lt;alert&gt;: the SMS says its headline and instruction; severity and urgency set the priority' },
      { displayName: 'Flash for Extreme/Immediate Alerts', name: 'capFlash', type: 'boolean', default: false, displayOptions: { show: { messageSource: ['cap'] } }, description: 'Whether alerts with severity Extreme and urgency Immediate are sent as flash messages (class 0, shown at once)' },
      { displayName: 'Broadcast ID', name: 'broadcastId', type: 'string', default: '', description: 'Re-running with the same ID sends nobody the message twice. Empty: the alert itself is the ID (a CAP alert\'s identifier and sender; else the credential, sender, text and recipients), so posting the same alert again within the dedupe window sends nothing.' },
      { displayName: 'Safety Alert: Ignore Opt-Outs', name: 'overrideOptOut', type: 'boolean', default: false, description: 'Whether to send also to numbers that replied STOP. Only for alerts that protect life. Ignored when an AI agent calls this node as a tool.' },
      { displayName: 'Opt-Out List', name: 'optOutList', type: 'string', default: 'default', description: 'The opt-out list the SMS Trigger maintains' },
      { displayName: 'Dry Run', name: 'dryRun', type: 'boolean', default: false, description: 'Whether to only count recipients, parts and time, sending nothing' },
      {
        displayName: 'Output', name: 'output', type: 'options', noDataExpression: true, default: 'summary',
        options: [
          { name: 'Summary Only (Best for Large Lists)', value: 'summary' },
          { name: 'One Item per Recipient, Then the Summary', value: 'perRecipient' },
        ],
      },
      { displayName: 'Wait for Delivery Receipts', name: 'waitForReceipts', type: 'boolean', default: false, description: 'Whether to wait for receipts (from the carrier, or the modem\'s status reports) and add delivered/undelivered/unknown counts per part' },
      { displayName: 'Receipt Wait (Minutes)', name: 'receiptWaitMinutes', type: 'number', default: 5, typeOptions: { minValue: 0.05 }, displayOptions: { show: { waitForReceipts: [true] } } },
      receiptSettleProperty({ waitForReceipts: [true] }),
      stateStoreProperty,
      ...fromProperties({}, ''),
      { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [...messageOptions, ...repeatOptions] },
      maxToolRecipientsProperty,
    ]),
  };

  methods = { credentialTest: { smppApiTest, gsmModemApiTest, smsGatewayRedisTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    try {
      const channel = this.getNodeParameter('channel', 0, 'sms') as BroadcastChannel;
      if ((channel === 'cellBroadcast' || channel === 'both') && runsAsAgentTool(this)) {
        throw new NodeOperationError(this.getNode(), 'As an AI agent\'s tool, Bulk Alert Broadcast does not send cell broadcasts: one reaches every phone in an area. Nothing was sent.', {
          description: 'Send cell broadcasts from a workflow, not from an agent; an agent may still cancel or query one',
        });
      }
      if (channel !== 'sms') return [await executeCellBroadcast(this, channel, executeBroadcast)];
      return [await executeBroadcast(this)];
    } catch (err) {
      throw broadcastError(this.getNode(), err);
    }
  }
}
