/** OTP Verify, "Verify SMS Code": Approved output for a matching code, Rejected with the reason otherwise. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readCodeInput } from '../shared/otp/otp-code-input';
import { runOtpItems } from '../shared/otp/otp-items';
import { otpStateFor } from '../shared/otp/otp-state';
import { describeTarget, readTarget, targetJson, verifyingService } from './verify-context';
import { APPROVED_OUTPUT, REJECTED_OUTPUT } from './verify-properties';

export async function verifySmsCodes(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const state = await otpStateFor(ctx);
  const service = verifyingService(state);
  return runOtpItems(
    ctx,
    { outputCount: 2, errorOutput: REJECTED_OUTPUT, errorContext: (itemIndex) => ({ ...describeTarget(ctx, itemIndex), approved: false }) },
    async (itemIndex) => {
      const target = readTarget(ctx, state, itemIndex);
      const code = readCodeInput(ctx.getNodeParameter('code', itemIndex, ''));
      // The core then checks the exact length against the verification ("must be 6 digits ...").
      const result = await service.verify(target.to, code, target.channel);
      if (result.approved) {
        return {
          output: APPROVED_OUTPUT,
          json: { ...targetJson(target), approved: true, status: result.status, sid: result.sid, attemptsLeft: result.attemptsLeft },
        };
      }
      return {
        output: REJECTED_OUTPUT,
        json: {
          ...targetJson(target),
          approved: false,
          status: result.status,
          reason: result.reason,
          attemptsLeft: result.attemptsLeft,
          ...(result.sid ? { sid: result.sid } : {}),
        },
      };
    },
  );
}
