import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { smsOtpApiTest } from '../shared/otp-credential-test';
import { otpRunError } from '../shared/otp-errors';
import { smsGatewayRedisApiTest } from '../shared/redis-credential-test';
import { smppApiTest } from '../shared/smpp-credential-test';
import { TRANSPORT_WORDS } from '../shared/subtitle';
import { gsmModemApiTest } from '../shared/modem-credential-test';
import { enrolAuthenticators } from './enrol-authenticator.operation';
import { ENROL_AUTHENTICATOR, issueProperties, SEND_SMS_CODE } from './issue-properties';
import { issueSmsCodes } from './issue-sms-code.operation';
import { WITH_REDIS_STORE } from '../shared/state-stores';

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
    // One labelled slot per credential, shown by `hide` conditions: n8n's editor takes a parameter
    // named in a credential's `show` for the node's authentication and moves it off the panel
    // (test/nodes/editor-layout.test.ts has the rules). Literal objects, as n8n's lint reads them.
    credentials: [
      { name: 'smppApi', displayName: 'SMPP Carrier', required: true, testedBy: 'smppApiTest', displayOptions: { hide: { operation: ['enrolAuthenticator'], transport: ['modem'] } } },
      { name: 'gsmModemApi', displayName: 'GSM Modem', required: true, testedBy: 'gsmModemApiTest', displayOptions: { hide: { operation: ['enrolAuthenticator'], transport: ['smpp'] } } },
      { name: 'smsOtpApi', displayName: 'SMS OTP Settings', required: false, testedBy: 'smsOtpApiTest' },
      { name: 'smsGatewayRedisApi', displayName: 'SMS Gateway Redis', required: true, testedBy: 'smsGatewayRedisApiTest', displayOptions: WITH_REDIS_STORE },
    ],
    properties: issueProperties,
  };

  methods = { credentialTest: { smppApiTest, gsmModemApiTest, smsOtpApiTest, smsGatewayRedisApiTest } };

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
