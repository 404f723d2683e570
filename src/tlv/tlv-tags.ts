import * as smpp from 'smpp';
import { Tlv } from '../transport/smpp/pdu/command-ids';

/**
 * What we know about a TLV tag, read from node-smpp's own TLV table (SMPP 3.4 and 5.0 tags).
 *
 * How node-smpp treats tags, and why we do not register ours with `smpp.addTLV`:
 * - its decoder keeps a tag it does not know as a raw Buffer under the numeric tag
 *   (`pdu[0x1400]`), so a peer on the library receives vendor TLVs without any registration;
 * - its encoder walks the PDU's named properties and writes only names in its table: a vendor
 *   tag that was not registered with `smpp.addTLV` is dropped without a word.
 * Our submit_sm and deliver_sm never go through that encoder (message-pdu.ts writes them, custom
 * TLVs included, byte for byte), so nothing here depends on registration; registering vendor tags
 * in the library's process-wide table would also change how every other user of the library in
 * the n8n process decodes them. The table is used read-only: names and fixed sizes.
 */

/** Tags the gateway writes itself in every submit of a long message; a custom TLV may not set them. */
export const GATEWAY_OWNED_TAGS: ReadonlyMap<number, string> = new Map([
  [Tlv.sarMsgRefNum, 'Long Message Method (SAR)'],
  [Tlv.sarTotalSegments, 'Long Message Method (SAR)'],
  [Tlv.sarSegmentSeqnum, 'Long Message Method (SAR)'],
  [Tlv.messagePayload, 'the message text (Long Message Method "One PDU with Message Payload")'],
]);

/** Tags that frame the message itself (its text and its parts): not listed among an event's TLVs. */
export const MESSAGE_FRAMING_TAGS: ReadonlySet<number> = new Set(GATEWAY_OWNED_TAGS.keys());

/** The SMPP name of a standard tag (`user_message_reference`), undefined for vendor tags. */
export function tlvName(tag: number): string | undefined {
  return smpp.tlvsById[tag]?.tag;
}

const FIXED_SIZES = new Map<unknown, number>([
  [smpp.types.tlv.int8, 1],
  [smpp.types.tlv.int16, 2],
  [smpp.types.tlv.int32, 4],
]);

/** Octets the value of a standard integer TLV has (1, 2 or 4); undefined when the size is free. */
export function fixedTlvSize(tag: number): number | undefined {
  const def = smpp.tlvsById[tag];
  return def ? FIXED_SIZES.get(def.type) : undefined;
}

/** `0x1400`: how tags are written in carrier documents and in our events. */
export function formatTag(tag: number): string {
  return `0x${tag.toString(16).padStart(4, '0')}`;
}
