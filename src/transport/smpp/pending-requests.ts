import type { DecodedPdu } from './pdu/pdu-codec';

interface Waiter {
  resolve: (pdu: DecodedPdu) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Requests other than submit_sm (broadcast_sm, query_broadcast_sm, ...) waiting for their
 * response, by sequence number, each with its own timeout. Submits have the SubmitWindow.
 */
export class PendingRequests {
  private readonly waiting = new Map<number, Waiter>();

  has(seq: number): boolean {
    return this.waiting.has(seq);
  }

  /** Resolves with the response to `seq`, or rejects after timeoutMs (`what` names the request). */
  wait(seq: number, timeoutMs: number, what: string): Promise<DecodedPdu> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(seq);
        reject(new Error(`no answer to ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(seq, { resolve, reject, timer });
    });
  }

  /** Hands a response to its waiter; false when nobody waits for that sequence number. */
  answer(pdu: DecodedPdu): boolean {
    const waiter = this.waiting.get(pdu.sequence);
    if (!waiter) return false;
    this.waiting.delete(pdu.sequence);
    clearTimeout(waiter.timer);
    waiter.resolve(pdu);
    return true;
  }

  /** The link is gone: every waiter fails with the reason. */
  failAll(reason: string): void {
    for (const waiter of this.waiting.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`connection lost: ${reason}`));
    }
    this.waiting.clear();
  }
}
