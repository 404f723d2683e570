/** OTP core: SMS verification codes (memory or Redis store) and authenticator-app TOTP. */
export { OtpService } from './otp-service';
export type { OtpServiceOptions } from './otp-service';
export { createMemoryOtpStore, MemoryOtpStore } from './memory-store';
export { createRedisOtpStore, RedisOtpStore } from './redis-store';
export type { RedisOtpStoreOptions } from './redis-store';
export type { OtpStore } from './store';
export { enrolTotp, verifyTotp, TOTP_PERIOD_SECONDS } from './totp';
export type { TotpEnrolment, TotpEnrolOptions, TotpVerifyOptions, TotpVerifyResult } from './totp';
export { DEFAULT_TOTP_LIMITS, TotpService } from './totp-service';
export type { TotpCheckResult, TotpEnrolmentStatus, TotpEnrolRequest, TotpLimits, TotpServiceOptions, TotpStoredEnrolment } from './totp-service';
export { DEFAULT_CONFIRM_WITHIN_SECONDS } from './totp-limits';
export type { TotpStore } from './totp-store';
export { createMemoryTotpStore, MemoryTotpStore } from './totp-memory-store';
export { createRedisTotpStore, RedisTotpStore } from './totp-redis-store';
export type { RedisTotpStoreOptions } from './totp-redis-store';
export { OtpConflictError, OtpInputError, OtpRefusedError, TotpEnrolRefusedError } from './errors';
export { DEFAULT_CHANNEL, DEFAULT_GUARD_LIMITS, DEFAULT_OTP_POLICY } from './validate';
export { SEND_REFUSAL_CODES } from './types';
export type {
  OtpCancelResult,
  OtpIssueResult,
  OtpPolicy,
  OtpStatusResult,
  OtpVerifyResult,
  PumpingGuardPolicy,
  SendRefusalCode,
  VerificationStatus,
  VerifyRejectionReason,
} from './types';
