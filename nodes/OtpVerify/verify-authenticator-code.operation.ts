/**
 * OTP Verify, "Verify Authenticator Code": checks a TOTP code against the secret the workflow
 * stored at enrolment. Nothing is kept here, so attempts are not counted: limit tries in the
 * workflow (or use SMS codes, whose attempts the store counts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { verifyTotp } from '../../src/otp';
import { FieldError } from '../shared/field-error';
import { otpNow } from '../shared/otp-clock';
import { readCodeInput } from '../shared/otp-code-input';
import { runOtpItems } from '../shared/otp-items';
import { readWholeNumber } from '../shared/otp-numbers';
import { APPROVED_OUTPUT, REJECTED_OUTPUT } from './verify-properties';

const TOTP_DIGITS = 6;

export async function verifyAuthenticatorCodes(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return runOtpItems(ctx, { outputCount: 2, errorOutput: REJECTED_OUTPUT, errorContext: () => ({ approved: false }) }, async (itemIndex) => {
    const secret = readSecret(ctx.getNodeParameter('secret', itemIndex, ''));
    const code = readCodeInput(ctx.getNodeParameter('code', itemIndex, ''), TOTP_DIGITS);
    const options = ctx.getNodeParameter('totpOptions', itemIndex, {}) as IDataObject;
    const window = readWholeNumber(options.window ?? 1, 'window', 'Allowed Clock Drift (Steps)', 0, 10);
    const after = readWholeNumber(options.afterTimeStep ?? 0, 'afterTimeStep', 'Last Accepted Time Step', 0, Number.MAX_SAFE_INTEGER);
    const result = await verifyTotp(secret, code, { now: otpNow, window, afterTimeStep: after > 0 ? after : undefined });
    if (result.valid) {
      return { output: APPROVED_OUTPUT, json: { approved: true, status: 'approved', timeStep: result.timeStep ?? null, drift: result.delta ?? 0 } };
    }
    // attemptsLeft: null because authenticator codes have no stored attempt counter.
    return { output: REJECTED_OUTPUT, json: { approved: false, status: 'rejected', reason: 'invalid_code', attemptsLeft: null } };
  });
}

/** Authenticator apps show secrets in groups of four and users copy them in lower case. */
function readSecret(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FieldError('secret', 'Secret is empty: map the Base32 secret stored for this user at enrolment');
  }
  return value.replace(/[\s-]+/g, '').toUpperCase();
}
