import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { GSM_MODEM_SLOT, modemSlotDisplay, SMPP_CARRIER_SLOT, SMS_GATEWAY_REDIS_SLOT, smppSlotDisplay } from '../shared/description/credential-slots';
import { TRANSPORT_CREDENTIAL_TESTS } from '../shared/description/credential-tests';
import { readSenderPlan } from '../shared/sending/sender-transport';
import { WITH_REDIS_STORE } from '../shared/state/state-stores';
import type { SenderPlan } from '../shared/sending/sender-transport';
import { TRANSPORT_WORDS } from '../shared/description/subtitle';
import { getDeliveryStatus } from './get-delivery-status.operation';
import { sendMessages, transportAdvice } from './send.operation';
import { toNodeError } from '../shared/errors/node-error';
import { sendApplicationReceipt } from './send-application-receipt.operation';
import { getGatewayStatus } from './get-gateway-status.operation';
import { cancelMessage } from './cancel-message.operation';
import { queryMessage } from './query-message.operation';
import { replaceMessage } from './replace-message.operation';
import { CANCEL_MESSAGE, QUERY_MESSAGE, REPLACE_MESSAGE } from './sent-message-properties';
import { GET_DELIVERY_STATUS, GET_GATEWAY_STATUS, SEND, SEND_APPLICATION_RECEIPT, sendSmsProperties } from './send-sms-properties';

export class SendSms implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Send SMS',
    name: 'sendSms',
    icon: { light: 'file:sms.svg', dark: 'file:sms.dark.svg' },
    group: ['output'],
    // 2: the SMPP-only message fields under "SMPP Options".
    version: [1, 2],
    defaultVersion: 2,
    subtitle: `={{ $parameter["operation"] === "${GET_GATEWAY_STATUS}" ? "gateway status" : $parameter["operation"] === "${SEND_APPLICATION_RECEIPT}" ? "send receipt to application" : ({ "${GET_DELIVERY_STATUS}": "get delivery status", "${QUERY_MESSAGE}": "query sent message", "${CANCEL_MESSAGE}": "cancel sent message", "${REPLACE_MESSAGE}": "replace sent message" }[$parameter["operation"]] || "send") + " by " + ${TRANSPORT_WORDS} }}`,
    description: 'Send an SMS through your own carrier (SMPP) or a GSM modem',
    defaults: { name: 'Send SMS' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    // Labels and conditions from shared/description/credential-slots.ts; `name` and `testedBy` stay
    // literal here, where n8n's lint reads them (docs/ARCHITECTURE.md, "Node descriptions").
    credentials: [
      {
        name: 'smppApi',
        ...SMPP_CARRIER_SLOT,
        testedBy: 'smppApiTest',
        displayOptions: smppSlotDisplay({ operation: ['sendApplicationReceipt', 'getGatewayStatus'] }),
      },
      // Get Delivery Status and Query/Cancel/Replace Sent Message use the SMPP carrier only.
      {
        name: 'gsmModemApi',
        ...GSM_MODEM_SLOT,
        testedBy: 'gsmModemApiTest',
        displayOptions: modemSlotDisplay({
          operation: ['getDeliveryStatus', 'sendApplicationReceipt', 'getGatewayStatus', 'queryMessage', 'cancelMessage', 'replaceMessage'],
        }),
      },
      { name: 'smsGatewayRedisApi', ...SMS_GATEWAY_REDIS_SLOT, testedBy: 'smsGatewayRedisApiTest', displayOptions: WITH_REDIS_STORE },
    ],
    properties: sendSmsProperties,
  };

  methods = { credentialTest: TRANSPORT_CREDENTIAL_TESTS };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    let plan: SenderPlan | undefined;
    try {
      const operation = this.getNodeParameter('operation', 0, SEND);
      if (operation === GET_DELIVERY_STATUS) return [await getDeliveryStatus(this, items)];
      if (operation === SEND_APPLICATION_RECEIPT) return [await sendApplicationReceipt(this, items)];
      if (operation === GET_GATEWAY_STATUS) return [getGatewayStatus(this)];
      if (operation === QUERY_MESSAGE) return [await queryMessage(this, items)];
      if (operation === CANCEL_MESSAGE) return [await cancelMessage(this, items)];
      if (operation === REPLACE_MESSAGE) return [await replaceMessage(this, items)];
      plan = await readSenderPlan(this);
      return [await sendMessages(this, items, plan)];
    } catch (err) {
      throw toNodeError(this.getNode(), err, { properties: sendSmsProperties, description: transportAdvice(plan) });
    }
  }
}
