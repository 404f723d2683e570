/** OTP Verify, "Cancel": ends a pending SMS verification (Approved output) or says why not (Rejected). */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runOtpItems } from '../shared/otp/otp-items';
import { otpStateFor } from '../shared/otp/otp-state';
import { describeTarget, readTarget, targetJson, verifyingService } from './verify-context';
import { APPROVED_OUTPUT, REJECTED_OUTPUT } from './verify-properties';

export async function cancelVerifications(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const state = await otpStateFor(ctx);
  const service = verifyingService(state);
  return runOtpItems(
    ctx,
    { outputCount: 2, errorOutput: REJECTED_OUTPUT, errorContext: (itemIndex) => ({ ...describeTarget(ctx, itemIndex), canceled: false }) },
    async (itemIndex) => {
      const target = readTarget(ctx, state, itemIndex);
      const result = await service.cancel(target.to, target.channel);
      if (result.canceled) return { output: APPROVED_OUTPUT, json: { ...targetJson(target), canceled: true, status: result.status } };
      const reason = result.status === 'not_found' ? 'not_found' : 'not_pending';
      return { output: REJECTED_OUTPUT, json: { ...targetJson(target), canceled: false, status: result.status, reason } };
    },
  );
}
