import type { EncodedTlv } from '../tlv/custom-tlv';
import type { InboundTlv } from '../tlv/inbound-tlv';

export interface SandboxAccount {
  systemId: string;
  password: string;
}

export type ReceiptOutcome = 'DELIVRD' | 'UNDELIV' | 'EXPIRED' | 'REJECTD';

export interface SandboxFaults {
  /** Fraction 0..1 of submits answered ESME_RTHROTTLED. */
  throttleRatio: number;
  /** Answer this fraction of submits with failStatus (a permanent or temporary error). */
  failRatio: number;
  failStatus: number;
  /** Submits to destinations in this list are answered with failStatus (deterministic failures). */
  failDestinations: string[];
  /** Submits carrying these parts (1-based, UDH or SAR) of a long message are answered with failStatus (set in process; not in the HTTP API). */
  failParts: number[];
  /** Drop each connection after this many more submits (one shot per setting; 0 = off). */
  dropAfterSubmits: number;
  /** Hold every answer (submit_sm_resp, bind_resp, enquire_link_resp) until the stall ends. */
  stalled: boolean;
  /** Answer latency in ms. */
  latencyMs: number;
}

export interface SandboxOptions {
  host?: string;
  port?: number;
  accounts?: SandboxAccount[];
  /** TLS key/cert (PEM); when given the SMPP port speaks TLS. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /**
   * 'full' decodes and stores every message; 'count' keeps only counters and destinations (for
   * benchmarks that check who got what); 'none' keeps only counters (throughput benchmarks, where
   * the sandbox must answer as cheaply as it can and the client checks every answer).
   */
  recordMode?: 'full' | 'count' | 'none';
  /**
   * Answer at the configured latency to within ~0.1 ms (a worker thread wakes the sandbox; see
   * precise-wakeup.ts) instead of Node's millisecond timers. For benchmarks against the
   * window/latency bound.
   */
  preciseLatency?: boolean;
  /** Appends each accepted destination to this file (one write per message), so the record survives a kill -9 (fault benchmarks). */
  recordFile?: string;
  maxStoredMessages?: number;
  receipt?: {
    outcome: ReceiptOutcome;
    delayMs: number;
    /** Destinations (digits, no +) whose receipts say UNDELIV whatever `outcome` is. */
    undeliveredTo?: string[];
    /** Send this intermediate receipt first (esm_class 0x20), the final one `delayMs` later. */
    intermediate?: 'ENROUTE' | 'ACCEPTD';
    /** TLVs every receipt carries beside the standard ones (as a carrier adds its own, e.g. an operator id). */
    tlvs?: EncodedTlv[];
  };
  /** How message ids are written in submit_sm_resp and in the receipt text (to test hex/decimal tolerance). */
  messageIdFormat?: 'hex' | 'decimal';
  receiptIdFormat?: 'same' | 'hex' | 'decimal';
  faults?: Partial<SandboxFaults>;
  /** Receipts and MO messages go to each receiving bind of the account in turn (default: the first bound), as carriers with several binds per account do. */
  spreadDeliveries?: boolean;
}

export interface StoredMessage {
  id: string;
  systemId: string;
  from: string;
  to: string;
  sourceTon: number;
  sourceNpi: number;
  destTon: number;
  destNpi: number;
  text: string;
  encoding: string;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  priority: number;
  messageClass?: number;
  concat?: { ref: number; total: number; seq: number; refBits: number };
  receivedAt: number;
  delivery?: { status: string; at: number };
  direction: 'mt' | 'mo';
  /** MT: the bind session it arrived on, numbered from 1 in the order sessions connected (some SMSCs reassemble per session). */
  session?: number;
  /** A scheduled message (schedule_delivery_time): when it is (or was) due on the phone, ms since the epoch. */
  scheduledFor?: number;
  /** service_type of the submit, when it had one. */
  serviceType?: string;
  /** TLVs of the submit (or of the injected MO) other than those framing the text (SAR, message_payload), as received. */
  tlvs?: InboundTlv[];
}
