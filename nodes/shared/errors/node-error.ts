/**
 * The one place a node's error becomes n8n's: every node's execute (and the trigger's start)
 * hands what it caught to toNodeError. The core throws its own errors up to here unchanged, so
 * what users read depends on the error's kind alone:
 *
 * - a NodeOperationError or NodeApiError already says what went wrong: passed unchanged;
 * - a FieldError (any bad value: SmsRequestError, PhoneNumberError, EncodingError, ...): its
 *   message, and under it "Check <label>" in the panel's words (nodes/shared/field-label.ts);
 * - a carrier's answer to a request (a refusal, no support, an answer that does not fit): a
 *   NodeApiError with what the answer means for the workflow;
 * - a local fault that says what to do (`advice`: a transport that did not open, a stopped
 *   broadcast, an OTP refusal): its message and that advice;
 * - anything else: wrapped as it is, with the node's advice for it.
 */
import type { INode, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { BroadcastStoppedError } from '../../../src/broadcast';
import { FieldError } from '../../../src/errors';
import { SentMessageAnswerError, SentMessageRefusedError, SentMessageUnsupportedError } from '../../../src/transport/smpp';
import { checkHint } from './field-label';

export interface NodeErrorOptions {
  /** The item the node was working on; absent for an error of the whole run. */
  itemIndex?: number;
  /** The node's parameters, as its panel shows them: a field error names its field by the label there. */
  properties?: readonly INodeProperties[];
  /** Advice under a field error in place of "Check <label>", where the panel's labels are not the words to use. */
  fieldAdvice?: (err: FieldError) => string;
  /** Advice under an error that is neither a bad value nor a carrier's answer: what could not be done. */
  description?: string;
  /** Put before such an error's message (e.g. "The SMPP carrier did not answer: "). */
  prefix?: string;
}

/** What a carrier's answer to query_sm, cancel_sm or replace_sm means for the workflow. */
function carrierAnswer(node: INode, err: unknown, itemIndex: number | undefined): NodeApiError | null {
  if (err instanceof SentMessageUnsupportedError) {
    return new NodeApiError(node, { message: err.message, command: err.command, status: err.status } as JsonObject, {
      message: err.message,
      itemIndex,
      description: 'Your carrier does not offer this over SMPP; ask them, or manage the message in their portal',
    });
  }
  if (err instanceof SentMessageAnswerError) {
    return new NodeApiError(node, { message: err.message, command: err.command } as JsonObject, {
      message: err.message,
      itemIndex,
      description: 'The carrier answered with something that does not fit the request; ask them, or check the message in their portal',
    });
  }
  if (err instanceof SentMessageRefusedError) {
    return new NodeApiError(node, { message: err.message, command: err.command, statusName: err.statusName } as JsonObject, {
      message: err.message,
      itemIndex,
      description: 'Check the Message IDs and Sent From of this item: they must be those Send SMS used',
    });
  }
  return null;
}

/** An error that says what to do next (SenderOpenError, BroadcastStoppedError, OtpRefusedError, ...). */
function adviceOf(err: unknown): string | undefined {
  const advice = err instanceof Error ? (err as Error & { advice?: unknown }).advice : undefined;
  return typeof advice === 'string' ? advice : undefined;
}

/** The error a node hands to n8n for `err` (see the kinds above). */
export function toNodeError(node: INode, err: unknown, options: NodeErrorOptions = {}): NodeOperationError | NodeApiError {
  const { itemIndex } = options;
  if (err instanceof NodeOperationError || err instanceof NodeApiError) return err;
  if (err instanceof FieldError) {
    const description = options.fieldAdvice?.(err) ?? err.hint ?? checkHint(options.properties ?? [], err, itemIndex, node);
    return new NodeOperationError(node, err.message, { itemIndex, description });
  }
  const answer = carrierAnswer(node, err, itemIndex);
  if (answer) return answer;
  const advice = adviceOf(err);
  if (advice !== undefined) {
    const error = new NodeOperationError(node, (err as Error).message, { itemIndex, description: advice });
    // A stopped broadcast's summary so far goes with the error (n8n keeps it in the execution): nothing sent is unaccounted for.
    if (err instanceof BroadcastStoppedError) error.context.summary = { type: 'summary', ...err.summary };
    return error;
  }
  if (options.prefix !== undefined)
    return new NodeOperationError(node, `${options.prefix}${(err as Error).message}`, { itemIndex, description: options.description });
  return new NodeOperationError(node, err as Error, { itemIndex, description: options.description });
}
