import { formatTag, MESSAGE_FRAMING_TAGS, tlvName } from './tlv-tags';

/**
 * A TLV of a received message or receipt as the SMS Trigger emits it: the tag as carrier
 * documents write it, the SMPP name of standard tags, the value's octets in hex (always exact),
 * and the value as text when it reads as text.
 */
export interface InboundTlv {
  tag: string;
  name?: string;
  hex: string;
  text?: string;
}

// C0 and C1 control characters and DEL: a value holding any of them is not shown as text.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The value as text: valid UTF-8 (ASCII included) without control characters, one trailing NUL allowed (C-octet strings). */
function asText(value: Buffer): string | undefined {
  const octets = value.length > 0 && value[value.length - 1] === 0 ? value.subarray(0, -1) : value;
  if (octets.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(octets);
  } catch {
    return undefined;
  }
  return CONTROL.test(text) ? undefined : text;
}

export function describeTlv(tag: number, value: Buffer): InboundTlv {
  const name = tlvName(tag);
  // Keys in the documented order (tag, name, hex, text): n8n shows them as they come.
  const tlv: InboundTlv = name ? { tag: formatTag(tag), name, hex: value.toString('hex') } : { tag: formatTag(tag), hex: value.toString('hex') };
  const text = asText(value);
  if (text !== undefined) tlv.text = text;
  return tlv;
}

/**
 * The TLVs of a PDU's TLV section (message-pdu.ts keeps it as received), in order, without the
 * ones that frame the message itself (SAR, message_payload: the event's text and parts say
 * those). The section was checked when the PDU was decoded; a truncated tail is ignored.
 */
export function inboundTlvs(section: Buffer | undefined): InboundTlv[] {
  const list: InboundTlv[] = [];
  if (!section) return list;
  let offset = 0;
  while (offset + 4 <= section.length) {
    const tag = section.readUInt16BE(offset);
    const length = section.readUInt16BE(offset + 2);
    const end = offset + 4 + length;
    if (end > section.length) break;
    if (!MESSAGE_FRAMING_TAGS.has(tag)) list.push(describeTlv(tag, section.subarray(offset + 4, end)));
    offset = end;
  }
  return list;
}

/** The TLVs of several parts of one message, in part order, each distinct tag and value once. */
export function mergeInboundTlvs(lists: ReadonlyArray<readonly InboundTlv[] | undefined>): InboundTlv[] {
  const seen = new Set<string>();
  const merged: InboundTlv[] = [];
  for (const list of lists) {
    for (const tlv of list ?? []) {
      const key = `${tlv.tag}:${tlv.hex}`;
      if (seen.has(key)) continue;
      seen.add(key);
      merged.push(tlv);
    }
  }
  return merged;
}
