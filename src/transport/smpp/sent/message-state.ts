/**
 * message_state of query_sm_resp (SMPP 3.4 section 5.2.28; SMPP 5.0 section 4.7.15 adds 0 and 9).
 * Names as the specifications write them, so a workflow compares against the words in the carrier's
 * documentation.
 */
export const MESSAGE_STATES = [
  'SCHEDULED',
  'ENROUTE',
  'DELIVERED',
  'EXPIRED',
  'DELETED',
  'UNDELIVERABLE',
  'ACCEPTED',
  'UNKNOWN',
  'REJECTED',
  'SKIPPED',
] as const;

export type MessageStateName = (typeof MESSAGE_STATES)[number];

/** The value of each state on the wire. */
export const MESSAGE_STATE_VALUE: Record<MessageStateName, number> = Object.fromEntries(MESSAGE_STATES.map((name, value) => [name, value])) as Record<
  MessageStateName,
  number
>;

/** A state the message leaves no more: the carrier will not deliver, cancel or replace it any more. */
const FINAL = new Set<MessageStateName>(['DELIVERED', 'EXPIRED', 'DELETED', 'UNDELIVERABLE', 'REJECTED', 'SKIPPED']);

/** The name of a message_state value; values outside 0-9 (vendor ones) read as UNKNOWN. */
export function messageStateName(value: number): MessageStateName {
  return MESSAGE_STATES[value] ?? 'UNKNOWN';
}

export function isFinalState(state: MessageStateName): boolean {
  return FINAL.has(state);
}

/** The meaning of each state in a sentence, for outputs people read. */
export const MESSAGE_STATE_MEANING: Record<MessageStateName, string> = {
  SCHEDULED: 'held by the carrier until its scheduled delivery time',
  ENROUTE: 'on its way (or held for a scheduled time): it can still be cancelled or replaced',
  DELIVERED: 'delivered to the phone',
  EXPIRED: 'not delivered before its validity period ended',
  DELETED: 'cancelled (deleted at the carrier) before delivery',
  UNDELIVERABLE: 'the carrier could not deliver it',
  ACCEPTED: "accepted on the phone user's behalf (e.g. by customer service)",
  UNKNOWN: 'the carrier does not know its state',
  REJECTED: 'rejected by the carrier or the network',
  SKIPPED: 'skipped by the carrier (SMPP 5.0)',
};
