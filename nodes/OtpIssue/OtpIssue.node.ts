import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import {
  GSM_MODEM_SLOT,
  modemSlotDisplay,
  SMPP_CARRIER_SLOT,
  SMS_GATEWAY_REDIS_SLOT,
  SMS_OTP_SLOT,
  smppSlotDisplay,
} from '../shared/description/credential-slots';
import { OTP_SENDER_CREDENTIAL_TESTS } from '../shared/description/credential-tests';
import { asOtpPanelField, otpProperties } from '../shared/errors/otp-errors';
import { toNodeError } from '../shared/errors/node-error';
import { TRANSPORT_WORDS } from '../shared/description/subtitle';
import { enrolAuthenticators } from './enrol-authenticator.operation';
import { ENROL_AUTHENTICATOR, issueProperties, SEND_SMS_CODE } from './issue-properties';
import { sendSmsCodes } from './send-sms-code.operation';
import { WITH_REDIS_STORE } from '../shared/state/state-stores';

/** Issue OTP (type otpIssue): sends one-time codes by SMS, and enrols authenticator apps (TOTP). */
export class OtpIssue implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Issue OTP',
    name: 'otpIssue',
    icon: { light: 'file:otp.svg', dark: 'file:otp.dark.svg' },
    group: ['output'],
    // 2: enrolment keeps the secret in the state store (found by User ID) and returns it only when asked.
    version: [1, 2],
    defaultVersion: 2,
    subtitle: `={{ $parameter["operation"] === "enrolAuthenticator" ? "enrol authenticator app" : "send SMS code by " + ${TRANSPORT_WORDS} }}`,
    description: 'Send a one-time verification code by SMS (SMPP carrier or GSM modem), or enrol an authenticator app',
    defaults: { name: 'Issue OTP' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    // Labels and conditions from shared/description/credential-slots.ts; `name` and `testedBy` stay
    // literal here, where n8n's lint reads them (docs/ARCHITECTURE.md, "Node descriptions").
    credentials: [
      { name: 'smppApi', ...SMPP_CARRIER_SLOT, testedBy: 'smppApiTest', displayOptions: smppSlotDisplay({ operation: ['enrolAuthenticator'] }) },
      { name: 'gsmModemApi', ...GSM_MODEM_SLOT, testedBy: 'gsmModemApiTest', displayOptions: modemSlotDisplay({ operation: ['enrolAuthenticator'] }) },
      { name: 'smsOtpApi', ...SMS_OTP_SLOT, testedBy: 'smsOtpApiTest' },
      { name: 'smsGatewayRedisApi', ...SMS_GATEWAY_REDIS_SLOT, testedBy: 'smsGatewayRedisApiTest', displayOptions: WITH_REDIS_STORE },
    ],
    properties: issueProperties,
  };

  methods = { credentialTest: OTP_SENDER_CREDENTIAL_TESTS };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const operation = this.getNodeParameter('operation', 0, SEND_SMS_CODE) as string;
    try {
      if (operation === ENROL_AUTHENTICATOR) return await enrolAuthenticators(this);
      if (operation === SEND_SMS_CODE) return await sendSmsCodes(this);
    } catch (err) {
      throw toNodeError(this.getNode(), asOtpPanelField(err), { properties: otpProperties(this.getNode()) });
    }
    throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
  }
}
