/** Turns OTP and input errors into n8n errors or, with continueOnFail, into error items. */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { OtpInputError, OtpRefusedError, TotpEnrolRefusedError } from '../../../src/otp';
import { FieldError } from './field-error';
import { checkHint, fieldLabel } from './field-label';
import { issueProperties } from '../../OtpIssue/issue-properties';
import { verifyProperties } from '../../OtpVerify/verify-properties';
import { asNodeError } from './node-error';

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
  const problem = err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
  if (!label) return { field, credential, message: err.message };
  return { field, credential, message: problem.startsWith('must ') ? `${label} ${problem}` : `${label}: ${problem}` };
}

/** The parameters of the OTP node that failed, for naming a field by its label. */
function otpProperties(node: INode): INodeProperties[] {
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

/** The NodeOperationError for an item: names the refusal and wait, or the field to fix. */
export function otpNodeError(ctx: IExecuteFunctions, err: unknown, itemIndex: number): NodeOperationError {
  if (err instanceof NodeOperationError) return err;
  if (err instanceof OtpRefusedError) {
    const wait = err.retryAfterSeconds === undefined ? 'Waiting will not help.' : `Retry in ${err.retryAfterSeconds} s.`;
    return new NodeOperationError(ctx.getNode(), err.message, {
      itemIndex,
      description: `Refused: ${err.code}. ${wait} Nothing was sent.`,
    });
  }
  if (err instanceof TotpEnrolRefusedError) {
    return new NodeOperationError(ctx.getNode(), err.message, { itemIndex, description: `Refused: ${err.code}. Nothing was enrolled; the user's authenticator keeps working.` });
  }
  const problem = inputProblem(err);
  if (problem) {
    return new NodeOperationError(ctx.getNode(), problem.message, {
      itemIndex,
      description: checkHint(otpProperties(ctx.getNode()), problem, itemIndex, ctx.getNode()),
    });
  }
  return new NodeOperationError(ctx.getNode(), err as Error, { itemIndex });
}

/** The error OTP Issue or OTP Verify hands to n8n when a whole run fails: names the setting to fix when it is one. */
export function otpRunError(node: INode, err: unknown): NodeOperationError | NodeApiError {
  const problem = inputProblem(err);
  if (problem) return new NodeOperationError(node, problem.message, { description: checkHint(otpProperties(node), problem, undefined, node) });
  return asNodeError(node, err);
}
