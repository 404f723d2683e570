/**
 * What a code SMS that did not simply go out means for its verification, and the error that says
 * so truthfully. A definite non-send (no bind or modem, or every part refused with nothing left
 * unanswered) is given back: it counts toward no limit. A send that may have reached the phone
 * (some parts taken, or a submit whose answer was lost) is kept: the phone may hold the code, so
 * the verification stays pending and the send counts, and the error says what a retry does.
 * Never the word "canceled": n8n marks a run whose error message contains it as canceled.
 */
import type { RoutedSmsResult, FailureClass } from '../../src/gateway';
import type { OtpIssueResult, OtpPolicy, OtpService } from '../../src/otp';
import type { NodeOperationError } from 'n8n-workflow';
import { failureFields } from '../../src/gateway';

/** Marks a send's error with its failover class (read into the error item by otpErrorJson). */
export function withFailure(error: NodeOperationError, failure: FailureClass): NodeOperationError {
  Object.assign(error.context, failureFields(failure));
  return error;
}

/** Why the phone may hold the code of a failed send; null when nothing can have reached it. */
export function mayHaveArrived(sent: RoutedSmsResult): string | null {
  const by = sent.route === 'modem' ? 'the GSM modem' : 'the carrier';
  if (sent.messageIds.length > 0) return `${by} took ${sent.messageIds.length} of its ${sent.parts} parts`;
  if (!sent.possibleDuplicate) return null;
  return sent.route === 'modem'
    ? 'it may have gone out before the failure (a submit got no answer)'
    : 'the carrier may have taken it before its answer was lost';
}

/** Gives a send that did not go out back to the verification and says what that means for the user. */
export async function giveBack(service: OtpService, issued: OtpIssueResult): Promise<string> {
  const { refunded } = await service.sendFailed(issued);
  if (!refunded) return 'the verification changed meanwhile and stays as it is';
  return issued.resent
    ? 'nothing was sent, so this send does not count: the code sent before still works and a retry may go at once'
    : 'nothing was sent and the verification was ended, so a retry starts a new one at once';
}

/** The error of a send that is kept because the phone may hold its code. */
export function keptSendMessage(to: string, why: string, reason: string, issued: OtpIssueResult, policy: Readonly<OtpPolicy>): string {
  const head = `OTP SMS to ${to} may have reached the phone: ${why} (${reason}). The verification stays pending and this send counts (send ${issued.sendCount} of ${issued.sendCount + issued.sendsLeft})`;
  if (issued.sendsLeft === 0) {
    return `${head}; no sends are left: a new verification can start when this one expires at ${issued.expiresAt.toISOString()} (if the hourly limits allow).`;
  }
  const wait = policy.minResendIntervalSeconds;
  const when = wait > 0 ? `a retry within ${wait} s is refused as too soon; after that it` : 'a retry';
  return policy.newCodeOnResend
    ? `${head}; ${when} sends a new code (if the hourly limits allow), and the one in this SMS then stops working.`
    : `${head}; ${when} resends the same code (if the hourly limits allow).`;
}
