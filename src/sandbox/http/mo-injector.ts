import { encodeMessage } from '../../encoding';
import type { SandboxSmsc } from '../sandbox-smsc';
import type { StoredMessage } from '../types';
import { HttpError } from './http-io';
import type { MoPartCounts } from './message-view';
import type { MoRequest } from './mo-input';

export interface MoOutcome {
  /** Id of the stored MO record (absent if the sandbox did not announce it). */
  id?: string;
  parts: number;
  /** True once the bound ESME acknowledged every part with deliver_sm_resp status 0. */
  delivered: boolean;
  /** True when no answer came within waitMs (e.g. no receiver/transceiver is bound yet): the sandbox keeps trying. */
  pending: boolean;
}

/**
 * Injects an MO message through the sandbox and waits (bounded) for the ESME's answer. The
 * sandbox waits for a receiving bind indefinitely, so an HTTP caller gets "pending" instead of a
 * request that never ends.
 */
export async function injectMo(smsc: SandboxSmsc, request: MoRequest, partCounts: MoPartCounts): Promise<MoOutcome> {
  const { inject, waitMs } = request;
  let parts: number;
  try {
    // The same call the sandbox makes, done first so bad text is a 400 and the count is known.
    parts = encodeMessage(inject.text, { concat: inject.concat ?? 'udh8', maxParts: 255 }).parts.length;
  } catch (err) {
    throw new HttpError(400, `text cannot be sent as an SMS: ${err instanceof Error ? err.message : String(err)}`);
  }
  // injectMo stores and announces its record synchronously before its first await; catching it
  // here (ahead of other listeners) lets the event stream carry the part count too.
  let record: StoredMessage | undefined;
  const capture = (message: StoredMessage): void => {
    if (record || message.direction !== 'mo') return;
    record = message;
    partCounts.remember(message.id, parts);
  };
  smsc.prependListener('message', capture);
  let delivery: Promise<{ parts: number; delivered: boolean }>;
  try {
    delivery = smsc.injectMo(inject);
  } finally {
    smsc.off('message', capture);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  try {
    const result = await Promise.race([delivery, timeout]);
    const id = (record as StoredMessage | undefined)?.id;
    if (result === null) return { id, parts, delivered: false, pending: true };
    return { id, parts: result.parts, delivered: result.delivered, pending: false };
  } finally {
    clearTimeout(timer);
  }
}
