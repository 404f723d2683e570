/**
 * Delivery receipts our SMPP server sends back to the applications that submit to it and ask for
 * one (registered_delivery): the standard Appendix B text plus receipted_message_id and
 * message_state, for the message id our submit_sm_resp gave them.
 */
import { parseSmppTime } from '../pdu/smpp-time';
import { MESSAGE_STATE, isFinalStatus } from '../receipt-format/receipt-status';
import type { ReceiptStatus } from '../receipt-format/receipt-status';
import { formatReceiptText } from '../receipt-format/receipt-text';
import { blankMessagePdu } from '../pdu/message-pdu';
import type { MessagePdu, SmppAddress } from '../pdu/message-pdu';

/** What we need to answer one submit_sm with a receipt, kept from the moment it arrived. */
export interface ClientReceiptRequest {
  /** The id our submit_sm_resp gave the application. */
  messageId: string;
  systemId: string;
  /**
   * The listener the message came in on (SmppServer.listenerId): its receipt goes back there, not
   * to the same system_id bound to another port or another n8n instance sharing the Redis.
   */
  listener?: string;
  /** The application's source_addr and destination_addr (the receipt goes the other way). */
  source: SmppAddress;
  destination: SmppAddress;
  registeredDelivery: number;
  submittedAt: number;
  /** After this the receipt is no longer delivered (the message's validity period). */
  validUntil: number;
}

/** The outcome the workflow reports for the application's message. */
export interface ClientReceiptOutcome {
  status: ReceiptStatus;
  /** Network or carrier error code (at most 3 digits in the text). */
  error?: string;
  doneAt?: number;
}

const DEFAULT_VALIDITY_MS = 48 * 3_600_000;
/**
 * How long a receipt waits for its application after it was reported, however short the message's
 * validity period: outcomes come after it (EXPIRED always does), and the application may be away.
 */
export const RECEIPT_HOLD_MS = 24 * 3_600_000;

/** Until when a reported receipt waits for its application: the validity period's end, or holdMs after the report if later. */
export function receiptDeadline(
  request: Pick<ClientReceiptRequest, 'validUntil'>,
  outcome: Pick<ClientReceiptOutcome, 'doneAt'>,
  now: number,
  holdMs = RECEIPT_HOLD_MS,
): number {
  return Math.max(request.validUntil, Math.min(outcome.doneAt ?? now, now) + holdMs);
}
const MAX_VALIDITY_MS = 7 * 24 * 3_600_000;

/** Whether registered_delivery asks for a receipt at all (final or intermediate). */
export function asksForReceipt(registeredDelivery: number): boolean {
  return (registeredDelivery & 0x03) !== 0 || (registeredDelivery & 0x10) !== 0;
}

/**
 * registered_delivery bits 1-0: 01 a receipt on the final outcome, 10 on failure only, 11 on
 * success only (SMPP 5.0); bit 4: intermediate notifications.
 */
export function wantsReceipt(registeredDelivery: number, status: ReceiptStatus): boolean {
  if (!isFinalStatus(status)) return (registeredDelivery & 0x10) !== 0;
  switch (registeredDelivery & 0x03) {
    case 1:
      return true;
    case 2:
      return status !== 'DELIVRD';
    case 3:
      return status === 'DELIVRD';
    default:
      return false;
  }
}

/** The request for a submit_sm we accepted with `messageId`; its validity from validity_period (48 h when empty, 7 days at most). */
export function clientReceiptRequest(pdu: MessagePdu, messageId: string, systemId: string, receivedAt: Date, listener?: string): ClientReceiptRequest {
  const until = parseSmppTime(pdu.validityPeriod, receivedAt)?.getTime() ?? receivedAt.getTime() + DEFAULT_VALIDITY_MS;
  return {
    messageId,
    systemId,
    ...(listener !== undefined ? { listener } : {}),
    source: { ...pdu.source },
    destination: { ...pdu.destination },
    registeredDelivery: pdu.registeredDelivery,
    submittedAt: receivedAt.getTime(),
    validUntil: Math.min(Math.max(until, receivedAt.getTime()), receivedAt.getTime() + MAX_VALIDITY_MS),
  };
}

/** The deliver_sm carrying the receipt. The text has no `text:` echo (we keep no message text). */
export function clientReceiptPdu(request: ClientReceiptRequest, outcome: ClientReceiptOutcome): MessagePdu {
  const final = isFinalStatus(outcome.status);
  const doneAt = new Date(outcome.doneAt ?? Date.now());
  const error = (outcome.error ?? (outcome.status === 'DELIVRD' || !final ? '0' : '1')).replace(/\D/g, '').slice(-3).padStart(3, '0');
  const pdu = blankMessagePdu();
  pdu.source = { ...request.destination };
  pdu.destination = { ...request.source };
  pdu.esmClass = final ? 0x04 : 0x20; // SMSC delivery receipt, or intermediate delivery notification
  pdu.shortMessage = Buffer.from(
    formatReceiptText({
      id: request.messageId,
      sub: '001',
      dlvrd: outcome.status === 'DELIVRD' ? '001' : '000',
      submitDate: new Date(request.submittedAt),
      doneDate: doneAt,
      stat: outcome.status,
      err: error,
      text: '',
    }),
    'latin1',
  );
  pdu.tlvs = { receiptedMessageId: request.messageId, messageState: MESSAGE_STATE[outcome.status] };
  return pdu;
}
