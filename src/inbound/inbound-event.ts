/**
 * What the SMS Trigger emits: one item per inbound message (after reassembly of its parts) or
 * per delivery receipt. Dates are ISO strings so the item is plain JSON in n8n.
 */

import type { InboundTlv } from '../tlv/inbound-tlv';

/** A text from a phone (MO), or a submit_sm from an application bound to our SMPP server. */
export interface MessageEvent {
  type: 'message';
  /** E.164 ('+447400123456') when the address is a phone number; otherwise as received (short code, alphanumeric). */
  from: string;
  to: string;
  text: string;
  /** 'gsm7' | 'ucs2' | 'latin1' | 'ascii' | 'binary', or 'mixed' when the parts differ. */
  encoding: string;
  /** Parts that make up the text (for an incomplete message: the parts that arrived). */
  parts: number;
  receivedAt: string;
  /** Which SMSC it came through: the carrier connection's label, 'server', or 'modem'. */
  smsc: string;
  /** The ESME's system_id (SMPP server source only). */
  systemId?: string;
  /**
   * SMPP server source: the message ids our submit_sm_resp gave the application, one per part.
   * Give them to Send SMS ("Report Delivery to Application") so the application gets its receipt.
   */
  messageIds?: string[];
  /** SMPP server source: whether the application asked for a delivery receipt (registered_delivery). */
  receiptRequested?: boolean;
  /** Set when some parts of a long message never arrived before the reassembly timeout or eviction. */
  incomplete?: true;
  /** The part count the message announced (only when incomplete). */
  totalParts?: number;
  /** 1-based sequence numbers of the parts that never arrived (only when incomplete). */
  missingParts?: number[];
  /**
   * Set (with incomplete) when the sender reused the message's reference while its parts arrived:
   * which message each part belongs to is unknown, so each part comes as an event of its own.
   */
  ambiguous?: true;
  /** Set when the text was an opt-out or opt-in keyword and the opt-out list was updated. */
  optOut?: 'added' | 'removed';
  optOutList?: string;
  /**
   * SMPP: the PDU's TLVs (optional parameters) other than those framing the text (SAR,
   * message_payload), in order; for a long message those of all parts, each tag and value once.
   * Absent when there were none (and for modems).
   */
  tlvs?: InboundTlv[];
}

/** A delivery receipt for one submitted part (a long message gets one receipt per part). */
export interface ReceiptEvent {
  type: 'receipt';
  /** The message id exactly as the carrier wrote it ('' when the receipt names none). */
  messageId: string;
  /** The id to match Send SMS's messageIds against (lower case, no leading zeros), plus the submit id it stands for when the credential says the carrier writes the other base. */
  messageIdKeys: string[];
  /** DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, ACCEPTD, ENROUTE or UNKNOWN, read by meaning (DELIVERED is DELIVRD). */
  status: string;
  /** False for intermediate states (ENROUTE, ACCEPTD): the final receipt follows. */
  final: boolean;
  /** The carrier's own status word when it is not the standard one. */
  carrierStatus?: string;
  error?: string;
  submittedAt?: string;
  doneAt?: string;
  /** The sender of the original message (our side). */
  from: string;
  /** The phone the original message went to. */
  to: string;
  receivedAt: string;
  smsc: string;
  /** SMPP: every TLV of the receipt PDU in order (receipted_message_id, message_state, a carrier's own, ...). */
  tlvs?: InboundTlv[];
}

export type InboundEvent = MessageEvent | ReceiptEvent;
export type InboundEventType = InboundEvent['type'];
export const INBOUND_EVENT_TYPES: readonly InboundEventType[] = ['message', 'receipt'];
