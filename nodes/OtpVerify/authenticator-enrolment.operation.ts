/**
 * OTP Verify, "Get Authenticator Status" and "Remove Authenticator": what an authenticator
 * product lets an administrator do with a user's enrolment, by User ID. Neither ever outputs
 * the secret. As an AI agent's tool, Remove is refused: removing and enrolling again is how an
 * account's second factor would be taken over.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { TotpService } from '../../src/otp';
import { runsAsAgentTool } from '../shared/runtime/agent-tool';
import { FieldError } from '../shared/errors/field-error';
import { otpNow } from '../shared/otp/otp-clock';
import { runOtpItems } from '../shared/otp/otp-items';
import type { OtpItemResult } from '../shared/otp/otp-items';
import { otpStateFor } from '../shared/otp/otp-state';
import { APPROVED_OUTPUT, REJECTED_OUTPUT } from './verify-properties';

type UserOperation = (service: TotpService, userId: string) => Promise<OtpItemResult>;

async function runByUserId(ctx: IExecuteFunctions, operation: UserOperation): Promise<INodeExecutionData[][]> {
  const state = await otpStateFor(ctx);
  const service = new TotpService({ store: state.totp, serverKey: state.serverKey, now: otpNow });
  const errorContext = (itemIndex: number): IDataObject => ({ userId: String(ctx.getNodeParameter('userId', itemIndex, '')) });
  return runOtpItems(ctx, { outputCount: 2, errorOutput: REJECTED_OUTPUT, errorContext }, async (itemIndex) => {
    const userId = String(ctx.getNodeParameter('userId', itemIndex, '') ?? '').trim();
    if (userId === '') throw new FieldError('userId', 'User ID is empty: map the User ID the authenticator was enrolled for');
    return operation(service, userId);
  });
}

/** Approved: a confirmed authenticator (status enrolled); Rejected: status pending or none. */
export function authenticatorStatuses(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return runByUserId(ctx, async (service, userId) => {
    const found = await service.status(userId);
    const json: IDataObject = { userId, status: found.status, pending: found.pending };
    if (found.confirmBefore) json.confirmBefore = found.confirmBefore.toISOString();
    return { output: found.status === 'enrolled' ? APPROVED_OUTPUT : REJECTED_OUTPUT, json };
  });
}

/** Approved: an authenticator (confirmed or pending) was removed; Rejected: there was none. */
export function removeAuthenticators(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  if (runsAsAgentTool(ctx)) {
    throw new NodeOperationError(ctx.getNode(), `As an AI agent's tool, ${ctx.getNode().name} does not remove authenticators. Nothing was removed.`, {
      description: 'A person removes an authenticator, in a workflow where the user or an administrator signed in',
    });
  }
  return runByUserId(ctx, async (service, userId) => {
    const removed = await service.remove(userId);
    return { output: removed ? APPROVED_OUTPUT : REJECTED_OUTPUT, json: { userId, removed, status: 'none' } };
  });
}
