/** SMS-SUBMIT (3GPP TS 23.040 9.2.2.2): built for AT+CMGS, and read back by the simulator. */
import { encodeAddress, encodeSmscAddress, readAddress, readSmscAddress } from './address';
import type { PduAddress } from './address';
import { OctetReader } from './octet-reader';
import { PduError } from './pdu-error';
import { decodeTpDcs } from './tp-dcs';
import { decodeUserData, encodeUserData } from './user-data';
import { encodeRelativeValidity, relativeValiditySeconds } from './validity-period';

const MTI_SUBMIT = 0x01;
const RD = 0x04;
const VPF_RELATIVE = 0x10;
const VPF_MASK = 0x18;
const SRR = 0x20;
const UDHI = 0x40;
const RP = 0x80;

export interface SmsSubmitOptions {
  /** Destination digits; '+' prefix or ton 1 makes it international (type 0x91). */
  to: string;
  toTon?: number;
  toNpi?: number;
  /** TP-DCS (see tp-dcs.ts). */
  dcs: number;
  /** SMPP-style user data: UDH (when udhi) + one septet per octet for GSM-7, octets otherwise. */
  userData: Uint8Array;
  udhi?: boolean;
  /** TP-MR; 0 lets the modem choose (it answers the one it used in +CMGS). */
  messageReference?: number;
  /** TP-SRR: ask the SMSC for a status report. */
  statusReport?: boolean;
  /** TP-RD: the SMSC rejects a duplicate of a message it still holds. */
  rejectDuplicates?: boolean;
  /** Relative validity in seconds (TP-VPF 10); absent = no TP-VP (the SMSC's default). */
  validitySeconds?: number;
  protocolId?: number;
  replyPath?: boolean;
  /** SMSC number; absent = "00", the SMSC stored in the modem. */
  smsc?: string;
}

export interface BuiltSubmit {
  /** SMSC field + TPDU, what follows the prompt of AT+CMGS. */
  pdu: Buffer;
  /** The length AT+CMGS takes: TPDU octets, without the SMSC field. */
  tpduLength: number;
}

export function buildSmsSubmit(options: SmsSubmitOptions): BuiltSubmit {
  const udhi = options.udhi ?? false;
  const mr = options.messageReference ?? 0;
  if (!Number.isInteger(mr) || mr < 0 || mr > 255) throw new PduError(`messageReference must be 0-255 (got ${mr})`, 'messageReference');
  const dcs = options.dcs & 0xff;
  const userData = encodeUserData(options.userData, decodeTpDcs(dcs).alphabet, udhi);
  const hasValidity = options.validitySeconds !== undefined;
  const firstOctet =
    MTI_SUBMIT |
    (options.rejectDuplicates ? RD : 0) |
    (hasValidity ? VPF_RELATIVE : 0) |
    (options.statusReport ? SRR : 0) |
    (udhi ? UDHI : 0) |
    (options.replyPath ? RP : 0);
  const international = options.to.startsWith('+') || options.toTon === 1;
  const digits = options.to.startsWith('+') ? options.to.slice(1) : options.to;
  if (!/^\d+$/.test(digits)) throw new PduError(`destination ${JSON.stringify(options.to)} must be digits with an optional leading +`, 'to');
  const destination = encodeAddress(digits, { ton: options.toTon ?? (international ? 1 : 0), npi: options.toNpi ?? 1, field: 'to' });
  const tpdu = Buffer.concat([
    Buffer.from([firstOctet, mr]),
    destination,
    Buffer.from([options.protocolId ?? 0, dcs]),
    hasValidity ? Buffer.from([encodeRelativeValidity(options.validitySeconds as number)]) : Buffer.alloc(0),
    Buffer.from([userData.length]),
    userData.data,
  ]);
  return { pdu: Buffer.concat([encodeSmscAddress(options.smsc), tpdu]), tpduLength: tpdu.length };
}

export interface SmsSubmit {
  type: 'submit';
  smsc?: PduAddress;
  messageReference: number;
  destination: PduAddress;
  protocolId: number;
  dcs: number;
  statusReport: boolean;
  rejectDuplicates: boolean;
  udhi: boolean;
  /** Seconds, for a relative TP-VP; absolute and enhanced formats are skipped, not read. */
  validitySeconds?: number;
  /** SMPP-style user data (UDH + unpacked septets, or octets). */
  userData: Buffer;
}

/** Reads an SMS-SUBMIT PDU (with its SMSC field) as a modem or an SMSC would. */
export function decodeSmsSubmit(pdu: Buffer): SmsSubmit {
  const reader = new OctetReader(pdu);
  const smsc = readSmscAddress(reader);
  const firstOctet = reader.u8('first octet');
  if ((firstOctet & 0x03) !== MTI_SUBMIT) throw new PduError(`not an SMS-SUBMIT (TP-MTI ${firstOctet & 0x03})`, 'TP-MTI');
  const messageReference = reader.u8('TP-MR');
  const destination = readAddress(reader, 'TP-DA');
  const protocolId = reader.u8('TP-PID');
  const dcs = reader.u8('TP-DCS');
  const vpf = firstOctet & VPF_MASK;
  let validitySeconds: number | undefined;
  if (vpf === VPF_RELATIVE) validitySeconds = relativeValiditySeconds(reader.u8('TP-VP'));
  else if (vpf !== 0) reader.bytes('TP-VP', 7);
  const udl = reader.u8('TP-UDL');
  const udhi = (firstOctet & UDHI) !== 0;
  const userData = decodeUserData(udl, reader.rest(), decodeTpDcs(dcs).alphabet, udhi);
  return {
    type: 'submit',
    smsc,
    messageReference,
    destination,
    protocolId,
    dcs,
    statusReport: (firstOctet & SRR) !== 0,
    rejectDuplicates: (firstOctet & RD) !== 0,
    udhi,
    validitySeconds,
    userData,
  };
}
