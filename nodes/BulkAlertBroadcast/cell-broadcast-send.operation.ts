import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { CapAlert } from '../../src/broadcast';
import { describeArea, runCapBroadcast, isNotRunning, BroadcastInputError, CellBroadcastUnsupportedError } from '../../src/cellbroadcast';
import type { CellBroadcastClient, BroadcastIdStore } from '../../src/cellbroadcast';
import { FieldError } from '../shared/errors/field-error';
import { readTransport } from '../shared/sending/sender-transport';
import { broadcastError } from './broadcast-error';
import { capTextOf, readCap } from './cap-parameter';
import { planJson, stateAfterSend, statusJson } from './cell-broadcast-output';
import type { BroadcastAction } from './broadcast-action';
import { readAreas, readCellSettings, toFieldError } from './cell-broadcast-inputs';
import type { AreaSource } from './cell-broadcast-inputs';
import { broadcastIdStoreFor, openCellBroadcast } from './cell-broadcast-session';
import type { CellBroadcastSession } from './cell-broadcast-session';
import { nodeCredential } from '../shared/credentials/node-credential';

type SmsExecutor = (ctx: IExecuteFunctions) => Promise<INodeExecutionData[]>;

const UNSUPPORTED_HELP = 'The carrier\'s SMPP server speaks only SMPP 3.4. Cell broadcast needs an SMPP 5.0 account, often a separate cell broadcast centre (CBC) endpoint: ask the carrier.';

async function withSession<T>(ctx: IExecuteFunctions, use: (session: CellBroadcastSession) => Promise<T>): Promise<T> {
  let session: CellBroadcastSession;
  try {
    session = await openCellBroadcast(await nodeCredential(ctx, 'smppApi'));
  } catch (err) {
    if (err instanceof CellBroadcastUnsupportedError) throw new NodeOperationError(ctx.getNode(), err.message, { description: UNSUPPORTED_HELP });
    if (err instanceof FieldError) throw broadcastError(ctx, err);
    throw new NodeOperationError(ctx.getNode(), `Cannot connect to the SMPP carrier for cell broadcast: ${(err as Error).message}`, { description: 'Check the SMPP Carrier credential' });
  }
  try {
    return await use(session);
  } catch (err) {
    if (err instanceof CellBroadcastUnsupportedError) throw new NodeOperationError(ctx.getNode(), err.message, { description: UNSUPPORTED_HELP });
    // The caller's errors stay as they are: sendCellBroadcast still maps BroadcastInputError to
    // the parameter, and lookupItems its per-item errors; they go through broadcastError there.
    // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
    throw err;
  } finally {
    await session.release();
  }
}

/** Sends the area broadcast (once per execution, from the first item's parameters, like the SMS path). */
async function sendCellBroadcast(ctx: IExecuteFunctions, cap: CapAlert | null): Promise<IDataObject> {
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
          type: 'cellBroadcast', action: outcome.action, messageId: outcome.messageId, capIdentifier: outcome.capIdentifier,
          ...(outcome.plan ? planJson(outcome.plan) : {}),
          failedAreas: outcome.failedAreas.map(describeArea), replaced: outcome.replaced as unknown as IDataObject[], notes: outcome.notes,
          ...(await stateAfterSend(client, outcome.action === 'cancel' ? null : outcome.messageId)),
        };
      });
    }
    const text = String(ctx.getNodeParameter('message', 0, '') ?? '');
    return await withSession(ctx, async ({ client }) => {
      const result = await client.broadcast({ ...request, areas: areas ?? [], text, channel: channel ?? undefined });
      return {
        type: 'cellBroadcast', action: 'broadcast', messageId: result.messageId, ...planJson(result.plan),
        failedAreas: result.failedAreas.map(describeArea), ...(await stateAfterSend(client, result.messageId)),
      };
    });
  } catch (err) {
    throw broadcastError(ctx, err instanceof BroadcastInputError ? toFieldError(err, areaSource, messageSource) : err);
  }
}

/**
 * Cancels the broadcast `given` names: a message ID, or a CAP identifier the State Store knows
 * (forgotten there once cancelled). One that already ended is an outcome, not an error.
 */
