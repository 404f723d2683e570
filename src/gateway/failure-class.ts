/**
 * Failover classes: whether a failed message may go by another route (a second carrier, a modem)
 * without the risk that the phone gets it twice. Only a definite "not taken" qualifies: the
 * carrier refused every part, or nothing was written at all. A submit written without an answer
 * (possible duplicate) or a long message of which some parts were accepted must not be resent.
 */
import { SmppSubmitError } from '../transport/smpp/types';

/**
 * - refused: the carrier answered every attempt with an error status (permanent, or throttled until we gave up)
 * - not_sent: nothing was written (no bind, link closed before writing, queue full, TPS limit unreachable, withdrawn)
 * - possible_duplicate: a submit was written and never answered: the carrier may have it
 * - partly_accepted: some parts of a long message were accepted
 * - invalid: the message itself is wrong (number, sender, text): another route would refuse it too
 * - unknown: an error of a kind the gateway cannot place
 */
export type FailureClass = 'refused' | 'not_sent' | 'possible_duplicate' | 'partly_accepted' | 'invalid' | 'unknown';

const RETRY_ELSEWHERE = new Set<FailureClass>(['refused', 'not_sent']);

/** True when another route may send the message without risking a duplicate. */
export function mayRetryElsewhere(failure: FailureClass): boolean {
  return RETRY_ELSEWHERE.has(failure);
}

/** The class of one part's failure. */
export function classifySubmitError(err: unknown): FailureClass {
  if (!(err instanceof SmppSubmitError)) return 'unknown';
  if (err.possibleDuplicate) return 'possible_duplicate';
  return err.reason === 'rejected' || err.reason === 'throttled_too_long' ? 'refused' : 'not_sent';
}

/**
 * The class of a message from its parts' failures and how many parts were accepted: any accepted
 * part makes it partly accepted; else the least safe class of its parts.
 */
export function classifyMessageFailure(errors: readonly unknown[], acceptedParts: number): FailureClass {
  if (acceptedParts > 0) return 'partly_accepted';
  const classes = errors.map(classifySubmitError);
  for (const worst of ['possible_duplicate', 'unknown', 'not_sent'] as const) if (classes.includes(worst)) return worst;
  return classes.length > 0 ? 'refused' : 'unknown';
}

/** The fields a failed result carries: its class and whether another route may send it. */
export function failureFields(failure: FailureClass): { failure: FailureClass; retryElsewhere: boolean } {
  return { failure, retryElsewhere: mayRetryElsewhere(failure) };
}

/** A failed result's class once flags set after the send are counted (a resend on purpose, an uncertain first route). */
export function settledFailure(result: { failure?: FailureClass; possibleDuplicate?: boolean; messageIds: readonly string[] }): FailureClass {
  if (result.messageIds.length > 0) return 'partly_accepted';
  if (result.possibleDuplicate) return 'possible_duplicate';
  return result.failure ?? 'unknown';
}
