import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { LedgerRecord } from '../../src/journal/send-ledger';
import type { PreparedSms } from '../../src/gateway/prepare-message';

/** How long an idempotency key is kept (memory or Redis): a retry or re-run within it sends nothing twice. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export const idempotencyKeyOption: INodeProperties = {
  displayName: 'Idempotency Key', name: 'idempotencyKey', type: 'string', default: '', placeholder: '={{ $json.orderId }}-confirmation',
  description: 'Identifies this message, e.g. an order ID: a message with the same key to the same number is sent once, whatever runs it again, for 24 hours. Empty: the execution, node and item, so "Retry On Fail" never resends what was accepted.',
};

const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * The key of one recipient of one item. Default: this execution, node, run and item, plus what is
 * sent (so a loop or an agent sending a different message from the same item is not mistaken for
 * a retry); "Retry On Fail" repeats all of these. The user's key is used as given.
 */
export function idempotencyKey(ctx: IExecuteFunctions, itemIndex: number, runIndex: number, prepared: PreparedSms, text: string): string {
  const own = String((ctx.getNodeParameter('options', itemIndex, {}) as IDataObject).idempotencyKey ?? '').trim();
  const to = prepared.destination.e164;
  if (own) return `user:${sha(`${own}\u0000${to}`)}`;
  const node = ctx.getNode();
  return `run:${sha([ctx.getExecutionId(), node.id ?? node.name, runIndex, itemIndex, prepared.source.address, text, to].join('\u0000'))}`;
}

/** The output for a recipient an earlier run with the same key sent, may have sent, or is sending. */
export function earlierOutput(record: LedgerRecord, to: string): IDataObject {
  if (record.state === 'accepted') return { ...record.result, alreadySent: true } as IDataObject;
  const error = record.state === 'uncertain'
    ? 'an earlier attempt with this idempotency key may have reached the phone (the carrier never answered, or took only some parts): not sent again; to send it anyway, use another Idempotency Key'
    : 'an earlier attempt with this idempotency key has not finished (still sending, or it stopped): not sent again; to send it anyway, use another Idempotency Key';
  const base = record.state === 'uncertain' ? record.result : { to };
  return { ...base, status: 'failed', error, alreadySent: true, possibleDuplicate: true } as IDataObject;
}
