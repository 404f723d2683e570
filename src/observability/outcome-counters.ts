/** Outcomes of OTP and broadcasts per credential: issued, verified by result, refused by rule; recipients by outcome. */
import type { OtpOutcomeCounters } from '../otp/otp-service';
import { gatewayMetrics } from './gateway-metrics';

/** The counters an OtpService reports to (its `outcomes` option), for one OTP credential. */
export function otpCounters(credential: string): OtpOutcomeCounters {
  const m = gatewayMetrics();
  const issued = m.otpIssued.child(credential);
  return {
    issued: () => void issued.value++,
    refused: (rule) => void m.otpRefused.child(credential, rule).value++,
    verified: (result) => void m.otpVerifications.child(credential, result).value++,
  };
}

/** A finished broadcast's recipients by outcome (a dry run sends nothing and counts nothing). */
export function countBroadcast(
  credential: string,
  summary: {
    dryRun: boolean;
    accepted: number;
    failed: number;
    invalid: number;
    skippedOptOut: number;
    skippedAlreadySent: number;
    skippedUncertain: number;
    duplicatesRemoved: number;
  },
): void {
  if (summary.dryRun) return;
  const family = gatewayMetrics().broadcastRecipients;
  const outcomes = {
    accepted: summary.accepted,
    failed: summary.failed,
    invalid: summary.invalid,
    skipped_opt_out: summary.skippedOptOut,
    skipped_already_sent: summary.skippedAlreadySent,
    skipped_uncertain: summary.skippedUncertain,
    duplicate_removed: summary.duplicatesRemoved,
  };
  for (const [outcome, count] of Object.entries(outcomes)) if (count > 0) family.child(credential, outcome).value += count;
}
