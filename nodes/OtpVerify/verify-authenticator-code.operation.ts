/**
 * OTP Verify, "Verify Authenticator Code": checks a TOTP code with the same care as SMS codes.
 * Wrong codes are limited per user and period in the state store, and a code of an already
 * accepted time step is refused. Version 2 finds the secret OTP Issue stored by User ID, and the
 * first good code of a new enrolment confirms it; version 1 takes the secret from the workflow
 * (its attempts and last step are kept under a keyed hash of it, in the State Store: Memory for
 * saved workflows, which never had the parameter; Redis shares them between processes).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { TotpService } from '../../src/otp';
import type { TotpCheckResult, TotpLimits } from '../../src/otp';
import { FieldError } from '../shared/errors/field-error';
import { otpNow } from '../shared/otp/otp-clock';
import { readCodeInput } from '../shared/otp/otp-code-input';
import { runOtpItems } from '../shared/otp/otp-items';
import type { OtpItemResult } from '../shared/otp/otp-items';
import { readWholeNumber } from '../shared/otp/otp-numbers';
import { otpStateFor } from '../shared/otp/otp-state';
import { APPROVED_OUTPUT, REJECTED_OUTPUT } from './verify-properties';

const TOTP_DIGITS = 6;

export async function verifyAuthenticatorCodes(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const byUser = ctx.getNode().typeVersion >= 2;
  const state = await otpStateFor(ctx);
  const service = new TotpService({ store: state.totp, serverKey: state.serverKey, now: otpNow });
  const errorContext = (itemIndex: number): IDataObject => ({
    ...(byUser ? { userId: String(ctx.getNodeParameter('userId', itemIndex, '')) } : {}),
    approved: false,
  });
  return runOtpItems(ctx, { outputCount: 2, errorOutput: REJECTED_OUTPUT, errorContext }, async (itemIndex) => {
    const code = readCodeInput(ctx.getNodeParameter('code', itemIndex, ''), TOTP_DIGITS);
    const options = ctx.getNodeParameter('totpOptions', itemIndex, {}) as IDataObject;
    const limits = readLimits(options);
    if (byUser) {
      const userId = String(ctx.getNodeParameter('userId', itemIndex, '') ?? '').trim();
      if (userId === '') throw new FieldError('userId', 'User ID is empty: map the User ID the authenticator was enrolled for');
      return routed(await service.verify(userId, code, limits), { userId });
    }
    const secret = readSecret(ctx.getNodeParameter('secret', itemIndex, ''));
    const after = readWholeNumber(options.afterTimeStep ?? 0, 'afterTimeStep', 'Last Accepted Time Step', 0, Number.MAX_SAFE_INTEGER);
    const result = await service.verifyWithSecret(secret, code, { ...limits, afterTimeStep: after > 0 ? after : undefined });
    return routed(result, {});
  });
}

function readLimits(options: IDataObject): Partial<TotpLimits> {
  return {
    window: readWholeNumber(options.window ?? 1, 'window', 'Allowed Clock Drift (Steps)', 0, 10),
    maxFailures: readWholeNumber(options.maxFailures ?? 5, 'maxFailures', 'Max Wrong Codes', 1, 100),
    periodSeconds: readWholeNumber(options.failurePeriodMinutes ?? 15, 'failurePeriodMinutes', 'Wrong-Code Period (Minutes)', 1, 1440) * 60,
    rejectReplay: options.rejectReplay !== false,
  };
}

function routed(result: TotpCheckResult, who: IDataObject): OtpItemResult {
  if (result.approved) {
    const confirmed = result.confirmed ? { confirmed: true } : {};
    return {
      output: APPROVED_OUTPUT,
      json: { ...who, approved: true, status: 'approved', ...confirmed, timeStep: result.timeStep ?? null, drift: result.drift ?? 0 },
    };
  }
  const json: IDataObject = { ...who, approved: false, status: 'rejected', reason: result.reason, attemptsLeft: result.attemptsLeft };
  if (result.retryAfterSeconds !== undefined) json.retryAfterSeconds = result.retryAfterSeconds;
  return { output: REJECTED_OUTPUT, json };
}

/** Authenticator apps show secrets in groups of four and users copy them in lower case. */
function readSecret(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FieldError('secret', 'Secret is empty: map the Base32 secret stored for this user at enrolment');
  }
  return value.replace(/[\s-]+/g, '').toUpperCase();
}
