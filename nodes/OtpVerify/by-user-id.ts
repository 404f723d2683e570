/**
 * OTP Verify's operations on a user's authenticator enrolment ("Get Authenticator Status",
 * "Remove Authenticator"): one run per item, by User ID, what an authenticator product lets an
 * administrator do. Neither ever outputs the secret.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { TotpService } from '../../src/otp';
import { FieldError } from '../shared/errors/field-error';
import { otpNow } from '../shared/otp/otp-clock';
import { runOtpItems } from '../shared/otp/otp-items';
import type { OtpItemResult } from '../shared/otp/otp-items';
import { otpStateFor } from '../shared/otp/otp-state';
import { REJECTED_OUTPUT } from './verify-properties';

export type UserOperation = (service: TotpService, userId: string) => Promise<OtpItemResult>;

export async function runByUserId(ctx: IExecuteFunctions, operation: UserOperation): Promise<INodeExecutionData[][]> {
  const state = await otpStateFor(ctx);
  const service = new TotpService({ store: state.totp, serverKey: state.serverKey, now: otpNow });
  const errorContext = (itemIndex: number): IDataObject => ({ userId: String(ctx.getNodeParameter('userId', itemIndex, '')) });
  return runOtpItems(ctx, { outputCount: 2, errorOutput: REJECTED_OUTPUT, errorContext }, async (itemIndex) => {
    const userId = String(ctx.getNodeParameter('userId', itemIndex, '') ?? '').trim();
    if (userId === '') throw new FieldError('userId', 'User ID is empty: map the User ID the authenticator was enrolled for');
    return operation(service, userId);
  });
}
