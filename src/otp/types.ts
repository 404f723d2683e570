/** Shared types of the OTP core: policies, verification records and results. */

/** Per-verification rules, modelled on Twilio Verify's defaults. */
export interface OtpPolicy {
  /** Digits in a code, 4-10. */
  codeLength: number;
  /** Seconds a verification stays pending after it is created. Resends do not extend it. */
  lifetimeSeconds: number;
  /** Check attempts per verification; the last wrong one ends it as max_attempts_reached. */
  maxCheckAttempts: number;
  /** Sends (first send + resends) per verification. */
  maxSends: number;
  /** Seconds a resend must wait after the previous send. */
  minResendIntervalSeconds: number;
  /** false: a resend within the lifetime sends the same code; true: it sends a fresh one. */
  newCodeOnResend: boolean;
}

/** SMS-pumping protection, checked before every send. A limit of 0 turns that limit off. */
export interface PumpingGuardPolicy {
  /**
   * ISO 3166 alpha-2 countries ('DE') or calling codes ('+49'); an empty list allows every
   * country. Left out: only `defaultCountry` is allowed.
   */
  allowedCountries: string[];
  /** Sends per hour to one number. */
  perNumberPerHour: number;
  /** Sends per hour to numbers sharing their first `prefixLength` E.164 digits (pumping targets ranges). */
  perPrefixPerHour: number;
  /** Digits of the E.164 number (after '+') that form the prefix, 3-14. */
  prefixLength: number;
  /** Sends per hour from this store as a whole (all numbers, all workers). */
  globalPerHour: number;
}

export type VerificationStatus = 'pending' | 'approved' | 'canceled' | 'expired' | 'max_attempts_reached';

export type VerifyRejectionReason = 'invalid_code' | 'expired' | 'max_attempts_reached' | 'not_found' | 'canceled' | 'already_used';

/** Why an issue (first send or resend) was refused before anything was sent. */
export type SendRefusalCode = 'country_not_allowed' | 'rate_limited_number' | 'rate_limited_prefix' | 'global_limit' | 'max_sends_reached' | 'resend_too_soon';

export const SEND_REFUSAL_CODES: readonly SendRefusalCode[] = [
  'country_not_allowed',
  'rate_limited_number',
  'rate_limited_prefix',
  'global_limit',
  'max_sends_reached',
  'resend_too_soon',
];

/**
 * What the store keeps about one verification. It never holds the code: only its keyed hash,
 * and the nonce + counter from which the server (which alone knows the server key) can
 * regenerate the code for a resend.
 */
export interface VerificationRecord {
  /** Public id of this verification ('VE' + 32 hex), returned to the caller. */
  sid: string;
  /** Random per-verification value; HMAC(serverKey, nonce) is the code secret. Useless without the key. */
  nonce: string;
  status: VerificationStatus;
  /** Counter of the current code; a resend with a new code increments it. */
  counter: number;
  /** Hex HMAC-SHA256(serverKey, sid, counter, code). */
  codeHash: string;
  codeLength: number;
  /** How codes are derived (code-crypto.ts): 2 uniform digits; 1 HOTP, in records written before 2026-12 (read as 1 when absent). */
  codeScheme: number;
  attempts: number;
  maxAttempts: number;
  sendCount: number;
  maxSends: number;
  createdAt: number;
  lastSentAt: number;
  /** ms since epoch; at and after this instant a pending verification is expired. */
  expiresAt: number;
  /** ms since epoch; the store may forget the record from then on (it reports 'expired' until then). */
  retainUntil: number;
  /** Revision, bumped by every write; with `sid` it guards read-modify-write against races. */
  rev: number;
}

export interface OtpIssueResult {
  /** The code to send. The only place the core ever hands out a code. */
  code: string;
  status: 'pending';
  sid: string;
  sendCount: number;
  sendsLeft: number;
  expiresAt: Date;
  /** true when this call resent an existing pending verification. */
  resent: boolean;
}

export interface OtpVerifyResult {
  approved: boolean;
  status: VerificationStatus | 'not_found';
  reason?: VerifyRejectionReason;
  attemptsLeft: number;
  sid?: string;
}

export interface OtpCancelResult {
  canceled: boolean;
  status: VerificationStatus | 'not_found';
}

export interface OtpStatusResult {
  status: VerificationStatus | 'not_found';
  sid?: string;
  sendCount: number;
  sendsLeft: number;
  attempts: number;
  attemptsLeft: number;
  expiresAt?: Date;
  /** Earliest moment a resend is allowed (pending verifications only). */
  nextResendAt?: Date;
}
