/** OTP Verify, "Get Authenticator Status": a user's enrolment, never its secret. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runByUserId } from './by-user-id';
import { APPROVED_OUTPUT, REJECTED_OUTPUT } from './verify-properties';

/** Approved: a confirmed authenticator (status enrolled); Rejected: status pending or none. */
export function authenticatorStatuses(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return runByUserId(ctx, async (service, userId) => {
    const found = await service.status(userId);
    const json: IDataObject = { userId, status: found.status, pending: found.pending };
    if (found.confirmBefore) json.confirmBefore = found.confirmBefore.toISOString();
    return { output: found.status === 'enrolled' ? APPROVED_OUTPUT : REJECTED_OUTPUT, json };
  });
}
