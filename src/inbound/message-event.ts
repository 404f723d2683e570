import type { AssembledMessage, PartReading } from '../reassembly';
import { mergeInboundTlvs } from '../tlv/inbound-tlv';
import type { MessageEvent } from './inbound-event';
import type { InboundPart } from './inbound-part';

/** How the reassembler reads an inbound part: groups are kept apart per application (scope), sender and recipient. */
export function readInboundPart(part: InboundPart): PartReading {
  return {
    sender: [part.scope, part.from, part.to].join('\u0000'),
    concat: part.concat,
    text: part.text,
    endsInEscape: part.endsInEscape,
    textAfterEscape: part.textAfterEscape,
  };
}

/**
 * The workflow event of a reassembled message (or of what arrived of one given up): sender and
 * recipient of its first part, the time its last part arrived, one encoding or 'mixed', the TLVs
 * of all parts each once, and in server mode the id of every part the application submitted.
 */
export function messageEventOf(message: AssembledMessage<InboundPart>, at: { smsc: string; source: 'carrier' | 'server' | 'modem' }): MessageEvent {
  const parts = message.parts;
  const first = parts[0];
  const encodings = new Set(parts.map((p) => p.encoding));
  const last = parts.reduce((a, b) => (b.receivedAt > a.receivedAt ? b : a));
  const event: MessageEvent = {
    type: 'message',
    from: first.from,
    to: first.to,
    text: message.text,
    encoding: encodings.size === 1 ? first.encoding : 'mixed',
    parts: parts.length,
    receivedAt: last.receivedAt.toISOString(),
    smsc: at.smsc,
  };
  if (at.source === 'server') event.systemId = first.scope;
  const submitted = parts.filter((p) => p.submitted);
  if (submitted.length > 0) {
    event.messageIds = submitted.flatMap((p) => [p.submitted!.messageId, ...(p.submitted!.copyIds ?? [])]);
    event.receiptRequested = submitted.some((p) => p.submitted!.receiptRequested);
  }
  if (message.missingParts.length > 0) {
    event.incomplete = true;
    event.totalParts = message.totalParts;
    event.missingParts = message.missingParts;
  }
  if (message.ambiguous) event.ambiguous = true;
  if (parts.some((p) => p.tlvs)) event.tlvs = parts.length === 1 ? first.tlvs : mergeInboundTlvs(parts.map((p) => p.tlvs));
  return event;
}
