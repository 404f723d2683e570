import type { SmppTransport } from '../transport/smpp/smpp-transport';
import { ReceiptTracker } from './receipt-tracker';

const trackers = new WeakMap<SmppTransport, ReceiptTracker>();

/** The receipt tracker listening on a transport (one per transport, attached on first use). */
export function receiptTrackerFor(transport: SmppTransport): ReceiptTracker {
  let tracker = trackers.get(transport);
  if (!tracker) {
    tracker = new ReceiptTracker();
    transport.addInboundHandler(tracker.handle, { receiptsOnly: true });
    trackers.set(transport, tracker);
  }
  return tracker;
}
