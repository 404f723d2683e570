import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { otpCredentialDescription, otpRedisCredentialDescription } from '../shared/otp-properties';
import { smsOtpApiTest } from '../shared/otp-credential-test';
import { inputProblem } from '../shared/otp-errors';
import { smppApiTest } from '../shared/smpp-credential-test';
import { transportCredentials } from '../shared/sender-transport';
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
    version: 1,
    subtitle: '={{ $parameter["operation"] === "enrolAuthenticator" ? "enrol authenticator" : "code to " + $parameter["phoneNumber"] }}',
    description: 'Send a one-time verification code by SMS (SMPP carrier or GSM modem), or enrol an authenticator app',
    defaults: { name: 'OTP Issue' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [
      ...transportCredentials({ operation: [SEND_SMS_CODE] }),
      otpCredentialDescription,
      otpRedisCredentialDescription,
    ],
    properties: issueProperties,
  };

  methods = { credentialTest: { smppApiTest, gsmModemApiTest, smsOtpApiTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const operation = this.getNodeParameter('operation', 0, SEND_SMS_CODE) as string;
    try {
      if (operation === ENROL_AUTHENTICATOR) return await enrolAuthenticators(this);
      if (operation === SEND_SMS_CODE) return await issueSmsCodes(this);
    } catch (err) {
      if (err instanceof NodeOperationError) throw err;
      const problem = inputProblem(err);
      if (problem) throw new NodeOperationError(this.getNode(), problem.message, { description: `Check the "${problem.field}" setting` });
      throw new NodeOperationError(this.getNode(), err as Error);
    }
    throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
  }
}
