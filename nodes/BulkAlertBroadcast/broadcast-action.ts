import type { IExecuteFunctions } from 'n8n-workflow';
import { FieldError } from '../shared/errors/field-error';

/** What is sent: SMS to a list, a cell broadcast to an area, or both. */
export type BroadcastResource = 'sms' | 'cellBroadcast' | 'both';
/** What is done: send; for cell broadcasts also update (replace), cancel or query an earlier one. */
export type BroadcastOperation = 'send' | 'update' | 'cancel' | 'query';

export interface BroadcastAction {
  resource: BroadcastResource;
  operation: BroadcastOperation;
}

/** Version 1's single "Channel" selector, as resource and operation. */
const BY_CHANNEL: Record<string, BroadcastAction> = {
  sms: { resource: 'sms', operation: 'send' },
  cellBroadcast: { resource: 'cellBroadcast', operation: 'send' },
  both: { resource: 'both', operation: 'send' },
  cellBroadcastQuery: { resource: 'cellBroadcast', operation: 'query' },
  cellBroadcastCancel: { resource: 'cellBroadcast', operation: 'cancel' },
};

const OPERATIONS: Record<BroadcastResource, BroadcastOperation[]> = {
  sms: ['send'],
  cellBroadcast: ['send', 'update', 'cancel', 'query'],
  both: ['send'],
};

/** The node's action: from Resource and Operation (version 2), or from Channel (version 1). */
export function readBroadcastAction(ctx: IExecuteFunctions): BroadcastAction {
  if (ctx.getNode().typeVersion < 2) {
    const channel = String(ctx.getNodeParameter('channel', 0, 'sms'));
    const action = BY_CHANNEL[channel];
    if (!action) throw new FieldError('channel', `Channel "${channel}" is not one this node knows`);
    return action;
  }
  const resource = String(ctx.getNodeParameter('resource', 0, 'sms')) as BroadcastResource;
  const operation = String(ctx.getNodeParameter('operation', 0, 'send')) as BroadcastOperation;
  if (!OPERATIONS[resource]) throw new FieldError('resource', `Resource "${resource}" is not one this node knows`);
  if (!OPERATIONS[resource].includes(operation))
    throw new FieldError('operation', `Operation "${operation}" is not one of ${resource}'s (${OPERATIONS[resource].join(', ')})`);
  return { resource, operation };
}
