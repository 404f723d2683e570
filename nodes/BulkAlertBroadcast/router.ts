import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { runsAsAgentTool } from '../shared/runtime/agent-tool';
import { readBroadcastAction } from './broadcast-action';
import { toNodeError } from '../shared/errors/node-error';
import { broadcastV1Properties } from './properties-v1';
import { broadcastV2Properties } from './properties-v2';
import type { BroadcastOperation } from './broadcast-action';
import { sendBoth } from './both-send.operation';
import { cancelCellBroadcasts } from './cell-broadcast-cancel.operation';
import { queryCellBroadcasts } from './cell-broadcast-query.operation';
import { sendCellBroadcasts } from './cell-broadcast-send.operation';
import { updateCellBroadcast } from './cell-broadcast-update.operation';
import { sendSmsAlerts } from './sms-send.operation';
import { FieldError } from '../shared/errors/field-error';
import { readTransport } from '../shared/sending/sender-transport';

type Operation = (ctx: IExecuteFunctions) => Promise<INodeExecutionData[]>;

/** Cell Broadcast's operations, one file each. */
const CELL_BROADCAST: Record<BroadcastOperation, Operation> = {
  send: sendCellBroadcasts,
  update: updateCellBroadcast,
  query: queryCellBroadcasts,
  cancel: cancelCellBroadcasts,
};

/** Broadcast Alert's execute, for every version: the SMS broadcast, or the cell broadcast actions. */
export async function executeBroadcastAlert(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  try {
    const action = readBroadcastAction(ctx);
    if (action.resource !== 'sms' && ['send', 'update'].includes(action.operation) && runsAsAgentTool(ctx)) {
      throw new NodeOperationError(
        ctx.getNode(),
        `As an AI agent's tool, ${ctx.getNode().name} does not send cell broadcasts: one reaches every phone in an area. Nothing was sent.`,
        {
          description: 'Cell broadcasts are for workflows a person starts, not for agents; an agent may still cancel or query one',
        },
      );
    }
    if (action.resource === 'sms') return [await sendSmsAlerts(ctx)];
    // Version 2 hides the modem for cell broadcasts; version 1 let Transport be chosen with any Channel.
    if (readTransport(ctx) === 'modem') {
      throw new FieldError(
        'transport',
        'Cell broadcast goes through the SMPP carrier (SMPP 5.0 broadcast_sm), not a modem: choose Transport "SMPP Carrier" or "SMPP with Modem Failover"',
      );
    }
    if (action.resource === 'both') return [await sendBoth(ctx)];
    return [await CELL_BROADCAST[action.operation](ctx)];
  } catch (err) {
    // A bad value names its parameter as the panel of this node's version shows it.
    throw toNodeError(ctx.getNode(), err, { properties: ctx.getNode().typeVersion < 2 ? broadcastV1Properties : broadcastV2Properties });
  }
}
