import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { SMS_GATEWAY_REDIS_SLOT, SMS_OTP_SLOT } from '../shared/description/credential-slots';
import { OTP_CHECKER_CREDENTIAL_TESTS } from '../shared/description/credential-tests';
import { asOtpPanelField, otpProperties } from '../shared/errors/otp-errors';
import { toNodeError } from '../shared/errors/node-error';
import { cancelVerifications } from './cancel.operation';
import { verifyAuthenticatorCodes } from './verify-authenticator-code.operation';
import { AUTHENTICATOR_STATUS, CANCEL, REMOVE_AUTHENTICATOR, VERIFY_AUTHENTICATOR_CODE, VERIFY_SMS_CODE, verifyProperties } from './verify-properties';
import { authenticatorStatuses } from './authenticator-status.operation';
import { removeAuthenticators } from './remove-authenticator.operation';
import { verifySmsCodes } from './verify-sms-code.operation';
import { WITH_REDIS_STORE } from '../shared/state/state-stores';

/** Verify OTP (type otpVerify): checks SMS and authenticator codes; items leave on Approved or Rejected. */
export class OtpVerify implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Verify OTP',
    name: 'otpVerify',
    icon: { light: 'file:otp-verify.svg', dark: 'file:otp-verify.dark.svg' },
    group: ['transform'],
    // 2: authenticator codes are checked by User ID against the secret OTP Issue stored (version 1: a secret passed in).
    version: [1, 2],
    defaultVersion: 2,
    subtitle:
      '={{ { cancel: "cancel", verifyAuthenticatorCode: "authenticator code", authenticatorStatus: "authenticator status", removeAuthenticator: "remove authenticator" }[$parameter["operation"]] || "SMS code" }}',
    description: 'Check a one-time code (SMS or authenticator app) and route the item to Approved or Rejected',
    defaults: { name: 'Verify OTP' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
    outputNames: ['Approved', 'Rejected'],
    // Labels and conditions from shared/description/credential-slots.ts; `name` and `testedBy` stay
    // literal here, where n8n's lint reads them (docs/ARCHITECTURE.md, "Node descriptions").
    credentials: [
      { name: 'smsOtpApi', ...SMS_OTP_SLOT, testedBy: 'smsOtpApiTest' },
      { name: 'smsGatewayRedisApi', ...SMS_GATEWAY_REDIS_SLOT, testedBy: 'smsGatewayRedisApiTest', displayOptions: WITH_REDIS_STORE },
    ],
    properties: verifyProperties,
  };

  // Verify never sends, so it has no SMPP credential to test; only the OTP settings and Redis.
  methods = { credentialTest: OTP_CHECKER_CREDENTIAL_TESTS };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const operation = this.getNodeParameter('operation', 0, VERIFY_SMS_CODE) as string;
    try {
      if (operation === VERIFY_SMS_CODE) return await verifySmsCodes(this);
      if (operation === VERIFY_AUTHENTICATOR_CODE) return await verifyAuthenticatorCodes(this);
      if (operation === CANCEL) return await cancelVerifications(this);
      if (operation === AUTHENTICATOR_STATUS) return await authenticatorStatuses(this);
      if (operation === REMOVE_AUTHENTICATOR) return await removeAuthenticators(this);
    } catch (err) {
      throw toNodeError(this.getNode(), asOtpPanelField(err), { properties: otpProperties(this.getNode()) });
    }
    throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
  }
}
