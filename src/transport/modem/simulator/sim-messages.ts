/** What the simulator puts on the air: SMS-DELIVER parts, status reports; and reading SMS-SUBMITs. */
import { decodeMessage, encodeMessage } from '../../../encoding';
import type { ConcatMethod, EncodingChoice } from '../../../encoding';
import { buildSmsDeliver, buildSmsStatusReport, smppDataCodingFromTpDcs } from '../pdu';
import type { SmsSubmit } from '../pdu';

export interface IncomingSmsSpec {
  /** '+4915112345678', a national number, or an alphanumeric name with `alphanumeric: true`. */
  from: string;
  alphanumeric?: boolean;
  text: string;
  encoding?: EncodingChoice;
  /** 'udh8' (default) or 'udh16' for texts longer than one SMS. */
  concat?: Extract<ConcatMethod, 'udh8' | 'udh16'>;
  reference?: number;
  sentAt?: Date;
  utcOffsetMinutes?: number;
  smsc?: string;
}

export interface StatusReportSpec {
  messageReference: number;
  recipient: string;
  /** TP-ST; 0 = delivered. */
  status?: number;
  submittedAt?: Date;
  dischargedAt?: Date;
}

/** One SMS-DELIVER PDU (SMSC field included) per part of the text. */
export function deliverPdus(spec: IncomingSmsSpec, now: Date): Buffer[] {
  const encoded = encodeMessage(spec.text, { encoding: spec.encoding, concat: spec.concat ?? 'udh8', reference: spec.reference, maxParts: 255 });
  return encoded.parts.map((part) =>
    buildSmsDeliver({
      from: spec.from,
      fromTon: spec.alphanumeric ? 5 : undefined,
      dcs: part.dataCoding,
      userData: part.shortMessage,
      udhi: part.udhi,
      sentAt: spec.sentAt ?? now,
      utcOffsetMinutes: spec.utcOffsetMinutes,
      smsc: spec.smsc ?? '+447700900999',
    }),
  );
}

export function statusReportPdu(spec: StatusReportSpec, now: Date): Buffer {
  return buildSmsStatusReport({
    messageReference: spec.messageReference,
    recipient: spec.recipient,
    status: spec.status ?? 0,
    submittedAt: spec.submittedAt ?? now,
    dischargedAt: spec.dischargedAt ?? now,
    smsc: '+447700900999',
  });
}

/** The text a phone shows for one SMS-SUBMIT part, and its concat header. */
export function decodeSubmittedText(submit: SmsSubmit): { text: string; concat?: { ref: number; total: number; seq: number } } {
  const decoded = decodeMessage({ dataCoding: smppDataCodingFromTpDcs(submit.dcs), esmClass: submit.udhi ? 0x40 : 0, shortMessage: submit.userData });
  return decoded.concat
    ? { text: decoded.text, concat: { ref: decoded.concat.ref, total: decoded.concat.total, seq: decoded.concat.seq } }
    : { text: decoded.text };
}
