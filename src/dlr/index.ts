/** What other layers use of src/dlr/: nodes/ and credentials/ import it only through this file. */
export { relayApplicationReceipts } from './application-receipt-relay';
export { RedisApplicationReceipts, memoryApplicationReceipts } from './application-receipts';
export type { ApplicationReceipts, ReceiptRoute, ReceiptSender, ReportResult } from './application-receipts';
export { sharedReceiptStore } from './carrier-receipts';
export { ID_FORMAT_SETTINGS } from './receipt-ids';
export type { IdFormatSetting } from './receipt-ids';
export { ReceiptTracker } from './receipt-tracker';
export type { DeliveryReceipt, WaitOptions } from './receipt-tracker';
export { modemReceiptKey, modemReceiptTrackerFor, receiptTrackerFor } from './tracker-registry';
