/** Reads OTP Issue's code, limit and country parameters into the core's policy and guard. */
import type { IDataObject } from 'n8n-workflow';
import { OtpInputError } from '../../src/otp';
import type { OtpPolicy, PumpingGuardPolicy } from '../../src/otp';
import { FieldError } from '../shared/errors/field-error';
import { readWholeNumber } from '../shared/otp/otp-numbers';

export interface IssuePolicy {
  policy: OtpPolicy;
  guard: Partial<PumpingGuardPolicy>;
  lifetimeMinutes: number;
  includeCodeInOutput: boolean;
}

/** '' -> undefined (the default country only), '*' -> [] (everywhere), else the listed entries. */
export function readAllowedCountries(value: unknown): string[] | undefined {
  const text = String(value ?? '').trim();
  if (text === '') return undefined;
  if (text === '*') return [];
  return text.split(/[\s,;]+/).filter((entry) => entry !== '');
}

export function readIssuePolicy(codeLength: unknown, lifetimeMinutes: unknown, limits: IDataObject): IssuePolicy {
  const minutes = readWholeNumber(lifetimeMinutes, 'lifetimeMinutes', 'Lifetime (Minutes)', 1, 1440);
  const policy: OtpPolicy = {
    codeLength: readWholeNumber(codeLength, 'codeLength', 'Code Length', 4, 10),
    lifetimeSeconds: minutes * 60,
    maxCheckAttempts: readWholeNumber(limits.maxCheckAttempts ?? 5, 'maxCheckAttempts', 'Max Check Attempts', 1, 100),
    maxSends: readWholeNumber(limits.maxSends ?? 5, 'maxSends', 'Max Sends', 1, 100),
    minResendIntervalSeconds: readWholeNumber(limits.minResendIntervalSeconds ?? 30, 'minResendIntervalSeconds', 'Min Resend Interval (Seconds)', 0, 86_400),
    newCodeOnResend: limits.newCodeOnResend === true,
  };
  const guard: Partial<PumpingGuardPolicy> = {
    allowedCountries: readAllowedCountries(limits.allowedCountries),
    perNumberPerHour: readWholeNumber(limits.perNumberPerHour ?? 10, 'perNumberPerHour', 'Sends per Number per Hour', 0, 1e9),
    perPrefixPerHour: readWholeNumber(limits.perPrefixPerHour ?? 100, 'perPrefixPerHour', 'Sends per Prefix per Hour', 0, 1e9),
    prefixLength: readWholeNumber(limits.prefixLength ?? 6, 'prefixLength', 'Number Prefix Length', 3, 14),
    globalPerHour: readWholeNumber(limits.globalPerHour ?? 1000, 'globalPerHour', 'Global Sends per Hour', 0, 1e9),
  };
  return { policy, guard, lifetimeMinutes: minutes, includeCodeInOutput: limits.includeCodeInOutput === true };
}

/** Rewrites the core's complaint about the allow list in terms of the node's parameter. */
export function allowedCountriesError(err: unknown): unknown {
  if (!(err instanceof OtpInputError) || !err.field.startsWith('guard.allowedCountries')) return err;
  if (err.field === 'guard.allowedCountries') {
    return new FieldError(
      'allowedCountries',
      'Allowed Countries is empty and no default country is set (Message Options, SMS OTP Settings or SMPP credential): list where codes may go, e.g. DE, +41, or * for every country',
    );
  }
  return new FieldError('allowedCountries', `Allowed Countries: ${err.message.slice(err.field.length + 2)}`);
}
