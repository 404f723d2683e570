/**
 * An SMPP submit_sm (MessagePdu, as src/gateway prepares it) as an SMS-SUBMIT, so a modem can
 * be a PartSender beside, or instead of, an SMPP carrier. The sender address is not carried: a
 * modem always sends from its SIM's number. Also GsmModem.send()'s own requests as SMS-SUBMITs.
 */
import { buildUdh, concatElement, encodeMessage } from '../../encoding';
import { normalizePhoneNumber } from '../../phone';
import type { MessagePdu } from '../smpp/pdu/message-pdu';
import { PduError, buildSmsSubmit, tpDcsFromSmppDataCoding } from './pdu';
import type { BuiltSubmit, SmsSubmitOptions } from './pdu';
import type { ModemSendRequest } from './types';

const ESM_UDHI = 0x40;
const YEAR = 365 * 86400;
const MONTH = 30 * 86400;

/** SMPP validity_period (relative "YYMMDDhhmmss000R" or absolute) in seconds from `now`. */
export function validitySecondsOf(value: string, now: number): number | undefined {
  if (value === '') return undefined;
  const n = (i: number): number => Number(value.slice(i, i + 2));
  if (!/^\d{12}\d{3}[R+-]$/.test(value)) throw new PduError(`validity_period ${JSON.stringify(value)} is not an SMPP time`, 'validityPeriod');
  if (value.endsWith('R')) return n(0) * YEAR + n(2) * MONTH + n(4) * 86400 + n(6) * 3600 + n(8) * 60 + n(10);
  const offsetMinutes = Number(value.slice(13, 15)) * 15 * (value.endsWith('-') ? -1 : 1);
  const at = Date.UTC(2000 + n(0), n(2) - 1, n(4), n(6), n(8), n(10)) - offsetMinutes * 60_000;
  return Math.max(300, Math.round((at - now) / 1000));
}

/** Where the user data comes from: short_message, or a message_payload that fits one SMS. */
function userDataOf(pdu: MessagePdu): { userData: Buffer; udhi: boolean } {
  let userData = pdu.shortMessage;
  let udhi = (pdu.esmClass & ESM_UDHI) !== 0;
  if (userData.length === 0 && pdu.tlvs.messagePayload && pdu.tlvs.messagePayload.length > 0) {
    // message_payload asks the SMSC to split; a modem can only send what fits in one SMS.
    userData = pdu.tlvs.messagePayload;
  }
  if (pdu.tlvs.sar && !udhi) {
    // SAR TLVs ask the SMSC to add the concat header; on a modem we add it ourselves (8-bit
    // reference: a 16-bit header would not fit beside a part sized for SAR).
    const { refNum, totalSegments, seqNum } = pdu.tlvs.sar;
    userData = Buffer.concat([buildUdh([concatElement(8, refNum & 0xff, totalSegments, seqNum)]), userData]);
    udhi = true;
  }
  return { userData, udhi };
}

export function submitOptionsFromSmpp(pdu: MessagePdu, options: { now: number; smsc?: string }): SmsSubmitOptions {
  if (pdu.scheduleDeliveryTime !== '') {
    throw new PduError('scheduled delivery (schedule_delivery_time) is not possible through a GSM modem; send it at the time instead', 'scheduleAt');
  }
  const digits = pdu.destination.addr.replace(/^\+/, '');
  if (!/^\d{1,20}$/.test(digits)) {
    throw new PduError(`destination ${JSON.stringify(pdu.destination.addr)} is not a phone number a modem can send to`, 'to');
  }
  const { userData, udhi } = userDataOf(pdu);
  return {
    to: digits,
    toTon: pdu.destination.ton === 1 || pdu.destination.addr.startsWith('+') ? 1 : pdu.destination.ton & 0x07,
    toNpi: pdu.destination.npi || 1,
    dcs: tpDcsFromSmppDataCoding(pdu.dataCoding),
    userData,
    udhi,
    statusReport: (pdu.registeredDelivery & 0x03) !== 0,
    validitySeconds: validitySecondsOf(pdu.validityPeriod, options.now),
    protocolId: pdu.protocolId,
    replyPath: (pdu.esmClass & 0x80) !== 0,
  };
}

/** A text for one number as the SMS-SUBMIT of each of its parts. */
export function submitsOfRequest(request: ModemSendRequest, defaultCountry?: string): { to: string; encoding: string; parts: BuiltSubmit[] } {
  const destination = normalizePhoneNumber(request.to, { defaultCountry: request.defaultCountry ?? defaultCountry, field: 'to' });
  const encoded = encodeMessage(request.text, {
    encoding: request.encoding,
    concat: request.concat ?? 'udh8',
    maxParts: request.maxParts,
    messageClass: request.flash ? 0 : undefined,
  });
  const parts = encoded.parts.map((part) =>
    buildSmsSubmit({
      to: destination.e164,
      dcs: part.dataCoding,
      userData: part.shortMessage,
      udhi: part.udhi,
      statusReport: request.requestReceipt,
      validitySeconds: request.validitySeconds,
    }),
  );
  return { to: destination.e164, encoding: encoded.encoding, parts };
}
