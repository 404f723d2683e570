import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { ReceiptIds } from './receipt-ids';
import type { ReceiptStatus } from '../transport/smpp/receipt-format/receipt-status';
import { isFinalStatus, statusByMeaning, statusOfMessageState } from '../transport/smpp/receipt-format/receipt-status';
import { parseReceiptText } from '../transport/smpp/receipt-format/receipt-text';
import { ESM_INTERMEDIATE, ESM_TYPE_MASK, isReceiptPdu } from '../transport/smpp/receipt-format/receipt-or-message';
import { inboundTlvs } from '../tlv/inbound-tlv';
import type { InboundTlv } from '../tlv/inbound-tlv';
import type { ReceiptFields } from '../transport/smpp/receipt-format/receipt-text';

export { isReceiptPdu };

/** A delivery receipt for one submitted part. It never holds the `text:` echo of the message. */
export interface DeliveryReceipt {
  /** receipted_message_id when present, else the text's `id:`; '' when the receipt names no id. */
  messageId: string;
  /** Both ids as written, for matching (see receipt-ids.ts). */
  ids?: ReceiptIds;
  status: ReceiptStatus;
  /** The carrier's own word when it is not the standard one (e.g. DELIVERED), or a word we do not know. */
  carrierStatus?: string;
  /** False for intermediate states (ENROUTE, ACCEPTD, or esm_class "intermediate delivery notification"). */
  final: boolean;
  error?: string;
  submittedAt?: Date;
  doneAt?: Date;
  receivedAt: Date;
  from: string;
  to: string;
  /** Type of number of `from` and `to` as the PDU gave them (to read them as E.164). */
  fromTon?: number;
  toTon?: number;
  /** Every TLV of the receipt PDU, in order (the SMS Trigger's `tlvs`); absent when it had none. */
  tlvs?: InboundTlv[];
}

// What a carrier writes in err: and stat:, as opposed to text it copied from the message.
const ERROR_CODE = /^[0-9A-Za-z_.-]{1,16}$/;
const STATUS_WORD = /^[A-Z][A-Z _-]{0,23}$/;

/** The err: code when it is one (a word of at most 16 letters and digits); anything else is dropped. */
export function cleanReceiptError(error: string | undefined): string | undefined {
  const word = error?.trim();
  return word && ERROR_CODE.test(word) ? word : undefined;
}

/** The carrier's status word when it is one (letters only): digits or long text may be a message echo. */
export function cleanCarrierStatus(word: string | undefined): string | undefined {
  const written = word?.trim().toUpperCase();
  return written && STATUS_WORD.test(written) ? written : undefined;
}

/** The receipt text, from short_message or, when that has none, message_payload. */
function receiptText(pdu: MessagePdu): ReceiptFields | null {
  const inShort = pdu.shortMessage.length > 0 ? parseReceiptText(pdu.shortMessage.toString('latin1')) : null;
  if (inShort) return inShort;
  const payload = pdu.tlvs.messagePayload;
  return payload && payload.length > 0 ? parseReceiptText(payload.toString('latin1')) : null;
}

function statusOf(pdu: MessagePdu, word: string | undefined): { status: ReceiptStatus; carrierStatus?: string } {
  const fromTlv = pdu.tlvs.messageState !== undefined ? statusOfMessageState(pdu.tlvs.messageState) : null;
  const fromWord = statusByMeaning(word);
  const status = fromTlv ?? fromWord ?? 'UNKNOWN';
  const written = cleanCarrierStatus(word);
  return written && written !== status ? { status, carrierStatus: written } : { status };
}

/** Receipts already parsed, per inbound message: the tracker, the metrics and the trigger each read it. */
const parsedOnce = new WeakMap<object, DeliveryReceipt | null>();

/**
 * receiptFromPdu for one inbound deliver_sm, parsed once however many handlers of the bind read it
 * (every handler gets the same message object). Read-only: the receipt is shared.
 */
export function receiptOf(message: { pdu: MessagePdu; receivedAt: Date }): DeliveryReceipt | null {
  let receipt = parsedOnce.get(message);
  if (receipt === undefined) {
    receipt = receiptFromPdu(message.pdu, message.receivedAt);
    parsedOnce.set(message, receipt);
  }
  return receipt;
}

/**
 * Reads a receipt out of a deliver_sm; null when the PDU is an ordinary MO message. A PDU that
 * esm_class marks as a receipt is always a receipt, even unreadable (messageId '', UNKNOWN):
 * handing it on as a message would put its `text:` echo (an OTP code, say) into workflow data.
 */
export function receiptFromPdu(pdu: MessagePdu, receivedAt = new Date()): DeliveryReceipt | null {
  if (!isReceiptPdu(pdu)) return null;
  const parsed = receiptText(pdu);
  const tlvId = pdu.tlvs.receiptedMessageId?.trim() || undefined;
  const textId = parsed?.id.trim() || undefined;
  const { status, carrierStatus } = statusOf(pdu, parsed?.stat);
  const networkError = pdu.tlvs.networkErrorCode ? pdu.tlvs.networkErrorCode.toString('hex') : undefined;
  const receipt: DeliveryReceipt = {
    messageId: tlvId ?? textId ?? '',
    ids: { tlvId, textId },
    status,
    final: isFinalStatus(status) && (pdu.esmClass & ESM_TYPE_MASK) !== ESM_INTERMEDIATE,
    receivedAt,
    // A receipt travels back: its source is the phone, its destination our sender.
    from: pdu.destination.addr,
    to: pdu.source.addr,
    fromTon: pdu.destination.ton,
    toTon: pdu.source.ton,
  };
  if (carrierStatus) receipt.carrierStatus = carrierStatus;
  const error = cleanReceiptError(parsed?.err) ?? networkError;
  if (error !== undefined) receipt.error = error;
  if (parsed?.submitDate) receipt.submittedAt = parsed.submitDate;
  if (parsed?.doneDate) receipt.doneAt = parsed.doneDate;
  const tlvs = inboundTlvs(pdu.tlvs.received);
  if (tlvs.length > 0) receipt.tlvs = tlvs;
  return receipt;
}
