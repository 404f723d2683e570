/** Reads any PDU a modem hands us (+CMGR, +CMGL, +CDS) by its TP-MTI. */
import { readSmscAddress } from './address';
import { OctetReader, pduHexToBuffer } from './octet-reader';
import { PduError } from './pdu-error';
import { readSmsDeliver } from './sms-deliver';
import type { SmsDeliver } from './sms-deliver';
import { readSmsStatusReport } from './sms-status-report';
import type { SmsStatusReport } from './sms-status-report';
import { decodeSmsSubmit } from './sms-submit';
import type { SmsSubmit } from './sms-submit';

export type ModemPdu = SmsDeliver | SmsStatusReport | SmsSubmit;

/**
 * Decodes a mobile-terminated PDU (DELIVER or STATUS-REPORT) or a stored SMS-SUBMIT. In the
 * direction SC -> MS, TP-MTI 1 is SMS-SUBMIT-REPORT, which modems never store; stored messages
 * with MTI 1 are our own sent/unsent SMS-SUBMITs, so that is how we read MTI 1.
 */
export function decodeModemPdu(input: string | Buffer): ModemPdu {
  const pdu = typeof input === 'string' ? pduHexToBuffer(input) : input;
  const reader = new OctetReader(pdu);
  const smsc = readSmscAddress(reader);
  if (reader.remaining === 0) throw new PduError('PDU has no TPDU after the SMSC address', 'first octet', reader.offset);
  const mti = pdu[reader.offset] & 0x03;
  if (mti === 0) return readSmsDeliver(reader, smsc);
  if (mti === 2) return readSmsStatusReport(reader, smsc);
  if (mti === 1) return decodeSmsSubmit(pdu);
  throw new PduError('TP-MTI 3 is reserved; this is not an SMS PDU', 'TP-MTI', reader.offset);
}
