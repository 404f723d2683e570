/** What other layers use of src/broadcast/: nodes/ and credentials/ import it only through this file. */
export { broadcastIdentity, howToSendAgain } from './broadcast-identity';
export { MemoryBroadcastJournal } from './broadcast-journal';
export type { BroadcastJournal } from './broadcast-journal';
export { runBroadcast } from './broadcast-runner';
export { BroadcastStoppedError } from './broadcast-stopped';
export type { BroadcastRecipient, BroadcastSummary, RecipientResult, RecipientSource } from './broadcast-types';
export { CapAlertError, capAlertText, capIsExtremeImmediate, capPriority, parseCapAlert } from './cap-alert';
export type { CapAlert } from './cap-alert';
export { checkCsvColumns, csvNumberBatches, sha256OfStream } from './csv-recipients';
export { RedisBroadcastJournal } from './redis-broadcast-journal';
export { checkPostgresSettings, tryPostgresLogin } from './postgres-connection';
export type { PostgresSettings } from './postgres-connection';
export { checkPostgresRecipients, postgresFingerprint, postgresNumberPages, postgresParameters, POSTGRES_FIELDS } from './postgres-recipients';
export type { CheckedPostgresQuery } from './postgres-recipients';
