/** Builds the OtpRefusedError for each refusal code, with a message a workflow author can act on. */
import { OtpRefusedError } from './errors';
import type { SendRefusalCode } from './types';

export interface RefusalContext {
  phone: string;
  retryAfterMs?: number;
  /** country_not_allowed: where the number is, and what is allowed. */
  country?: string;
  allowed?: string;
  /** max_sends_reached: the limit that was hit. */
  maxSends?: number;
}

export function refusal(code: SendRefusalCode, context: RefusalContext): OtpRefusedError {
  const retryAfterSeconds = context.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(context.retryAfterMs / 1000));
  const wait = retryAfterSeconds === undefined ? '' : `; retry in ${retryAfterSeconds} s`;
  const head = `OTP send to ${context.phone} refused (${code})`;
  switch (code) {
    case 'country_not_allowed':
      return new OtpRefusedError(code, `${head}: ${context.country} is not an allowed destination (allowed: ${context.allowed || 'none'})`);
    case 'rate_limited_number':
      return new OtpRefusedError(code, `${head}: this number reached its hourly send limit${wait}`, retryAfterSeconds);
    case 'rate_limited_prefix':
      return new OtpRefusedError(code, `${head}: numbers with this prefix reached their hourly send limit${wait}`, retryAfterSeconds);
    case 'global_limit':
      return new OtpRefusedError(code, `${head}: the hourly send ceiling of this gateway is reached${wait}`, retryAfterSeconds);
    case 'max_sends_reached':
      return new OtpRefusedError(
        code,
        `${head}: the verification already used its ${context.maxSends} sends; a new one can start when it expires${wait}`,
        retryAfterSeconds,
      );
    case 'resend_too_soon':
      return new OtpRefusedError(code, `${head}: a code was sent moments ago${wait}`, retryAfterSeconds);
  }
}
