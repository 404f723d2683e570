/** Broadcast Alert, Cell Broadcast x Send: one broadcast to every phone in the areas, from text or a CAP alert. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { capAlertText } from '../../src/broadcast';
import type { CapAlert } from '../../src/broadcast';
import { describeArea, runCapBroadcast, BroadcastInputError } from '../../src/cellbroadcast';
import { FieldError } from '../shared/errors/field-error';
import { readCap } from './cap-parameter';
import { planJson, stateAfterSend } from './cell-broadcast-output';
import { readAreas, readCellSettings, toFieldError } from './cell-broadcast-inputs';
import type { AreaSource } from './cell-broadcast-inputs';
import { broadcastIdStoreFor, withSession } from './cell-broadcast-session';

/** The CAP alert when Message Source is CAP 1.2 Alert; one with no text fails before anything is sent. */
export function readCellCap(ctx: IExecuteFunctions): CapAlert | null {
  const cap = ctx.getNodeParameter('messageSource', 0, 'text') === 'cap' ? readCap(ctx) : null;
  if (cap && cap.msgType !== 'Cancel') capAlertText(cap); // an alert with no text fails (naming CAP Alert XML) before anything is sent
  return cap;
}

/** Sends the area broadcast (once per execution, from the first item's parameters, like the SMS path). */
export async function sendCellBroadcast(ctx: IExecuteFunctions, cap: CapAlert | null): Promise<IDataObject> {
  const messageSource = String(ctx.getNodeParameter('messageSource', 0, 'text'));
  let areaSource: AreaSource = 'aliases';
  try {
    const { source, areas } = readAreas(ctx);
    areaSource = source;
    const { request, channel } = readCellSettings(ctx);
    if (source === 'cap' && !cap) throw new FieldError('cbAreaSource', 'Broadcast Area "From the CAP Alert" needs Message Source = CAP 1.2 Alert');
    if (!channel && !cap) throw new FieldError('cbWarningLevel', 'Public Warning Level "From the CAP Alert" needs Message Source = CAP 1.2 Alert');
    if (cap) {
      const store = await broadcastIdStoreFor(ctx);
      return await withSession(ctx, async ({ client }) => {
        const outcome = await runCapBroadcast(cap, { client, store }, { ...request, ...(areas ? { areas } : {}), ...(channel ? { channel } : {}) });
        return {
          type: 'cellBroadcast',
          action: outcome.action,
          messageId: outcome.messageId,
          capIdentifier: outcome.capIdentifier,
          ...(outcome.plan ? planJson(outcome.plan) : {}),
          failedAreas: outcome.failedAreas.map(describeArea),
          replaced: outcome.replaced as unknown as IDataObject[],
          notes: outcome.notes,
          ...(await stateAfterSend(client, outcome.action === 'cancel' ? null : outcome.messageId)),
        };
      });
    }
    const text = String(ctx.getNodeParameter('message', 0, '') ?? '');
    return await withSession(ctx, async ({ client }) => {
      const result = await client.broadcast({ ...request, areas: areas ?? [], text, channel: channel ?? undefined });
      return {
        type: 'cellBroadcast',
        action: 'broadcast',
        messageId: result.messageId,
        ...planJson(result.plan),
        failedAreas: result.failedAreas.map(describeArea),
        ...(await stateAfterSend(client, result.messageId)),
      };
    });
  } catch (err) {
    // The core names its request's fields (latitude, text); the panel's are the node's parameters.
    throw err instanceof BroadcastInputError ? toFieldError(err, areaSource, messageSource) : err;
  }
}

export async function sendCellBroadcasts(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
  return [{ json: await sendCellBroadcast(ctx, readCellCap(ctx)), pairedItem: { item: 0 } }];
}
