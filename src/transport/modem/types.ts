/**
 * Public types of the GSM modem transport.
 *
 * Inbound events are shaped like the SMPP transport's (`InboundMessage`: `{ pdu, receivedAt }`)
 * so that everything downstream (SMS Trigger, ReceiptTracker.handle, decodeMessage) takes modem
 * traffic as it takes deliver_sm: an SMS-DELIVER becomes a deliver_sm-like MessagePdu (source =
 * the sender, esm_class 0x40 when a UDH is present, data_coding from TP-DCS, short_message = UDH +
 * one septet per octet); an SMS-STATUS-REPORT becomes a delivery receipt PDU (esm_class 0x04,
 * receipt text and receipted_message_id = the TP-MR that +CMGS returned). The `modem` field adds
 * what only a modem knows (SMSC, SCTS, SIM storage) and the decoded content.
 */
import type { DecodedMessage } from '../../encoding';
import type { DeliveryReceipt } from '../../dlr/receipt-tracker';
import type { InboundMessage } from '../smpp/types';
import type { SmsDeliver, SmsStatusReport } from './pdu';

export interface GsmModemOptions {
  /** Serial device, e.g. /dev/ttyUSB2 or /dev/serial/by-id/usb-...-if02-port0. */
  path: string;
  /** Default 115200. */
  baudRate?: number;
  /** SIM PIN, used only when the SIM asks for it; never logged, never retried when wrong. */
  pin?: string;
  /** SMSC number to set with AT+CSCA; absent: the one stored on the SIM. */
  smsc?: string;
  /** Message storage for AT+CPMS (default 'SM', the SIM). */
  storage?: string;
  /** ISO country used by send() for numbers without a country code. */
  defaultCountry?: string;
  /** Timeout of ordinary AT commands in ms (default 10 000). */
  commandTimeoutMs?: number;
  /** Timeout of AT+CMGS in ms: the network answers it, in up to 120 s (the default). */
  sendTimeoutMs?: number;
  /** How long parts wait for a modem that went away (unplugged, hung) before they fail (default sendTimeoutMs). */
  offlineLimitMs?: number;
  /** How long a starting modem may keep its SIM / SMS service not ready (default 30 000). */
  readyTimeoutMs?: number;
  /** Attempts per part for temporary errors and lost links (default 3). */
  maxAttempts?: number;
  /** Pause before retrying a part after a temporary +CMS ERROR (default 2 000 ms). */
  retryDelayMs?: number;
  /** Reconnect backoff after the device disappears: first delay, cap, attempts (0 = forever, the default). */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  reconnectAttempts?: number;
  /** Interval of the AT keep-alive on an idle modem, which finds a vanished or hung device (default 30 000; 0 = off). */
  keepAliveMs?: number;
  /** How long parts of a long inbound message wait for the rest (default 10 minutes). */
  concatTimeoutMs?: number;
  /** Name used in errors and logs (e.g. the credential name). */
  label?: string;
  /** Debug log of the AT conversation (the PIN is masked). */
  log?: (line: string) => void;
  /** Clock for reassembly timeouts (tests). */
  now?: () => number;
}

/** How status reports reach us with this modem: +CDS, stored (+CDSI), or not at all. */
export type StatusReportRouting = 'direct' | 'stored' | 'none';

export type ModemState = 'idle' | 'opening' | 'ready' | 'reconnecting' | 'closing' | 'closed';

/** Where a message sits in the modem's memory (absent for +CDS reports, which are not stored). */
export interface ModemStorageSlot {
  memory: string;
  index: number;
}

export type ModemInboundDetails =
  | { kind: 'message'; device: string; deliver: SmsDeliver; decoded: DecodedMessage; storage?: ModemStorageSlot }
  | { kind: 'statusReport'; device: string; report: SmsStatusReport; receipt: DeliveryReceipt; storage?: ModemStorageSlot };

/** One inbound SMS part or status report; an `InboundMessage` like the SMPP transport's. */
export interface ModemInboundMessage extends InboundMessage {
  modem: ModemInboundDetails;
}

export type ModemInboundHandler = (message: ModemInboundMessage) => Promise<void> | void;

/**
 * Whether a handler still keeps a part it took (e.g. the SMS Trigger, holding it until its long
 * message is delivered): the modem then leaves the part on the SIM when it gives up its message.
 */
export type ModemPartHolder = (message: ModemInboundMessage) => boolean;

/** A whole inbound text, reassembled from its parts. */
export interface ModemTextMessage {
  device: string;
  /** '+4915112345678', a national number as sent, or an alphanumeric sender name. */
  from: string;
  fromAlphanumeric: boolean;
  text: string;
  /** Parts received; equals `totalParts` unless the rest never came (`complete` false). */
  parts: number;
  totalParts: number;
  complete: boolean;
  encoding: DecodedMessage['encoding'];
  /** TP-SCTS of the first part: when the SMSC got it. */
  sentAt: Date;
  smsc?: string;
  receivedAt: Date;
}

export type ModemTextHandler = (message: ModemTextMessage) => Promise<void> | void;

export interface ModemSendRequest {
  to: string;
  text: string;
  encoding?: 'auto' | 'gsm7' | 'ucs2';
  concat?: 'udh8' | 'udh16';
  maxParts?: number;
  flash?: boolean;
  requestReceipt?: boolean;
  validitySeconds?: number;
  defaultCountry?: string;
}

export interface ModemSendResult {
  to: string;
  encoding: string;
  parts: number;
  /** TP-MR of each part as +CMGS answered it (status reports carry these). */
  messageReferences: number[];
  /**
   * A part was sent again after an attempt whose answer never came (the modem went away or hung
   * after the PDU was written): the recipient may get it twice.
   */
  possibleDuplicate: boolean;
}

export interface SignalQuality {
  /** AT+CSQ <rssi> 0-31, or 99 when unknown. */
  rssi: number;
  /** -113 + 2 * rssi dBm; null when unknown. */
  dbm: number | null;
  /** Bit error rate class 0-7, or 99 when unknown. */
  ber: number;
}

export type RegistrationStatus = 'not_registered' | 'home' | 'searching' | 'denied' | 'unknown' | 'roaming';

export interface Registration {
  status: RegistrationStatus;
  registered: boolean;
  /** <stat> of +CREG. */
  code: number;
}

export interface OperatorInfo {
  /** Network name as the modem reports it; undefined when not registered. */
  name?: string;
  mode: number;
  /** <AcT>: 0 GSM, 2 UTRAN, 7 E-UTRAN, ...; undefined when absent. */
  accessTechnology?: number;
}

export interface GsmModemEvents {
  ready: [];
  disconnected: [info: { reason: string }];
  reconnecting: [info: { attempt: number; delayMs: number }];
  reconnected: [];
  gaveUp: [error: Error];
  error: [error: Error];
  closed: [];
}
