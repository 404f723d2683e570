import { EncodingError, encodeMessage } from '../encoding';
import { BroadcastInputError } from './cell-broadcast-errors';

export type BroadcastEncoding = 'auto' | 'gsm7' | 'ucs2';

/**
 * A cell broadcast message is up to 15 pages (3GPP TS 23.041 clause 9.4.1.2): a page carries 93
 * GSM-7 characters (82 octets, packed) or 41 UCS-2 characters (82 octets). broadcast_sm has no
 * short_message: the whole text goes in message_payload, as SMPP writes text (GSM-7 one septet
 * per octet, UCS-2 big-endian), and the broadcast centre cuts it into pages.
 */
export const MAX_PAGES = 15;
const GSM7_PER_PAGE = 93;
const UCS2_OCTETS_PER_PAGE = 82;

export interface BroadcastContent {
  dataCoding: number;
  payload: Buffer;
  encoding: 'gsm7' | 'ucs2';
  /** Pages the centre needs (an escaped GSM-7 character counts two). */
  pages: number;
  characters: number;
}

export function encodeBroadcastText(text: unknown, encoding: BroadcastEncoding = 'auto', field = 'text'): BroadcastContent {
  if (typeof text !== 'string' || text.trim() === '') throw new BroadcastInputError(field, 'is empty; give the warning text');
  if (!['auto', 'gsm7', 'ucs2'].includes(encoding)) throw new BroadcastInputError('encoding', `must be auto, gsm7 or ucs2 (got "${String(encoding)}")`);
  let encoded;
  try {
    encoded = encodeMessage(text, { encoding, concat: 'payload', maxParts: 255, nationalLanguage: 'none' });
  } catch (err) {
    if (err instanceof EncodingError) throw new BroadcastInputError(field, err.message);
    throw err;
  }
  const payload = encoded.parts[0].messagePayload;
  if (!payload || (encoded.encoding !== 'gsm7' && encoded.encoding !== 'ucs2'))
    throw new BroadcastInputError(field, `cannot be sent as cell broadcast text (encoded as ${encoded.encoding})`);
  const gsm = encoded.encoding === 'gsm7';
  const pages = Math.ceil(encoded.septetsOrOctets / (gsm ? GSM7_PER_PAGE : UCS2_OCTETS_PER_PAGE));
  if (pages > MAX_PAGES) {
    const limit = gsm ? `${MAX_PAGES * GSM7_PER_PAGE} GSM-7 characters` : `${(MAX_PAGES * UCS2_OCTETS_PER_PAGE) / 2} UCS-2 characters`;
    throw new BroadcastInputError(field, `needs ${pages} cell broadcast pages; at most ${MAX_PAGES} fit (${limit})`);
  }
  return { dataCoding: encoded.dataCoding, payload, encoding: encoded.encoding, pages, characters: encoded.characters };
}