async function cancelNamed(client: CellBroadcastClient, store: BroadcastIdStore, given: string): Promise<IDataObject> {
  const record = await store.get(given);
  const messageId = record?.messageId ?? given;
  let outcome = 'cancelled';
  try {
    await client.cancel(messageId);
  } catch (err) {
    // Any other error is the caller's to report (per item, or for the whole update).
    // eslint-disable-next-line @n8n/community-nodes/require-node-api-error
    if (!isNotRunning(err)) throw err;
    outcome = 'already_ended';
  }
  if (record) await store.delete(given);
  return { messageId, ...(record ? { capIdentifier: given } : {}), outcome };
}

/** Query or cancel, once per input item: the id is a broadcast message id or a CAP identifier from the State Store. */
async function lookupItems(ctx: IExecuteFunctions, action: 'query' | 'cancel'): Promise<INodeExecutionData[]> {
  const items = ctx.getInputData();
  const store = await broadcastIdStoreFor(ctx);
  return withSession(ctx, async ({ client }) => {
    const out: INodeExecutionData[] = [];
    for (let i = 0; i < items.length; i++) {
      try {
        const given = String(ctx.getNodeParameter('cbMessageId', i, '') ?? '').trim();
        if (!given) throw new FieldError('cbMessageId', `Broadcast ID or CAP Identifier is empty for item ${i}`);
        if (action === 'cancel') {
          out.push({ json: { type: 'cellBroadcastCancel', ...(await cancelNamed(client, store, given)) }, pairedItem: { item: i } });
          continue;
        }
        const record = await store.get(given);
        const messageId = record?.messageId ?? given;
        const ids: IDataObject = { messageId, ...(record ? { capIdentifier: given } : {}) };
        out.push({ json: { type: 'cellBroadcastState', ...ids, ...statusJson(await client.query(messageId)) }, pairedItem: { item: i } });
      } catch (err) {
        if (err instanceof CellBroadcastUnsupportedError) throw new NodeOperationError(ctx.getNode(), err.message, { description: UNSUPPORTED_HELP });
        if (!ctx.continueOnFail()) throw broadcastError(ctx, err);
        out.push({ json: { error: (err as Error).message }, pairedItem: { item: i } });
      }
    }
    return out;
  });
}

/**
 * Update: the new broadcast first, then the earlier one it replaces is cancelled (phones are never
 * without the warning in between), as a CAP Update does with the alerts it references.
 */
async function replaceBroadcast(ctx: IExecuteFunctions, cap: CapAlert | null): Promise<IDataObject> {
  const earlier = String(ctx.getNodeParameter('cbMessageId', 0, '') ?? '').trim();
  if (!earlier) throw new FieldError('cbMessageId', 'Broadcast to Replace is empty: give the message ID or CAP identifier of the broadcast this one replaces');
  const sent = await sendCellBroadcast(ctx, cap);
  const store = await broadcastIdStoreFor(ctx);
  const cancelled = await withSession(ctx, ({ client }) => cancelNamed(client, store, earlier));
  const replaced = [...((sent.replaced as IDataObject[] | undefined) ?? []), cancelled];
  return { ...sent, action: 'update', replaced };
}

/** Broadcast Alert's cell broadcast actions: send (alone or with the SMS), update, query or cancel. */
export async function executeCellBroadcast(ctx: IExecuteFunctions, action: BroadcastAction, runSms: SmsExecutor): Promise<INodeExecutionData[]> {
  // Version 2 hides the modem for cell broadcasts; version 1 let Transport be chosen with any Channel.
  if (readTransport(ctx) === 'modem') {
    throw new FieldError('transport', 'Cell broadcast goes through the SMPP carrier (SMPP 5.0 broadcast_sm), not a modem: choose Transport "SMPP Carrier" or "SMPP with Modem Failover"');
  }
  if (action.operation === 'query') return lookupItems(ctx, 'query');
  if (action.operation === 'cancel') return lookupItems(ctx, 'cancel');
  const cap = ctx.getNodeParameter('messageSource', 0, 'text') === 'cap' ? readCap(ctx) : null;
  if (cap && cap.msgType !== 'Cancel') capTextOf(ctx, cap); // an alert with no text fails before anything is sent
  const json = action.operation === 'update' ? await replaceBroadcast(ctx, cap) : await sendCellBroadcast(ctx, cap);
  const cell: INodeExecutionData = { json, pairedItem: { item: 0 } };
  if (action.resource !== 'both') return [cell];
  if (cap?.msgType === 'Cancel') {
    cell.json.sms = 'skipped: a CAP Cancel has no message to send by SMS';
    return [cell];
  }
  return [cell, ...(await runSms(ctx))];
}
