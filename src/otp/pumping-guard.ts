/**
 * SMS-pumping protection: which destinations may get a code, and the hourly send counters
 * (per number, per number prefix, global) that the store checks and bumps atomically with
 * each send. Windows are fixed clock hours: simple to keep exact across workers, at the cost
 * of allowing up to twice a limit across a window boundary.
 */
import type { RateLimitCheck } from './store';
import type { ResolvedGuard, ParsedPhone } from './validate';

const HOUR_MS = 3_600_000;

export class PumpingGuard {
  constructor(private readonly policy: ResolvedGuard) {}

  isCountryAllowed(phone: ParsedPhone): boolean {
    const { iso, callingCodes } = this.policy.allowed;
    if (iso.size === 0 && callingCodes.size === 0) return true;
    if (phone.country !== undefined && iso.has(phone.country)) return true;
    return callingCodes.has(phone.callingCode);
  }

  /** Human-readable allow list for refusal messages. */
  describeAllowed(): string {
    const { iso, callingCodes } = this.policy.allowed;
    return [...iso, ...[...callingCodes].map((code) => `+${code}`)].join(', ');
  }

  /** Counters to check and bump for one send to `phone` at `now`, most specific first. */
  rateLimits(phone: ParsedPhone, now: number): RateLimitCheck[] {
    const hour = Math.floor(now / HOUR_MS);
    const windowEndsAt = (hour + 1) * HOUR_MS;
    const checks: RateLimitCheck[] = [];
    const { perNumberPerHour, perPrefixPerHour, prefixLength, globalPerHour } = this.policy;
    if (perNumberPerHour > 0) {
      checks.push({ counterKey: `rl:n:${phone.e164}:${hour}`, limit: perNumberPerHour, windowEndsAt, refusal: 'rate_limited_number' });
    }
    if (perPrefixPerHour > 0) {
      const prefix = phone.e164.slice(1, 1 + prefixLength);
      checks.push({ counterKey: `rl:p:${prefix}:${hour}`, limit: perPrefixPerHour, windowEndsAt, refusal: 'rate_limited_prefix' });
    }
    if (globalPerHour > 0) {
      checks.push({ counterKey: `rl:g:${hour}`, limit: globalPerHour, windowEndsAt, refusal: 'global_limit' });
    }
    return checks;
  }
}
