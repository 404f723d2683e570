import type { IdFormat } from './receipt-ids';
import type { DeliveryReceipt } from './receipt-pdu';

/** A feed of receipts recorded by any process; stop() ends it. */
export interface ReceiptFeed {
  /** Resolves once every receipt recorded from now on will reach the listener. */
  ready: Promise<void>;
  stop(): void;
}

/**
 * Receipts shared by every n8n process of one carrier account (queue mode): whichever process's
 * bind receives a receipt records it here before acknowledging it; waits in any process find it
 * (recorded already) or hear of it (recorded later). See redis-receipt-store.ts.
 */
export interface SharedReceiptStore {
  /** Records a receipt under its keys and publishes it; rejects when it could not (the PDU is then refused and redelivered). */
  record(receipt: DeliveryReceipt): Promise<void>;
  /** The latest receipt under the first of `keys` that has one, a final one preferred. */
  find(keys: string[]): Promise<DeliveryReceipt | null>;
  follow(listener: (receipt: DeliveryReceipt) => void): ReceiptFeed;
  /** The id format learned by any process (see receipt-ids.ts), or null. */
  learnedFormat(): Promise<IdFormat | null>;
  saveFormat(format: IdFormat): Promise<void>;
}
