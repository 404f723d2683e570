/**
 * How a receipt's message id relates to the id submit_sm_resp gave us. receipted_message_id is
 * the submit_sm_resp id by definition (SMPP 3.4 5.3.2.12); the `id:` in the receipt text is the
 * same id for most carriers, but some write it in the other base (hex in one PDU, decimal in the
 * other). Reading every id both ways made ids collide: the receipt of "10" satisfied the waiter
 * for "16" (0x10), and an early "4096" the waiter for "16534" (0x4096). So an id is read one way
 * only: exactly, or in the other base when the carrier is known to write it so.
 *
 * Keys are typed: `x:<id>` for receipted_message_id (always the exact id), `t:<id>` for the id
 * in the text, so the two never stand for each other.
 */

/** same: the text id equals the submit_sm_resp id; hex: submit_sm_resp gives decimal, receipts write it in hex; decimal: the reverse. */
export type IdFormat = 'same' | 'hex' | 'decimal';
/** The credential setting: a fixed format, or learn it from the first receipt that shows it. */
export type IdFormatSetting = IdFormat | 'learn';

export const ID_FORMAT_SETTINGS: readonly IdFormatSetting[] = ['learn', 'same', 'hex', 'decimal'];

/** Case and leading zeros do not make another id ("00A1F" is "a1f"). */
export function normaliseId(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
}

const DECIMAL = /^[0-9]{1,20}$/;
const HEX = /^[0-9a-f]{1,16}$/;

/** The id written in hex, when it is a decimal number (else null). */
export function hexReading(id: string): string | null {
  const n = normaliseId(id);
  return DECIMAL.test(n) ? BigInt(n).toString(16) : null;
}

/** The id written in decimal, when it is a hex number (else null). */
export function decimalReading(id: string): string | null {
  const n = normaliseId(id);
  return HEX.test(n) ? BigInt(`0x${n}`).toString(10) : null;
}

/** How the receipt text writes the submit_sm_resp id `id` under `format`; null when it cannot (e.g. "hex" of a non-number). */
export function textIdFor(id: string, format: IdFormat): string | null {
  if (format === 'hex') return hexReading(id);
  if (format === 'decimal') return decimalReading(id);
  return normaliseId(id);
}

/** The ids a receipt carries, as written. */
export interface ReceiptIds {
  /** receipted_message_id. */
  tlvId?: string;
  /** `id:` of the receipt text. */
  textId?: string;
}

/** The receipted_message_id when the receipt carries one (not blank). */
export function tlvIdOf(ids: ReceiptIds): string | undefined {
  return ids.tlvId !== undefined && ids.tlvId.trim() !== '' ? ids.tlvId : undefined;
}

/**
 * Keys a receipt is found by: its receipted_message_id when it has one (that alone names the
 * message: a text id next to it that equals another message's id must not reach that message),
 * else its text id.
 */
export function receiptKeys(ids: ReceiptIds): string[] {
  const tlvId = tlvIdOf(ids);
  if (tlvId !== undefined) return [`x:${normaliseId(tlvId)}`];
  if (ids.textId !== undefined && ids.textId.trim() !== '') return [`t:${normaliseId(ids.textId)}`];
  return [];
}

/**
 * Keys the receipt of submit_sm_resp id `id` is found by: its exact receipted_message_id, and its
 * text id as `format` writes it (exactly while the format is not known yet).
 */
export function waitKeys(id: string, format: IdFormat | null): string[] {
  const keys = [`x:${normaliseId(id)}`];
  const text = textIdFor(id, format ?? 'same');
  if (text !== null) keys.push(`t:${text}`);
  return keys;
}

/**
 * The format a receipt shows by carrying both ids: receipted_message_id is the submit_sm_resp id,
 * so the text id next to it says how the carrier writes it. Null when the two readings cannot be
 * told apart (single-digit ids) or the ids are unrelated.
 */
export function formatTaughtBy(ids: ReceiptIds): IdFormat | null {
  if (!ids.tlvId || !ids.textId) return null;
  const tlv = normaliseId(ids.tlvId);
  const text = normaliseId(ids.textId);
  const fits = (['same', 'hex', 'decimal'] as const).filter((format) => textIdFor(tlv, format) === text);
  return fits.length === 1 ? fits[0] : null;
}

/** The other ids whose text id could read as `textId` before the format is known (its hex and decimal re-readings). */
export function ambiguousReadings(textId: string): string[] {
  const readings = new Set<string>();
  const n = normaliseId(textId);
  // A text id T is hex(S) for the decimal S = T read as hex, and decimal(S) for the hex S = T read as decimal.
  const asHex = decimalReading(n);
  const asDecimal = hexReading(n);
  if (asHex !== null && asHex !== n) readings.add(asHex);
  if (asDecimal !== null && asDecimal !== n) readings.add(asDecimal);
  return [...readings];
}
