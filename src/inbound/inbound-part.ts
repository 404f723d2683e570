import { decodeMessage } from '../encoding';
import type { ConcatInfo } from '../encoding';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import { inboundAddress } from './inbound-address';
import { inboundTlvs } from '../tlv/inbound-tlv';
import type { InboundTlv } from '../tlv/inbound-tlv';

/** One received PDU's share of a message, decoded; a long message arrives as several. */
export interface InboundPart {
  from: string;
  to: string;
  text: string;
  encoding: string;
  /** Set only when the PDU is one part of several (total > 1). */
  concat?: ConcatInfo;
  receivedAt: Date;
  /** Keeps reassembly groups of different senders apart (the ESME system_id in server mode). */
  scope: string;
  /**
   * Server mode: the id our submit_sm_resp gives the application for this part, and whether it
   * asked for a receipt; `copyIds`: the ids given to copies of this part it submitted again.
   */
  submitted?: { messageId: string; receiptRequested: boolean; copyIds?: string[] };
  /** GSM-7 part of several: its septets end in an escape meant for the next part's first septet. */
  endsInEscape?: true;
  /** GSM-7 part 2 or later: its text when the part before ended in an escape. */
  textAfterEscape?: string;
  /** SMPP: the PDU's TLVs apart from SAR and message_payload (see inbound-tlv.ts). */
  tlvs?: InboundTlv[];
}

/** Decodes a deliver_sm or submit_sm carrying a message (not a receipt). Never throws. */
export function inboundPartFromPdu(pdu: MessagePdu, receivedAt: Date, options: { defaultCountry?: string; scope?: string } = {}): InboundPart {
  const decoded = decodeMessage({
    dataCoding: pdu.dataCoding,
    esmClass: pdu.esmClass,
    shortMessage: pdu.shortMessage,
    messagePayload: pdu.tlvs.messagePayload,
    sar: pdu.tlvs.sar,
  });
  const part: InboundPart = {
    from: inboundAddress(pdu.source, options.defaultCountry),
    to: inboundAddress(pdu.destination, options.defaultCountry),
    text: decoded.text,
    encoding: decoded.encoding,
    receivedAt,
    scope: options.scope ?? '',
  };
  const tlvs = inboundTlvs(pdu.tlvs.received);
  if (tlvs.length > 0) part.tlvs = tlvs;
  const concat = decoded.concat;
  // A "part 1 of 1" or a sequence number outside 1..total is treated as a whole message.
  if (concat && concat.total > 1 && concat.seq >= 1 && concat.seq <= concat.total) {
    part.concat = concat;
    if (decoded.endsInEscape) part.endsInEscape = true;
    if (decoded.textAfterEscape !== undefined) part.textAfterEscape = decoded.textAfterEscape;
  }
  return part;
}
