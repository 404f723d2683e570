import type { INode, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { FieldError } from '../shared/field-error';
import { asNodeError } from '../shared/node-error';

/**
 * The error Bulk Alert Broadcast hands to n8n: a NodeOperationError passes unchanged, a
 * FieldError names the parameter to check, anything else is wrapped as it is.
 */
export function broadcastError(node: INode, err: unknown): NodeOperationError | NodeApiError {
  if (err instanceof FieldError) return new NodeOperationError(node, err.message, { description: `Check the "${err.field}" field` });
  return asNodeError(node, err);
}
