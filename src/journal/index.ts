/** What other layers use of src/journal/: nodes/ and credentials/ import it only through this file. */
export { RedisSendLedger } from './redis-send-ledger';
export { MemorySendLedger } from './send-ledger';
export type { LedgerRecord, SendLedger } from './send-ledger';
export { sendOnce } from './send-once';
