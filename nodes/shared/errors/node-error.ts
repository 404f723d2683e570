import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export interface NodeErrorOptions {
  /** Advice shown under the message in the n8n editor. */
  description?: string;
  itemIndex?: number;
}

/**
 * The error a node hands to n8n. A NodeOperationError or NodeApiError already says what went
 * wrong and passes unchanged; anything else (the core's typed errors, library errors) is wrapped
 * in a NodeOperationError with the given advice.
 */
export function asNodeError(node: INode, err: unknown, options: NodeErrorOptions = {}): NodeOperationError | NodeApiError {
  if (err instanceof NodeOperationError || err instanceof NodeApiError) return err;
  return new NodeOperationError(node, err as Error, options);
}
