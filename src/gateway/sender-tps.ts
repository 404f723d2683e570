/**
 * An optional TPS per sender ID, within the credential's cap (Jasmin issue #304): carriers and
 * regulators rate some senders (a brand, a short code) lower than the account. Each part waits for
 * its sender's budget before it joins the transport's queue, where the credential's TPS cap and
 * window apply as for any part. Budgets are per n8n process (like the credential's cap without
 * Redis); a sender not listed has the credential's cap only.
 */
import { SmppSubmitError, WITHDRAWN } from '../transport/smpp/types';
import type { SubmitOptions, SubmitResult } from '../transport/smpp/types';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { PartSender } from './send-sms';
import { SlidingWindowLog, windowLogPolicy } from '../throttle/sliding-window-log';

/** A sliding second plus a guard for the trip to the carrier (as the credential's cap counts it). */
const WINDOW_MS = 1050;

/** A "SENDER=TPS" list that cannot be read: `entry` is the part at fault. */
export class SenderTpsError extends Error {
  constructor(readonly entry: string, problem: string) {
    super(problem);
    this.name = 'SenderTpsError';
  }
}

/**
 * The key a sender is limited by, the same for a listed sender and a PDU's source_addr: a number
 * written as "+44 7911 000111" is sent as the digits 447911000111, so a numeric sender keeps its
 * digits only; an alphanumeric one stays as written.
 */
export function senderTpsKey(sender: string): string {
  const trimmed = sender.trim();
  return /^\+?[\d\s().-]+$/.test(trimmed) ? trimmed.replace(/\D/g, '') : trimmed;
}

/** Reads "MyBrand=10, 60777=5" (commas, semicolons or new lines between entries); empty: no limits. */
export function parseSenderTps(text: string, cap = 0): Map<string, number> {
  const limits = new Map<string, number>();
  for (const raw of text.split(/[,;\n]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const match = /^(.+?)\s*=\s*(\S+)$/.exec(entry);
    if (!match) throw new SenderTpsError(entry, `"${entry}" is not SENDER=TPS (e.g. MyBrand=10)`);
    const sender = senderTpsKey(match[1]);
    const tps = Number(match[2]);
    if (!Number.isInteger(tps) || tps < 1) throw new SenderTpsError(entry, `"${entry}": the TPS must be a whole number of at least 1`);
    if (cap > 0 && tps > cap) throw new SenderTpsError(entry, `"${entry}" is above the credential's Messages per Second (${cap}): a sender cannot send faster than its account`);
    if (limits.has(sender)) throw new SenderTpsError(entry, `"${sender}" is listed twice`);
    limits.set(sender, tps);
  }
  return limits;
}

export class SenderTpsLimit {
  private readonly logs = new Map<string, SlidingWindowLog>();

  constructor(readonly limits: ReadonlyMap<string, number>) {
    for (const [sender, tps] of limits) this.logs.set(sender, new SlidingWindowLog(windowLogPolicy(tps, WINDOW_MS)));
  }

  /** Resolves once `sender` may send one more part now (at once for a sender without a limit). */
  async take(sender: string, signal?: AbortSignal): Promise<void> {
    const log = this.logs.get(senderTpsKey(sender));
    if (!log) return;
    for (;;) {
      if (signal?.aborted) throw new SmppSubmitError(WITHDRAWN, 'cancelled');
      const answer = log.take(Date.now(), 1);
      if (answer.granted > 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, answer.retryInMs)));
    }
  }

  /** `inner` with every part waiting for its sender's budget first. */
  wrap(inner: PartSender): PartSender {
    return {
      submit: async (pdu: MessagePdu, options?: SubmitOptions): Promise<SubmitResult> => {
        await this.take(pdu.source.addr, options?.signal);
        return inner.submit(pdu, options);
      },
      unusableReason: inner.unusableReason ? () => inner.unusableReason!() : undefined,
    };
  }
}
