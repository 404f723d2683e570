import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { smsOtpApiTest } from '../shared/otp-credential-test';
import { otpRunError } from '../shared/otp-errors';
import { smsGatewayRedisTest } from '../shared/redis-credential-test';
import { smppApiTest } from '../shared/smpp-credential-test';
import { gsmModemApiTest } from '../../src/transport/modem/credential-test';
import { enrolAuthenticators } from './enrol-authenticator.operation';
import { ENROL_AUTHENTICATOR, issueProperties, SEND_SMS_CODE } from './issue-properties';
import { issueSmsCodes } from './issue-sms-code.operation';

/** OTP Issue: sends one-time codes by SMS, and enrols authenticator apps (TOTP). */
export class OtpIssue implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'OTP Issue',
    name: 'otpIssue',
    icon: { light: 'file:otp.svg', dark: 'file:otp.dark.svg' },
    group: ['output'],
    // 2: enrolment keeps the secret in the state store (found by User ID) and returns it only when asked.
    version: [1, 2],
    defaultVersion: 2,
    subtitle: '={{ $parameter["operation"] === "enrolAuthenticator" ? "enrol authenticator" : "code to " + $parameter["phoneNumber"] }}',
    description: 'Send a one-time verification code by SMS (SMPP carrier or GSM modem), or enrol an authenticator app',
    defaults: { name: 'OTP Issue' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    // n8n asks only for the credentials whose displayOptions match; the carrier or modem only to send codes.
    credentials: [
      { name: 'smppApi', required: true, testedBy: 'smppApiTest', displayOptions: { show: { operation: [SEND_SMS_CODE], transport: ['smpp', 'failover'] } } },
      { name: 'gsmModemApi', required: true, testedBy: 'gsmModemApiTest', displayOptions: { show: { operation: [SEND_SMS_CODE], transport: ['modem', 'failover'] } } },
      { name: 'smsOtpApi', required: false, testedBy: 'smsOtpApiTest' },
      // A saved credential type's name cannot change; like n8n's own Redis credential it has no "Api" suffix.
      // eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
      { name: 'smsGatewayRedis', required: true, testedBy: 'smsGatewayRedisTest', displayOptions: { show: { stateStore: ['redis'] } } },
    ],
    properties: issueProperties,
  };

  methods = { credentialTest: { smppApiTest, gsmModemApiTest, smsOtpApiTest, smsGatewayRedisTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const operation = this.getNodeParameter('operation', 0, SEND_SMS_CODE) as string;
    try {
      if (operation === ENROL_AUTHENTICATOR) return await enrolAuthenticators(this);
      if (operation === SEND_SMS_CODE) return await issueSmsCodes(this);
    } catch (err) {
      throw otpRunError(this.getNode(), err);
    }
    throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
  }
}
