import type { InboundHandler } from '../transport/smpp/types';
import type { DeliveryReceipt } from './receipt-pdu';
import { ReceiptTracker } from './receipt-tracker';

/**
 * What the tracker needs of a GSM modem (GsmModem has it): its status reports. Written as a shape
 * so that dlr/ does not import transport/modem/, which imports dlr/ for the receipt format.
 */
export interface ModemReportSource {
  addReportHandler(handler: (message: { modem: { kind: string; receipt?: DeliveryReceipt } }) => void): unknown;
}

/** Where receipts come from: a transport, or a pool of binds of one credential (each handler on every bind). */
export interface InboundSource {
  addInboundHandler(handler: InboundHandler, options?: { receiptsOnly?: boolean }): () => void;
}

const trackers = new WeakMap<InboundSource, ReceiptTracker>();
const modemTrackers = new WeakMap<ModemReportSource, ReceiptTracker>();

/**
 * The receipt tracker listening on a transport, attached on first use: `tracker` when given (the
 * registry attaches its carrier's tracker before the bind, see carrier-receipts.ts), else a new one.
 */
export function receiptTrackerFor(transport: InboundSource, tracker?: ReceiptTracker): ReceiptTracker {
  let attached = trackers.get(transport);
  if (!attached) {
    attached = tracker ?? new ReceiptTracker();
    transport.addInboundHandler(attached.handle, { receiptsOnly: true });
    trackers.set(transport, attached);
  }
  return attached;
}

/**
 * Moves a transport's receipts to `tracker`, one shared through Redis, when the one attached
 * keeps them in this process only (the bind was opened by a node without the Redis state store):
 * both record every receipt from now on, so waits begun on the old one still end, and later waits
 * use the shared one. A shared tracker is never replaced by a local one.
 */
export function shareReceiptsThrough(transport: InboundSource, tracker: ReceiptTracker): void {
  const attached = trackers.get(transport);
  if (!attached) {
    receiptTrackerFor(transport, tracker);
    return;
  }
  if (attached === tracker || attached.shared || !tracker.shared) return;
  transport.addInboundHandler(tracker.handle, { receiptsOnly: true });
  trackers.set(transport, tracker);
}

/**
 * How a modem's receipt is found: its message reference (TP-MR) is one byte and comes round
 * again after 256 messages, so it is paired with the recipient. Only the last 8 digits count:
 * networks write the recipient of a status report in international or national form.
 */
export function modemReceiptKey(messageReference: string | number, recipient: string): string {
  return `${messageReference}/${recipient.replace(/\D/g, '').slice(-8)}`;
}

/** The receipt tracker fed by a modem's status reports, keyed by modemReceiptKey. */
export function modemReceiptTrackerFor(modem: ModemReportSource): ReceiptTracker {
  let tracker = modemTrackers.get(modem);
  if (!tracker) {
    const created = new ReceiptTracker();
    modem.addReportHandler((message) => {
      const receipt = message.modem.receipt;
      if (message.modem.kind !== 'statusReport' || !receipt) return;
      created.accept({ ...receipt, messageId: modemReceiptKey(receipt.messageId, receipt.to) });
    });
    modemTrackers.set(modem, created);
    tracker = created;
  }
  return tracker;
}
