/** OTP errors in the panel's words: as error items (continueOnFail), and named for toNodeError. */
import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { OtpInputError, OtpRefusedError, TotpEnrolRefusedError } from '../../../src/otp';
import { FieldError } from './field-error';
import { fieldLabel } from './field-label';
import { issueProperties } from '../../OtpIssue/issue-properties';
import { verifyProperties } from '../../OtpVerify/verify-properties';

export interface InputProblem {
  field: string;
  message: string;
  /** The credential type the field belongs to; absent for the node's own parameters. */
  credential?: string;
}

/** A bad parameter or credential value (as opposed to a broken connection or a bug). */
export function inputProblem(err: unknown): InputProblem | null {
  // The core's OTP names first: they become the panel's labels.
  if (err instanceof OtpInputError) return otpInputProblem(err);
  if (err instanceof FieldError) return { field: err.field, message: err.message, credential: err.credential };
  return null;
}

/** The core's names for what the OTP nodes call otherwise: a parameter's own name, or a credential's field. */
const PANEL_FIELDS: Record<string, { field: string; credential?: string }> = {
  phone: { field: 'phoneNumber' },
  serverKey: { field: 'serverKey', credential: 'smsOtpApi' },
};

/**
 * The core says "userId: must be at most 256 characters"; the panel shows "User ID". The message
 * names the field by its label, and the hint (checkHint) finds the same parameter.
 */
function otpInputProblem(err: OtpInputError): InputProblem {
  const { field, credential } = PANEL_FIELDS[err.field] ?? { field: err.field };
  const label = fieldLabel([...issueProperties, ...verifyProperties], field, credential);
  if (!label) return { field, credential, message: err.message };
  return { field, credential, message: err.problem.startsWith('must ') ? `${label} ${err.problem}` : `${label}: ${err.problem}` };
}

/** The parameters of the OTP node that failed, for naming a field by its label. */
export function otpProperties(node: INode): INodeProperties[] {
  return node.type.endsWith('otpIssue') ? issueProperties : verifyProperties;
}

/** What an item whose OTP work failed turns into. */
export function otpErrorJson(err: unknown): IDataObject {
  // A code SMS that failed: its failover class (see nodes/OtpIssue/failed-code-sms.ts).
  if (err instanceof NodeOperationError && typeof err.context.retryElsewhere === 'boolean') {
    return { status: 'error', error: err.message, failure: err.context.failure as string, retryElsewhere: err.context.retryElsewhere };
  }
  if (err instanceof OtpRefusedError) {
    return {
      status: 'refused',
      refused: err.code,
      ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}),
      error: err.message,
    };
  }
  if (err instanceof TotpEnrolRefusedError) return { status: 'refused', refused: err.code, error: err.message };
  const problem = inputProblem(err);
  if (problem) return { status: 'error', error: problem.message, field: problem.field };
  return { status: 'error', error: err instanceof Error ? err.message : String(err) };
}

/**
 * A core OTP field error as the panel names it (its label and parameter), any other error
 * unchanged: what the OTP nodes hand to toNodeError, with otpProperties for the labels.
 */
export function asOtpPanelField(err: unknown): unknown {
  if (!(err instanceof OtpInputError)) return err;
  const { field, message, credential } = otpInputProblem(err);
  return new FieldError(field, message, { credential });
}
