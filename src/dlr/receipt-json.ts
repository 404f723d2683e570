import { cleanCarrierStatus, cleanReceiptError } from './receipt-pdu';
import type { DeliveryReceipt } from './receipt-pdu';
import { RECEIPT_STATUSES } from '../transport/smpp/receipt-format/receipt-status';
import type { ReceiptStatus } from '../transport/smpp/receipt-format/receipt-status';
import type { InboundTlv } from '../tlv/inbound-tlv';

type Stored = Omit<DeliveryReceipt, 'submittedAt' | 'doneAt' | 'receivedAt' | 'status'> & {
  status: string;
  submittedAt?: string;
  doneAt?: string;
  receivedAt: string;
};

/** A receipt as JSON for Redis (dates as ISO strings). */
export function receiptToJson(receipt: DeliveryReceipt): string {
  const stored: Stored = {
    ...receipt,
    submittedAt: receipt.submittedAt?.toISOString(),
    doneAt: receipt.doneAt?.toISOString(),
    receivedAt: receipt.receivedAt.toISOString(),
  };
  return JSON.stringify(stored);
}

function date(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** The receipt's TLVs as stored; anything malformed (a foreign or older value) is left out. */
function storedTlvs(value: unknown): InboundTlv[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const tlvs = value
    .filter((t): t is InboundTlv => typeof t === 'object' && t !== null && typeof t.tag === 'string' && typeof t.hex === 'string')
    .map((t) => {
      const tlv: InboundTlv = typeof t.name === 'string' ? { tag: t.tag, name: t.name, hex: t.hex } : { tag: t.tag, hex: t.hex };
      if (typeof t.text === 'string') tlv.text = t.text;
      return tlv;
    });
  return tlvs.length > 0 ? tlvs : undefined;
}

/** Reads back receiptToJson; null for anything that is not one (a foreign value under our key). */
export function receiptFromJson(json: string): DeliveryReceipt | null {
  let stored: Partial<Stored>;
  try {
    stored = JSON.parse(json) as Partial<Stored>;
  } catch {
    return null;
  }
  const receivedAt = date(stored.receivedAt);
  if (typeof stored.messageId !== 'string' || !receivedAt || !RECEIPT_STATUSES.includes(stored.status as ReceiptStatus)) return null;
  const receipt: DeliveryReceipt = {
    messageId: stored.messageId,
    status: stored.status as ReceiptStatus,
    final: stored.final !== false,
    receivedAt,
    from: String(stored.from ?? ''),
    to: String(stored.to ?? ''),
  };
  if (stored.ids) receipt.ids = { tlvId: stored.ids.tlvId, textId: stored.ids.textId };
  // Cleaned again: a receipt recorded by an older version may hold text copied from the message.
  const carrierStatus = typeof stored.carrierStatus === 'string' ? cleanCarrierStatus(stored.carrierStatus) : undefined;
  if (carrierStatus) receipt.carrierStatus = carrierStatus;
  if (typeof stored.fromTon === 'number') receipt.fromTon = stored.fromTon;
  if (typeof stored.toTon === 'number') receipt.toTon = stored.toTon;
  const error = typeof stored.error === 'string' ? cleanReceiptError(stored.error) : undefined;
  if (error) receipt.error = error;
  const submittedAt = date(stored.submittedAt);
  const doneAt = date(stored.doneAt);
  if (submittedAt) receipt.submittedAt = submittedAt;
  if (doneAt) receipt.doneAt = doneAt;
  const tlvs = storedTlvs(stored.tlvs);
  if (tlvs) receipt.tlvs = tlvs;
  return receipt;
}
