import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { InboundMessage } from '../transport/smpp/types';
import { messageIdKeys, messageStateName, parseReceiptText } from './receipt-text';

export interface DeliveryReceipt {
  messageId: string;
  status: string;
  error?: string;
  submittedAt?: Date;
  doneAt?: Date;
  receivedAt: Date;
  from: string;
  to: string;
}

/** Reads a receipt out of a deliver_sm; null when the PDU is an ordinary MO message. */
export function receiptFromPdu(pdu: MessagePdu, receivedAt = new Date()): DeliveryReceipt | null {
  const isReceipt = (pdu.esmClass & 0x3c) === 0x04 || pdu.tlvs.receiptedMessageId !== undefined;
  if (!isReceipt) return null;
  const parsed = parseReceiptText(pdu.shortMessage.toString('latin1'));
  const messageId = pdu.tlvs.receiptedMessageId ?? parsed?.id;
  if (!messageId) return null;
  const status = parsed?.stat ?? (pdu.tlvs.messageState !== undefined ? messageStateName(pdu.tlvs.messageState) : 'UNKNOWN');
  const networkError = pdu.tlvs.networkErrorCode ? pdu.tlvs.networkErrorCode.toString('hex') : undefined;
  return {
    messageId,
    status,
    error: parsed?.err ?? networkError,
    submittedAt: parsed?.submitDate,
    doneAt: parsed?.doneDate,
    receivedAt,
    // A receipt travels back: its source is the phone, its destination our sender.
    from: pdu.destination.addr,
    to: pdu.source.addr,
  };
}

interface Waiter {
  keys: string[];
  resolve: (receipt: DeliveryReceipt) => void;
}

/**
 * Matches receipts to the messages we sent, for every part of a long message. Ids are matched in
 * every form they may take (hex in one PDU, decimal in the other). Receipts that arrive before
 * anyone waits (fast carriers) are kept for a while so a waiter registered late still gets them.
 */
export class ReceiptTracker {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly early = new Map<string, { receipt: DeliveryReceipt; at: number }>();

  constructor(private readonly keepEarlyMs = 10 * 60_000, private readonly maxEarly = 100_000) {}

  /** An InboundHandler: feed it every deliver_sm. */
  readonly handle = (message: InboundMessage): void => {
    const receipt = receiptFromPdu(message.pdu, message.receivedAt);
    if (receipt) this.accept(receipt);
  };

  accept(receipt: DeliveryReceipt): void {
    const keys = messageIdKeys(receipt.messageId);
    // Exact form first, so an id that happens to read as another id in hex/decimal loses the tie.
    for (const key of keys) {
      const set = this.waiters.get(key);
      if (set && set.size > 0) {
        const waiter = set.values().next().value as Waiter;
        this.remove(waiter);
        waiter.resolve(receipt);
        return;
      }
    }
    this.pruneEarly();
    for (const key of keys) this.early.set(key, { receipt, at: Date.now() });
  }

  /** Resolves with the receipt for messageId, or null after timeoutMs. */
  waitFor(messageId: string, timeoutMs: number): Promise<DeliveryReceipt | null> {
    const keys = messageIdKeys(messageId);
    for (const key of keys) {
      const hit = this.early.get(key);
      if (hit) {
        for (const k of messageIdKeys(hit.receipt.messageId)) this.early.delete(k);
        return Promise.resolve(hit.receipt);
      }
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        keys,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.remove(waiter);
        resolve(null);
      }, timeoutMs);
      for (const key of keys) {
        const set = this.waiters.get(key) ?? new Set<Waiter>();
        set.add(waiter);
        this.waiters.set(key, set);
      }
    });
  }

  private remove(waiter: Waiter): void {
    for (const key of waiter.keys) {
      const set = this.waiters.get(key);
      set?.delete(waiter);
      if (set && set.size === 0) this.waiters.delete(key);
    }
  }

  private pruneEarly(): void {
    if (this.early.size < this.maxEarly) return;
    const cutoff = Date.now() - this.keepEarlyMs;
    for (const [key, value] of this.early) {
      if (value.at < cutoff || this.early.size >= this.maxEarly) this.early.delete(key);
    }
  }
}
