import { FieldError } from '../errors';
import type { EncodedTlv } from '../tlv/custom-tlv';
import type { ConcatMethod, EncodingChoice } from '../encoding';
import type { FailureClass } from './failure-class';

/** One SMS as a node or a caller outside n8n asks for it. */
export interface SmsRequest {
  to: string;
  /** Sender: alphanumeric ID, short code or number; the credential's default when empty. */
  from?: string;
  text: string;
  encoding?: EncodingChoice;
  concat?: ConcatMethod;
  maxParts?: number;
  /** Class 0: shown at once, not stored (flash). */
  flash?: boolean;
  messageClass?: 0 | 1 | 2 | 3;
  transliterate?: boolean;
  /** Seconds the carrier keeps trying (relative validity period). */
  validitySeconds?: number;
  scheduleAt?: Date;
  requestReceipt?: boolean;
  /** 0 (normal) .. 3 (highest). */
  priority?: number;
  defaultCountry?: string;
  mobileOnly?: boolean;
  /** SMPP service_type: at most 5 characters (6 octets with the NUL); '' is the carrier's default. */
  serviceType?: string;
  /** Custom TLVs for this message (checked by encodeCustomTlvs); they replace the credential's of the same tag. */
  tlvs?: EncodedTlv[];
}

export interface SmsResult {
  to: string;
  from: string;
  messageIds: string[];
  parts: number;
  encoding: string;
  status: 'accepted' | 'failed';
  error?: string;
  /** The carrier may have received this message twice (a resend after an unanswered submit). */
  possibleDuplicate?: boolean;
  /** Failed: why, as a failover class (see failure-class.ts). */
  failure?: FailureClass;
  /** Failed: whether another route may send it without risking a duplicate. */
  retryElsewhere?: boolean;
}

/**
 * An error in what the user asked for, naming the field (`to`, `from`, `message`, ...): a
 * FieldError, under the name callers of prepareSms know.
 */
export class SmsRequestError extends FieldError {
  constructor(field: string, problem: string) {
    super(field, problem);
    this.name = 'SmsRequestError';
  }
}
