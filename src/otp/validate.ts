/** Input checks for the OTP core. Messages name the field and never repeat a code or a secret. */
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import { OtpInputError } from './errors';
import type { OtpPolicy, PumpingGuardPolicy } from './types';

export const DEFAULT_OTP_POLICY: Readonly<OtpPolicy> = {
  codeLength: 6,
  lifetimeSeconds: 600,
  maxCheckAttempts: 5,
  maxSends: 5,
  minResendIntervalSeconds: 30,
  newCodeOnResend: false,
};

export const DEFAULT_GUARD_LIMITS: Readonly<Omit<PumpingGuardPolicy, 'allowedCountries'>> = {
  perNumberPerHour: 10,
  perPrefixPerHour: 100,
  prefixLength: 6,
  globalPerHour: 1000,
};

export const DEFAULT_CHANNEL = 'default';

const E164 = /^\+[1-9]\d{6,14}$/;
const CHANNEL = /^[A-Za-z0-9_.-]{1,64}$/;
const DIGITS = /^\d+$/;

export interface ParsedPhone {
  e164: string;
  /** ISO alpha-2, absent for non-geographic numbers (+800, +882...). */
  country?: string;
  callingCode: string;
}

export function parsePhone(phone: unknown): ParsedPhone {
  if (typeof phone !== 'string' || !E164.test(phone)) {
    throw new OtpInputError('phone', `must be an E.164 number like +4915112345678, got ${describe(phone)}`);
  }
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed || !parsed.isPossible()) {
    throw new OtpInputError('phone', `${phone} is not a possible phone number (unknown country code or wrong length)`);
  }
  return { e164: phone, country: parsed.country, callingCode: parsed.countryCallingCode };
}

export function checkChannel(channel: unknown): string {
  if (channel === undefined || channel === '') return DEFAULT_CHANNEL;
  if (typeof channel !== 'string' || !CHANNEL.test(channel)) {
    throw new OtpInputError('channel', `must be 1-64 letters, digits, '_', '.' or '-', got ${describe(channel)}`);
  }
  return channel;
}

/** Shape check only (digits, 4-10); the exact length is checked against the verification. */
export function checkCodeShape(code: unknown, field = 'code'): string {
  if (typeof code !== 'string') throw new OtpInputError(field, `must be a string of digits, got ${typeof code}`);
  // Deliberately no echo of the value: it may be a real code.
  if (!DIGITS.test(code)) throw new OtpInputError(field, `must contain digits only (${code.length} characters given)`);
  if (code.length < 4 || code.length > 10) throw new OtpInputError(field, `must be 4-10 digits, got ${code.length}`);
  return code;
}

export function checkServerKey(key: unknown): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.isBuffer(key) ? key : undefined;
  if (!bytes) throw new OtpInputError('serverKey', 'must be a string or a Buffer');
  if (bytes.length < 16) throw new OtpInputError('serverKey', `must be at least 16 bytes, got ${bytes.length}`);
  return Buffer.from(bytes);
}

export function resolvePolicy(partial: Partial<OtpPolicy> | undefined): OtpPolicy {
  const policy: OtpPolicy = { ...DEFAULT_OTP_POLICY, ...dropUndefined(partial ?? {}) };
  checkInteger('policy.codeLength', policy.codeLength, 4, 10);
  checkInteger('policy.lifetimeSeconds', policy.lifetimeSeconds, 1, 86_400);
  checkInteger('policy.maxCheckAttempts', policy.maxCheckAttempts, 1, 100);
  checkInteger('policy.maxSends', policy.maxSends, 1, 100);
  checkInteger('policy.minResendIntervalSeconds', policy.minResendIntervalSeconds, 0, 86_400);
  if (typeof policy.newCodeOnResend !== 'boolean') {
    throw new OtpInputError('policy.newCodeOnResend', `must be true or false, got ${describe(policy.newCodeOnResend)}`);
  }
  return policy;
}

/** Allowed countries as ISO codes and calling codes (digits, no '+'). Empty sets: everything allowed. */
export interface CountryAllowList {
  iso: ReadonlySet<string>;
  callingCodes: ReadonlySet<string>;
}

export interface ResolvedGuard extends Omit<PumpingGuardPolicy, 'allowedCountries'> {
  allowed: CountryAllowList;
}

export function resolveGuard(partial: Partial<PumpingGuardPolicy> | undefined, defaultCountry: string | undefined): ResolvedGuard {
  const given = dropUndefined(partial ?? {});
  const limits = { ...DEFAULT_GUARD_LIMITS, ...given };
  checkInteger('guard.perNumberPerHour', limits.perNumberPerHour, 0, 1e9);
  checkInteger('guard.perPrefixPerHour', limits.perPrefixPerHour, 0, 1e9);
  checkInteger('guard.prefixLength', limits.prefixLength, 3, 14);
  checkInteger('guard.globalPerHour', limits.globalPerHour, 0, 1e9);
  let entries = given.allowedCountries;
  if (entries === undefined) {
    if (defaultCountry === undefined) {
      throw new OtpInputError(
        'guard.allowedCountries',
        "is required when no defaultCountry is set: list ISO countries or calling codes (['DE', '+41']), or [] to allow all",
      );
    }
    entries = [defaultCountry];
  }
  if (!Array.isArray(entries)) throw new OtpInputError('guard.allowedCountries', 'must be an array of strings');
  const iso = new Set<string>();
  const callingCodes = new Set<string>();
  entries.forEach((entry: unknown, index) => {
    const field = `guard.allowedCountries[${index}]`;
    if (typeof entry !== 'string') throw new OtpInputError(field, `must be a string, got ${describe(entry)}`);
    const text = entry.trim();
    if (/^\+[1-9]\d{0,3}$/.test(text)) callingCodes.add(text.slice(1));
    else if (/^[A-Za-z]{2}$/.test(text) && isSupportedCountry(text.toUpperCase() as CountryCode)) iso.add(text.toUpperCase());
    else throw new OtpInputError(field, `must be an ISO 3166 alpha-2 country like 'DE' or a calling code like '+49', got ${describe(entry)}`);
  });
  return {
    perNumberPerHour: limits.perNumberPerHour,
    perPrefixPerHour: limits.perPrefixPerHour,
    prefixLength: limits.prefixLength,
    globalPerHour: limits.globalPerHour,
    allowed: { iso, callingCodes },
  };
}

export function checkInteger(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OtpInputError(field, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A short, safe description of a bad value for an error message (not used for codes or secrets). */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  return typeof value;
}
