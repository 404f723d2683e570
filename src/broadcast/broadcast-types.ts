import type { SmsRequest, SmsResult } from '../gateway/message-request';

/** One recipient as the node hands it over: raw number, its text, and the input item it came from. */
export interface BroadcastRecipient {
  to: string;
  text: string;
  itemIndex: number;
  /** The CSV row the number came from (1 = the first, the header if any; absent for items); a database row's place in key order. */
  row?: number;
  /** A database row's key (Key Column), as the server writes it. */
  key?: string;
}

/** Recipients as a list, or streamed in batches (a CSV file: never the whole list in memory). */
export type RecipientSource = BroadcastRecipient[] | AsyncIterable<BroadcastRecipient[]>;

export type RecipientOutcome = 'accepted' | 'failed' | 'invalid' | 'duplicate' | 'skipped_opt_out' | 'skipped_already_sent' | 'skipped_uncertain';

export interface RecipientResult extends Omit<Partial<SmsResult>, 'status'> {
  to: string;
  status: RecipientOutcome;
  itemIndex: number;
  /** The CSV row, for recipients read from a file (a database row's place in key order). */
  row?: number;
  /** The database row's key, for recipients read from PostgreSQL. */
  key?: string;
  error?: string;
}

export interface BroadcastSummary {
  broadcastId: string;
  dryRun: boolean;
  total: number;
  accepted: number;
  failed: number;
  invalid: number;
  duplicatesRemoved: number;
  skippedOptOut: number;
  skippedAlreadySent: number;
  skippedUncertain: number;
  /** Of the failed, how many may have reached the phone (written without an answer, or some parts accepted): kept as uncertain. */
  uncertain: number;
  /** Sent again on purpose although an earlier run left them uncertain ("Resend Uncertain"). */
  resentUncertain?: number;
  possibleDuplicates: number;
  /** The journal was found lost (Redis restarted without persistence): numbers without a state were skipped as uncertain. */
  journalLost?: boolean;
  parts: number;
  seconds: number;
  ratePerSecond: number;
  /** Dry run: how long the send would take at the credential's TPS. */
  estimatedSeconds?: number;
  partsPerMessage?: number;
  failureReasons?: Record<string, number>;
  /** Receipts per part; `notTracked`: parts sent by a modem that does not forward status reports. */
  delivery?: { delivered: number; undelivered: number; unknown: number; inProgress?: number; notTracked?: number; notTrackedReason?: string };
}

export interface BroadcastProgress {
  done: number;
  total: number;
  accepted: number;
  failed: number;
  ratePerSecond: number;
}

/** Message options applied to every recipient (text comes per recipient). */
export type BroadcastMessageOptions = Omit<SmsRequest, 'to' | 'text'>;
