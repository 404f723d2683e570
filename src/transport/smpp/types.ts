import type { MessagePdu } from './pdu/message-pdu';

export type BindMode = 'transceiver' | 'transmitter' | 'receiver';

export interface SmppTransportOptions {
  host: string;
  port: number;
  tls?: boolean;
  /** TLS: accept a certificate no trusted authority signed (the hostname is still checked). */
  allowSelfSigned?: boolean;
  /** TLS: check that the certificate names `host` (default true). */
  checkHostname?: boolean;
  systemId: string;
  password: string;
  systemType?: string;
  bindMode?: BindMode;
  /** 0x34 for SMPP 3.4 (default), 0x50 for SMPP 5.0 peers. */
  interfaceVersion?: number;
  addressRange?: string;
  addrTon?: number;
  addrNpi?: number;
  /** Max submit_sm outstanding without a response (default 10). */
  windowSize?: number;
  /** Response timeout per PDU in ms (default 10 000). */
  responseTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** enquire_link interval in ms (default 30 000; 0 disables). */
  enquireLinkMs?: number;
  /** Reconnect backoff: first delay, cap, and attempts before giving up (0 = forever). */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  reconnectAttempts?: number;
  /** Attempts per message across drops/timeouts/temporary errors (default 5). */
  maxAttempts?: number;
  /** How long a message may keep being throttled before it fails (default 10 min). */
  maxThrottleMs?: number;
  /** Max messages waiting to be sent; beyond it submit() fails at once with reason queue_full (default 100 000): callers bound their own pipeline. */
  maxQueued?: number;
  /** Optional TPS limit applied to every submit_sm written, retries included. */
  throttle?: SendThrottle;
  /** Name used in logs and errors (e.g. the credential name). */
  label?: string;
  /** Told of every answer and TPS token (metrics, see src/observability); absent: nothing is counted. */
  observer?: SubmitObserver;
  /** Where accepted submits not in the SMSC default alphabet leave their data_coding (replace_sm needs it). */
  sentDataCodings?: SentDataCodingLog;
}

/** Message ID -> data_coding of every accepted submit (see sent/sent-data-codings.ts). */
export interface SentDataCodingLog {
  /** `partOfLong`: the submit was one part of a concatenated message (UDH or SAR). */
  record(messageId: string, dataCoding: number, partOfLong: boolean): void;
}

/** What the send window reports as it goes; kept to plain calls so the hot path stays cheap. */
export interface SubmitObserver {
  /** A submit_sm_resp (or generic_nack) for one of ours: its status, ms since it was written, and the message id (accepted ones). */
  answered(status: number, latencyMs: number, messageId: string): void;
  /** The TPS limit granted `count` tokens. */
  tokensTaken(count: number): void;
  /** Sending paused until the TPS limit has a token again. */
  throttleWait(): void;
}

/** A rate limit the window asks before writing each submit_sm (see src/throttle). */
export interface SendThrottle {
  /** Takes one token if available now. */
  tryTake(): boolean;
  /** Calls back once when a token may be available again; `demand` says how many could be written at once right now. */
  onAvailable(callback: () => void, demand?: () => number): void;
  /** The submits of the last `count` tokens taken were just written (handed to the OS): lets the limit see writes that came late. */
  written?(count: number): void;
  /** An error once the limit cannot be consulted and waiting longer is pointless (e.g. its Redis is down): waiting messages fail with it. */
  unavailable?(): Error | null;
  close?(): Promise<void>;
}

/** What the caller hands to submit(): a message PDU without the sequence number. */
export type SubmitRequest = MessagePdu;

export interface SubmitResult {
  messageId: string;
  /** True when an earlier attempt was written without an answer before a drop/timeout: the carrier may have it twice. */
  possibleDuplicate: boolean;
  attempts: number;
  throttled: number;
}

/**
 * Told once how a submit ended: the callback form of `submit()` (`submitTo`), no promise per
 * message. Either method may be called before `submitTo` returns (a refusal at once, or a reply
 * to an earlier submit delivered while this one was queued); never from inside another receiver's
 * call, so a receiver that submits again does not nest.
 */
export interface SubmitReceiver {
  submitted(result: SubmitResult): void;
  notSubmitted(error: SmppSubmitError): void;
}

/** 'cancelled': the caller withdrew it (its AbortSignal) before it was written; not sent. */
export type SubmitFailureReason =
  | 'rejected'
  | 'retries_exhausted'
  | 'throttled_too_long'
  | 'closed'
  | 'queue_full'
  | 'invalid'
  | 'limit_unavailable'
  | 'cancelled';

/** The reason of a submit withdrawn by its caller before it was written (SubmitOptions.signal). */
export const WITHDRAWN = 'withdrawn before it was sent';

export interface SubmitOptions {
  /** Aborting withdraws the message if it is still waiting to be written (a broadcast that stopped). */
  signal?: AbortSignal;
  /** The sender's own TPS (TPS per Sender ID), spent when the part is written; absent: the credential's cap only. */
  senderLane?: SenderLane;
  /**
   * The same object for every part of one long message: with several binds they all leave over
   * one (some SMSCs reassemble parts per session), chosen when the first part leaves the queue.
   */
  messageKey?: object;
}

/**
 * One sender's TPS within the credential's cap (see src/gateway/sender-tps.ts). The send window
 * asks it when a part of that sender is next to be written, and spends it only once the part is
 * written: a part of a sender out of budget waits aside while other senders' parts go on.
 */
export interface SenderLane {
  /** Ms until this sender may send one more part (0: now); spends nothing. */
  waitMs(): number;
  /** Spends one part's budget: the part was just written (waitMs() answered 0 in this turn). */
  take(): void;
}

export class SmppSubmitError extends Error {
  constructor(
    message: string,
    readonly reason: SubmitFailureReason,
    readonly status?: number,
    readonly statusName?: string,
    readonly possibleDuplicate = false,
    readonly attempts = 0,
  ) {
    super(message);
    this.name = 'SmppSubmitError';
  }
}

export class SmppBindError extends Error {
  constructor(
    message: string,
    readonly code: 'auth' | 'refused' | 'timeout' | 'tls' | 'dns' | 'network' | 'rejected' | 'closed',
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SmppBindError';
  }
}

export type TransportState = 'idle' | 'connecting' | 'bound' | 'reconnecting' | 'closing' | 'closed';

export interface TransportMetrics {
  state: TransportState;
  window: number;
  inFlight: number;
  queued: number;
  sent: number;
  acked: number;
  failed: number;
  retried: number;
  throttled: number;
  reconnects: number;
  deliverReceived: number;
}

/** An inbound deliver_sm (MO message or delivery receipt). */
export interface InboundMessage {
  pdu: MessagePdu;
  receivedAt: Date;
}

/** Handles inbound deliver_sm; the transport answers deliver_sm_resp only after it resolves. */
export type InboundHandler = (message: InboundMessage) => Promise<void> | void;

export interface TransportEvents {
  connected: [info: { host: string; port: number }];
  bound: [info: { systemId: string; mode: BindMode }];
  disconnected: [info: { reason: string; inFlight: number }];
  reconnecting: [info: { attempt: number; delayMs: number }];
  gaveUp: [error: Error];
  error: [error: Error];
  closed: [];
}
