/** SMS-DELIVER (3GPP TS 23.040 9.2.2.1): read from AT+CMGR / +CMGL, built by the simulator. */
import { encodeAddress, encodeSmscAddress, readAddress, readSmscAddress } from './address';
import type { PduAddress } from './address';
import { OctetReader } from './octet-reader';
import { PduError } from './pdu-error';
import { decodeTimestamp, encodeTimestamp } from './semi-octets';
import type { PduTimestamp } from './semi-octets';
import { decodeTpDcs } from './tp-dcs';
import { decodeUserData, encodeUserData } from './user-data';

const MMS_NO_MORE = 0x04;
const SRI = 0x20;
const UDHI = 0x40;

export interface SmsDeliver {
  type: 'deliver';
  smsc?: PduAddress;
  /** The sender: a number ('+4915...') or an alphanumeric name (TON 5). */
  originator: PduAddress;
  protocolId: number;
  dcs: number;
  /** TP-SCTS: when the SMSC received the message, with the sender-side UTC offset. */
  serviceCentreTime: PduTimestamp;
  moreMessages: boolean;
  statusReportIndication: boolean;
  udhi: boolean;
  /** SMPP-style user data: UDH + one septet per octet for GSM-7, octets otherwise. */
  userData: Buffer;
}

/** Reads the TPDU that follows the SMSC field. */
export function readSmsDeliver(reader: OctetReader, smsc: PduAddress | undefined): SmsDeliver {
  const firstOctet = reader.u8('first octet');
  if ((firstOctet & 0x03) !== 0) throw new PduError(`not an SMS-DELIVER (TP-MTI ${firstOctet & 0x03})`, 'TP-MTI');
  const originator = readAddress(reader, 'TP-OA');
  const protocolId = reader.u8('TP-PID');
  const dcs = reader.u8('TP-DCS');
  const serviceCentreTime = decodeTimestamp(reader.bytes('TP-SCTS', 7), 'TP-SCTS');
  const udl = reader.u8('TP-UDL');
  const udhi = (firstOctet & UDHI) !== 0;
  return {
    type: 'deliver',
    smsc,
    originator,
    protocolId,
    dcs,
    serviceCentreTime,
    moreMessages: (firstOctet & MMS_NO_MORE) === 0,
    statusReportIndication: (firstOctet & SRI) !== 0,
    udhi,
    userData: decodeUserData(udl, reader.rest(), decodeTpDcs(dcs).alphabet, udhi),
  };
}

export function decodeSmsDeliver(pdu: Buffer): SmsDeliver {
  const reader = new OctetReader(pdu);
  return readSmsDeliver(reader, readSmscAddress(reader));
}

export interface SmsDeliverOptions {
  from: string;
  /** 5 for an alphanumeric sender; defaults to 1 for '+...' and 0 otherwise. */
  fromTon?: number;
  dcs: number;
  userData: Uint8Array;
  udhi?: boolean;
  sentAt: Date;
  utcOffsetMinutes?: number;
  smsc?: string;
  protocolId?: number;
}

/** Builds an SMS-DELIVER with its SMSC field (for the modem simulator and tests). */
export function buildSmsDeliver(options: SmsDeliverOptions): Buffer {
  const udhi = options.udhi ?? false;
  const userData = encodeUserData(options.userData, decodeTpDcs(options.dcs).alphabet, udhi);
  const international = options.from.startsWith('+');
  const originator =
    options.fromTon === 5
      ? encodeAddress(options.from, { ton: 5, npi: 0, field: 'from' })
      : encodeAddress(international ? options.from.slice(1) : options.from, { ton: options.fromTon ?? (international ? 1 : 0), field: 'from' });
  return Buffer.concat([
    encodeSmscAddress(options.smsc),
    Buffer.from([MMS_NO_MORE | (udhi ? UDHI : 0)]),
    originator,
    Buffer.from([options.protocolId ?? 0, options.dcs & 0xff]),
    encodeTimestamp(options.sentAt, options.utcOffsetMinutes ?? 0),
    Buffer.from([userData.length]),
    userData.data,
  ]);
}
