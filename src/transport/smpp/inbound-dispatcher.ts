import { isReceiptPdu } from './receipt-format/receipt-or-message';
import type { MessagePdu } from './pdu/message-pdu';
import type { InboundHandler } from './types';

/** deliver_sm_resp status for "try again later": the carrier keeps the message and redelivers it. */
export const ESME_RX_T_APPN = 0x64;

/**
 * Hands inbound deliver_sm (MO messages and receipts) to the registered handlers and decides the
 * deliver_sm_resp status: 0 once every handler took it, a temporary error when one failed or when
 * nobody takes MO messages right now (so the carrier keeps them instead of us losing them).
 */
export class InboundDispatcher {
  private readonly handlers = new Set<InboundHandler>();
  private messageConsumers = 0;
  /** deliver_sm handed to handlers and not yet answered, per connection. */
  private readonly inProgress = new WeakMap<object, Set<Promise<void>>>();
  received = 0;

  /** `receiptsOnly` handlers (the receipt tracker) do not count as someone taking MO messages. */
  add(handler: InboundHandler, options: { receiptsOnly?: boolean } = {}): () => void {
    this.handlers.add(handler);
    if (!options.receiptsOnly) this.messageConsumers++;
    return () => {
      if (this.handlers.delete(handler) && !options.receiptsOnly) this.messageConsumers--;
    };
  }

  /** Dispatches one deliver_sm read from `connection`; `answer(status)` writes the deliver_sm_resp. */
  dispatch(connection: object, message: MessagePdu, answer: (status: number) => void): void {
    this.received++;
    if (!isReceiptPdu(message) && this.messageConsumers === 0) return answer(ESME_RX_T_APPN);
    const handlers = [...this.handlers];
    if (handlers.length === 0) return answer(0);
    const inbound = { pdu: message, receivedAt: new Date() };
    const answered = Promise.allSettled(handlers.map(async (h) => h(inbound))).then((results) => {
      answer(results.some((r) => r.status === 'rejected') ? ESME_RX_T_APPN : 0);
    });
    let set = this.inProgress.get(connection);
    if (!set) this.inProgress.set(connection, (set = new Set()));
    const tracked = set;
    tracked.add(answered);
    void answered.then(() => tracked.delete(answered));
  }

  /** Resolves when every deliver_sm read so far from `connection` has been answered. */
  settled(connection: object): Promise<unknown> {
    return Promise.allSettled([...(this.inProgress.get(connection) ?? [])]);
  }
}
