/** SMS-STATUS-REPORT (3GPP TS 23.040 9.2.2.3): what +CDS carries after a TP-SRR request. */
import type { ReceiptStatus } from '../../smpp/receipt-format/receipt-status';
import { encodeAddress, encodeSmscAddress, readAddress, readSmscAddress } from './address';
import type { PduAddress } from './address';
import { OctetReader } from './octet-reader';
import { PduError } from './pdu-error';
import { decodeTimestamp, encodeTimestamp } from './semi-octets';
import type { PduTimestamp } from './semi-octets';

const MTI_STATUS_REPORT = 0x02;

export interface SmsStatusReport {
  type: 'statusReport';
  smsc?: PduAddress;
  /** TP-MR of the SMS-SUBMIT this reports on (the number +CMGS answered). */
  messageReference: number;
  /** TP-RA: the recipient of the original message. */
  recipient: PduAddress;
  /** TP-SCTS: when the SMSC accepted the original message. */
  serviceCentreTime: PduTimestamp;
  /** TP-DT: when it was delivered, or when the SMSC gave up / last tried. */
  dischargeTime: PduTimestamp;
  /** TP-ST (9.2.3.15). */
  status: number;
}

export function readSmsStatusReport(reader: OctetReader, smsc: PduAddress | undefined): SmsStatusReport {
  const firstOctet = reader.u8('first octet');
  if ((firstOctet & 0x03) !== MTI_STATUS_REPORT) throw new PduError(`not an SMS-STATUS-REPORT (TP-MTI ${firstOctet & 0x03})`, 'TP-MTI');
  const messageReference = reader.u8('TP-MR');
  const recipient = readAddress(reader, 'TP-RA');
  const serviceCentreTime = decodeTimestamp(reader.bytes('TP-SCTS', 7), 'TP-SCTS');
  const dischargeTime = decodeTimestamp(reader.bytes('TP-DT', 7), 'TP-DT');
  const status = reader.u8('TP-ST');
  // Optional TP-PI / PID / DCS / UD may follow; nothing in them matters for a receipt.
  return { type: 'statusReport', smsc, messageReference, recipient, serviceCentreTime, dischargeTime, status };
}

export function decodeSmsStatusReport(pdu: Buffer): SmsStatusReport {
  const reader = new OctetReader(pdu);
  return readSmsStatusReport(reader, readSmscAddress(reader));
}

/** Status class of TP-ST: done (delivered, or final failure), or the SMSC is still trying. */
export type StatusReportOutcome = 'delivered' | 'pending' | 'failed';

export function statusReportOutcome(status: number): StatusReportOutcome {
  if (status <= 0x1f) return 'delivered';
  if (status <= 0x3f) return 'pending';
  return 'failed';
}

const STATUS_TEXT: Record<number, string> = {
  0x00: 'received by the recipient',
  0x01: 'forwarded, delivery not confirmed',
  0x02: 'replaced by the service centre',
  0x20: 'congestion (still trying)',
  0x21: 'recipient busy (still trying)',
  0x22: 'no response from the recipient (still trying)',
  0x23: 'service rejected (still trying)',
  0x24: 'quality of service not available (still trying)',
  0x25: 'error in the recipient (still trying)',
  0x40: 'remote procedure error',
  0x41: 'incompatible destination',
  0x42: 'connection rejected by the recipient',
  0x43: 'not obtainable',
  0x44: 'quality of service not available',
  0x45: 'no interworking available',
  0x46: 'validity period expired',
  0x47: 'deleted by the sender',
  0x48: 'deleted by the service centre',
  0x49: 'message does not exist',
  0x60: 'congestion (gave up)',
  0x61: 'recipient busy (gave up)',
  0x62: 'no response from the recipient (gave up)',
  0x63: 'service rejected (gave up)',
  0x64: 'quality of service not available (gave up)',
  0x65: 'error in the recipient (gave up)',
};

export function describeReportStatus(status: number): string {
  return STATUS_TEXT[status] ?? `status 0x${status.toString(16).padStart(2, '0')}`;
}

/** SMPP receipt state name (DELIVRD, EXPIRED, ...) closest to a TP-ST value. */
export function receiptStateOf(status: number): ReceiptStatus {
  if (status <= 0x1f) return 'DELIVRD';
  if (status <= 0x3f) return 'ENROUTE';
  if (status === 0x46) return 'EXPIRED';
  if (status === 0x47 || status === 0x48) return 'DELETED';
  if (status === 0x42 || status === 0x63) return 'REJECTD';
  return 'UNDELIV';
}

export interface StatusReportOptions {
  messageReference: number;
  recipient: string;
  status: number;
  submittedAt: Date;
  dischargedAt: Date;
  utcOffsetMinutes?: number;
  smsc?: string;
}

/** Builds an SMS-STATUS-REPORT with its SMSC field (for the modem simulator and tests). */
export function buildSmsStatusReport(options: StatusReportOptions): Buffer {
  const international = options.recipient.startsWith('+');
  return Buffer.concat([
    encodeSmscAddress(options.smsc),
    Buffer.from([MTI_STATUS_REPORT, options.messageReference & 0xff]),
    encodeAddress(international ? options.recipient.slice(1) : options.recipient, { ton: international ? 1 : 0 }),
    encodeTimestamp(options.submittedAt, options.utcOffsetMinutes ?? 0),
    encodeTimestamp(options.dischargedAt, options.utcOffsetMinutes ?? 0),
    Buffer.from([options.status & 0xff]),
  ]);
}
