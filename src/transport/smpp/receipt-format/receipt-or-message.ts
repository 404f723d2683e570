import type { MessagePdu } from '../pdu/message-pdu';
import { looksLikeReceiptText } from './receipt-text';

// esm_class bits 5-2: 0001 SMSC delivery receipt, 1000 intermediate delivery notification.
export const ESM_TYPE_MASK = 0x3c;
export const ESM_INTERMEDIATE = 0x20;

/**
 * A receipt rather than a message: any esm_class message type other than the default one (SMSC
 * receipt 0x04, SME acknowledgements 0x08/0x10, intermediate notification 0x20, or bits mixed
 * such as 0x24), a receipted_message_id, or a receipt text under esm_class 0 (carriers that leave
 * the bits unset). Each of these read as a message would put its text (an OTP echo) into workflow data.
 */
export function isReceiptPdu(pdu: MessagePdu): boolean {
  if ((pdu.esmClass & ESM_TYPE_MASK) !== 0 || pdu.tlvs.receiptedMessageId !== undefined) return true;
  const text = pdu.shortMessage.length > 0 ? pdu.shortMessage : pdu.tlvs.messagePayload;
  return text !== undefined && text.length > 0 && looksLikeReceiptText(text.toString('latin1'));
}
