import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { runsAsAgentTool } from '../shared/runtime/agent-tool';
import { readBroadcastAction } from './broadcast-action';
import { broadcastError } from './broadcast-error';
import { executeCellBroadcast } from './cell-broadcast-send.operation';
import { executeBroadcast } from './sms-send.operation';

/** Broadcast Alert's execute, for every version: the SMS broadcast, or the cell broadcast actions. */
export async function executeBroadcastAlert(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  try {
    const action = readBroadcastAction(ctx);
    if (action.resource !== 'sms' && ['send', 'update'].includes(action.operation) && runsAsAgentTool(ctx)) {
      throw new NodeOperationError(ctx.getNode(), `As an AI agent's tool, ${ctx.getNode().name} does not send cell broadcasts: one reaches every phone in an area. Nothing was sent.`, {
        description: 'Cell broadcasts are for workflows a person starts, not for agents; an agent may still cancel or query one',
      });
    }
    if (action.resource === 'sms') return [await executeBroadcast(ctx)];
    return [await executeCellBroadcast(ctx, action, executeBroadcast)];
  } catch (err) {
    throw broadcastError(ctx, err);
  }
}
