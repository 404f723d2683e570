import type { INode, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { BroadcastStoppedError } from '../../src/broadcast/broadcast-stopped';
import { FieldError } from '../shared/field-error';
import { asNodeError } from '../shared/node-error';

/**
 * The error Bulk Alert Broadcast hands to n8n: a NodeOperationError passes unchanged, a
 * FieldError names the parameter to check, a stopped broadcast says how to resume, anything else
 * is wrapped as it is.
 */
export function broadcastError(node: INode, err: unknown): NodeOperationError | NodeApiError {
  if (err instanceof FieldError) return new NodeOperationError(node, err.message, { description: `Check the "${err.field}" field` });
  if (err instanceof BroadcastStoppedError) {
    // The summary so far goes with the error (n8n keeps it in the execution), so nothing sent is unaccounted for.
    const error = new NodeOperationError(node, err.message, { description: err.advice });
    error.context.summary = { type: 'summary', ...err.summary };
    return error;
  }
  return asNodeError(node, err);
}
