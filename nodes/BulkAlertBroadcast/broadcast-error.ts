import type { IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { BroadcastStoppedError } from '../../src/broadcast';
import { checkHint } from '../shared/errors/field-label';
import { FieldError } from '../shared/errors/field-error';
import { asNodeError } from '../shared/errors/node-error';
import { broadcastV1Properties } from './properties-v1';
import { broadcastV2Properties } from './properties-v2';

/**
 * The error Broadcast Alert hands to n8n: a NodeOperationError passes unchanged, a FieldError
 * says which parameter to check by its label on the panel, a stopped broadcast says how to resume,
 * anything else is wrapped as it is.
 */
export function broadcastError(ctx: Pick<IExecuteFunctions, 'getNode'>, err: unknown): NodeOperationError | NodeApiError {
  const node = ctx.getNode();
  if (err instanceof FieldError) {
    const properties = node.typeVersion < 2 ? broadcastV1Properties : broadcastV2Properties;
    return new NodeOperationError(node, err.message, { description: checkHint(properties, err, undefined, node) });
  }
  if (err instanceof BroadcastStoppedError) {
    // The summary so far goes with the error (n8n keeps it in the execution), so nothing sent is unaccounted for.
    const error = new NodeOperationError(node, err.message, { description: err.advice });
    error.context.summary = { type: 'summary', ...err.summary };
    return error;
  }
  return asNodeError(node, err);
}
