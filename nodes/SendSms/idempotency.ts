import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { LedgerRecord } from '../../src/journal';
import type { PreparedSms } from '../../src/gateway';

/** How long an idempotency key is kept (memory or Redis): a retry or re-run within it sends nothing twice. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export const idempotencyKeyOption: INodeProperties = {
  displayName: 'Idempotency Key',
  name: 'idempotencyKey',
  type: 'string',
  default: '',
  placeholder: '={{ $json.orderId }}-confirmation',
  description:
    'Identifies this message, e.g. an order ID: a message with the same key to the same number is sent once, whatever runs it again, for 24 hours. Empty: the execution, node and item, so "Retry On Fail" never resends what was accepted. As an AI agent\'s tool: the execution, node, number and message, so neither a retried tool call nor the agent repeating the same call in one execution sends it again.',
};

const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The Idempotency Key option of an item, '' when not set. */
export function ownIdempotencyKey(ctx: IExecuteFunctions, itemIndex: number): string {
  return String((ctx.getNodeParameter('options', itemIndex, {}) as IDataObject).idempotencyKey ?? '').trim();
}

/**
 * The key of one recipient of one item. Default: this execution, node, run and item, plus what is
 * sent (so a loop sending a different message from the same item is not mistaken for a retry);
 * "Retry On Fail" repeats all of these. As an agent's tool, n8n-core runs each try of a tool call
 * with a new run index, and an agent may repeat a call: the key is then the execution, node,
 * number and what is sent, nothing that changes between tries. The user's key is used as given.
 */
export function idempotencyKey(ctx: IExecuteFunctions, itemIndex: number, runIndex: number, prepared: PreparedSms, text: string, asTool: boolean): string {
  const own = ownIdempotencyKey(ctx, itemIndex);
  const to = prepared.destination.e164;
  if (own) return `user:${sha(`${own}\u0000${to}`)}`;
  const node = ctx.getNode();
  if (asTool) return `tool:${sha([ctx.getExecutionId(), node.id ?? node.name, prepared.source.address, text, to].join('\u0000'))}`;
  return `run:${sha([ctx.getExecutionId(), node.id ?? node.name, runIndex, itemIndex, prepared.source.address, text, to].join('\u0000'))}`;
}

/** What the error of a half-failed run can truly promise about the accepted messages. */
export function retryPromise(ctx: IExecuteFunctions, itemCount: number, asTool: boolean): string {
  if (asTool) return 'a retry of this tool call, or the same call again in this execution, does not send these again';
  const everyItemKeyed = Array.from({ length: itemCount }, (_, i) => ownIdempotencyKey(ctx, i)).every((key) => key !== '');
  if (everyItemKeyed) return 'a run with the same Idempotency Key does not send these again within 24 hours';
  return '"Retry On Fail" does not send these again; n8n\'s "Retry" of the failed execution starts a new execution, which sends them again unless the Idempotency Key option is set';
}

/** The output for a recipient an earlier run with the same key sent, may have sent, or is sending. */
export function earlierOutput(record: LedgerRecord, to: string): IDataObject {
  if (record.state === 'accepted') return { ...record.result, alreadySent: true } as IDataObject;
  if (record.state === 'unknown') {
    const error = `the idempotency keys in Redis were lost (${new Date(record.lostAt).toISOString()}: Redis restarted without persistence?), so the gateway cannot tell whether a message with this key was sent before: not sent; to send it anyway, use another Idempotency Key. Keys are refused like this for 24 hours after a loss; run Redis with persistence (appendonly yes) to keep them`;
    return { to, status: 'failed', error, alreadySent: false, possibleDuplicate: true } as IDataObject;
  }
  const error =
    record.state === 'uncertain'
      ? 'an earlier attempt with this idempotency key may have reached the phone (the carrier never answered, or took only some parts): not sent again; to send it anyway, use another Idempotency Key'
      : 'an earlier attempt with this idempotency key has not finished (still sending, or it stopped): not sent again; to send it anyway, use another Idempotency Key';
  const base = record.state === 'uncertain' ? record.result : { to };
  return { ...base, status: 'failed', error, alreadySent: true, possibleDuplicate: true } as IDataObject;
}
