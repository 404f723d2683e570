/**
 * Receipt states by meaning. SMPP 3.4 Appendix B lists seven 7-letter words (plus ENROUTE), but
 * carriers write DELIVERED, Delivered, FAILED, EN_ROUTE or the message_state number instead;
 * reading them by spelling made a DELIVERED receipt count as undelivered.
 */

export type ReceiptStatus = 'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD' | 'ENROUTE';

/** message_state TLV values (SMPP 3.4 section 5.2.28). */
export const MESSAGE_STATE: Record<ReceiptStatus, number> = {
  ENROUTE: 1,
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
};
const STATE_NAME = new Map(Object.entries(MESSAGE_STATE).map(([k, v]) => [v, k as ReceiptStatus]));

export const RECEIPT_STATUSES = Object.keys(MESSAGE_STATE) as ReceiptStatus[];

/** The status of a message_state value; null for values outside 1-8. */
export function statusOfMessageState(state: number): ReceiptStatus | null {
  return STATE_NAME.get(state) ?? null;
}

// Words seen from carriers and gateways (Kannel, Jasmin, aggregators), by what they mean. Compared
// upper-case with everything but letters removed, so "EN_ROUTE", "en route" and "Enroute" are one.
const WORDS: Record<ReceiptStatus, string[]> = {
  DELIVRD: ['DELIVRD', 'DELIVERED', 'DELIVER', 'DELIVRED', 'DLVRD', 'DELIVD', 'DELIVERY', 'SUCCESS', 'SUCCESSFUL', 'SUCCEEDED'],
  UNDELIV: ['UNDELIV', 'UNDELIVERABLE', 'UNDELIVERED', 'UNDELIVRD', 'UNDELIVR', 'UNDELIVD', 'NOTDELIVERED', 'FAILED', 'FAIL', 'FAILURE', 'ERROR'],
  EXPIRED: ['EXPIRED', 'EXPIRD', 'EXPIRE', 'EXPIRY'],
  DELETED: ['DELETED', 'DELETD', 'DELETE', 'CANCELLED', 'CANCELED', 'CANCELD'],
  REJECTD: ['REJECTD', 'REJECTED', 'REJECT', 'REJECTION', 'BLOCKED', 'BARRED'],
  ACCEPTD: ['ACCEPTD', 'ACCEPTED', 'ACCEPT'],
  ENROUTE: ['ENROUTE', 'ENRTE', 'BUFFERED', 'BUFFRED', 'PENDING', 'QUEUED', 'SENT', 'SUBMITTED', 'SUBMITD', 'SCHEDULED'],
  UNKNOWN: ['UNKNOWN', 'UNKNOWNSTATE', 'UNKNWN'],
};
const BY_WORD = new Map<string, ReceiptStatus>();
for (const [status, words] of Object.entries(WORDS) as Array<[ReceiptStatus, string[]]>) {
  for (const word of words) BY_WORD.set(word, status);
}

/** The status a carrier's `stat:` word means; null when the word is not one we know. */
export function statusByMeaning(word: string | undefined): ReceiptStatus | null {
  if (word === undefined) return null;
  const trimmed = word.trim();
  if (/^\d{1,2}$/.test(trimmed)) return statusOfMessageState(Number(trimmed));
  return BY_WORD.get(trimmed.toUpperCase().replace(/[^A-Z]/g, '')) ?? null;
}

/**
 * Final states end a message's life at the carrier. ENROUTE and ACCEPTD are intermediate here:
 * carriers send them on the way (buffered, accepted by the next network) and the final receipt
 * follows, so a wait for the outcome must not stop at them.
 */
export function isFinalStatus(status: ReceiptStatus): boolean {
  return status !== 'ENROUTE' && status !== 'ACCEPTD';
}
