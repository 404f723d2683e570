/**
 * Message-level failover from an SMPP carrier to a GSM modem.
 *
 * A message goes by SMPP first. Only when the carrier could not take it after the transport's own
 * retries (link down, retries used up, throttled for too long, queue full, connection closed, a
 * temporary carrier error) does the whole message go again by modem. A message the carrier refused
 * for what it is (invalid destination, bad data coding, ...) would fail anywhere and is not moved,
 * and a message of which the carrier accepted some parts is never moved either: sending it again
 * would give the phone those parts twice.
 */
import { classifyStatus, Status } from '../transport/smpp/command-status';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import { SmppSubmitError } from '../transport/smpp/types';
import type { SubmitFailureReason, SubmitResult } from '../transport/smpp/types';
import type { SmsResult } from './message-request';
import type { PreparedSms } from './prepare-message';
import { sendPrepared } from './send-sms';
import { failureFields, settledFailure } from './failure-class';
import type { PartSender } from './send-sms';

export type SmsRoute = 'smpp' | 'modem';

/**
 * What the results say in `from` for a message a modem sent: a modem always sends from its SIM's
 * own number, and the modem does not tell us which number that is.
 */
export const MODEM_SENDER = 'SIM';

export interface RoutedSmsResult extends SmsResult {
  /** The transport that took (or last tried) the message. */
  route: SmsRoute;
  /** Why the message did not go by SMPP (the bind or the carrier's error), when it went to the modem. */
  smppError?: string;
  /** The modem's error, when the modem was tried and failed too. */
  modemError?: string;
}

/** The two routes of a failover sender. */
export interface FailoverRoutes {
  /** The SMPP transport; null when its bind could not be opened (then `smppUnavailable` says why). */
  smpp: PartSender | null;
  smppUnavailable?: string;
  /** The modem, opened on first use; rejects with the reason it cannot be used. */
  modem(): Promise<PartSender>;
}

/** The outcome of every part of one message, in the order of its PDUs, and the route it took. */
export interface RoutedParts {
  route: SmsRoute;
  parts: PromiseSettledResult<SubmitResult>[];
  /** Set when the message left SMPP for the modem. */
  smppError?: string;
  /** The SMPP attempt may have reached the carrier (an unanswered submit): a modem copy may be a second one. */
  smppUncertain: boolean;
  /** Set when the modem could not be opened at all. */
  modemUnavailable?: string;
}

const ROUTE_FAILURES = new Set<SubmitFailureReason>(['retries_exhausted', 'throttled_too_long', 'queue_full', 'closed', 'limit_unavailable']);

/**
 * True when an SMPP submit failed because of the carrier route, not because of the message: the
 * transport gave up after its retries, the link was closed, the queue was full, the shared TPS
 * limit's Redis was unreachable, or the carrier answered a temporary or throttling status (or says our bind is in the wrong state).
 */
export function isRouteFailure(error: unknown): boolean {
  if (!(error instanceof SmppSubmitError)) return false;
  if (ROUTE_FAILURES.has(error.reason)) return true;
  if (error.reason !== 'rejected' || error.status === undefined) return false;
  return classifyStatus(error.status) !== 'permanent' || error.status === Status.invalidBindStatus;
}

async function submitAll(sender: PartSender, pdus: MessagePdu[]): Promise<PromiseSettledResult<SubmitResult>[]> {
  // One bind for all the parts when the credential has several (see SubmitOptions.messageKey).
  const options = { messageKey: pdus };
  return Promise.allSettled(pdus.map((pdu) => sender.submit(pdu, options)));
}

/** A message failed by SMPP in a way the modem may fix: no part accepted, every failure a route failure. */
function shouldFailOver(parts: PromiseSettledResult<SubmitResult>[]): boolean {
  return parts.length > 0 && parts.every((p) => p.status === 'rejected' && isRouteFailure(p.reason));
}

/** Why the SMPP route failed, in the words sendPrepared uses for a result's `error`. */
function describeFailure(parts: PromiseSettledResult<SubmitResult>[]): string {
  const index = parts.findIndex((p) => p.status === 'rejected');
  const reason = (parts[index] as PromiseRejectedResult).reason as Error;
  return parts.length > 1 ? `part ${index + 1} of ${parts.length}: ${reason.message}` : reason.message;
}

/** The error of a message that failed by SMPP and then by modem. */
export function bothFailed(smppError: string | undefined, modemError: string): string {
  return `SMPP: ${smppError ?? 'not used'}; modem: ${modemError}`;
}

/** Sends the parts of one message by SMPP, and all of them by modem when SMPP failed as a route. */
export async function routeMessage(routes: FailoverRoutes, pdus: MessagePdu[]): Promise<RoutedParts> {
  let smppError = routes.smppUnavailable ?? 'the SMPP carrier is not connected';
  let smppUncertain = false;
  if (routes.smpp) {
    const parts = await submitAll(routes.smpp, pdus);
    if (!shouldFailOver(parts)) return { route: 'smpp', parts, smppUncertain: false };
    smppError = describeFailure(parts);
    smppUncertain = parts.some((p) => p.status === 'rejected' && (p.reason as SmppSubmitError).possibleDuplicate);
  }
  let modem: PartSender;
  try {
    modem = await routes.modem();
  } catch (err) {
    const modemUnavailable = (err as Error).message;
    const unavailable = new SmppSubmitError(`the GSM modem cannot be used: ${modemUnavailable}`, 'closed', undefined, undefined, smppUncertain);
    return { route: 'modem', parts: pdus.map(() => ({ status: 'rejected', reason: unavailable })), smppError, smppUncertain, modemUnavailable };
  }
  const parts = await submitAll(modem, pdus);
  return { route: 'modem', parts, smppError, smppUncertain };
}

/** Builds a message result from part outcomes already known, with sendPrepared's wording. */
function summarise(prepared: PreparedSms, parts: PromiseSettledResult<SubmitResult>[]): Promise<SmsResult> {
  const byPdu = new Map(prepared.pdus.map((pdu, i) => [pdu, parts[i]]));
  const replay: PartSender = {
    submit: (pdu) => {
      const outcome = byPdu.get(pdu);
      if (!outcome) return Promise.reject(new Error('part not sent'));
      return outcome.status === 'fulfilled' ? Promise.resolve(outcome.value) : Promise.reject(outcome.reason);
    },
  };
  return sendPrepared(replay, prepared);
}

/** Sends one prepared message by modem only; `from` says the SIM's number, as the modem ignores the sender. */
export async function sendByModem(modem: PartSender, prepared: PreparedSms): Promise<RoutedSmsResult> {
  return { ...(await sendPrepared(modem, prepared)), from: MODEM_SENDER, route: 'modem' };
}

/** Sends one prepared message by SMPP, failing over to the modem as described at the top of this file. */
export async function sendWithFailover(routes: FailoverRoutes, prepared: PreparedSms): Promise<RoutedSmsResult> {
  const routed = await routeMessage(routes, prepared.pdus);
  const result = await summarise(prepared, routed.parts);
  if (routed.route === 'smpp') return { ...result, route: 'smpp' };
  const routedResult: RoutedSmsResult = { ...result, from: MODEM_SENDER, route: 'modem', smppError: routed.smppError };
  if (routed.smppUncertain) routedResult.possibleDuplicate = true;
  if (result.status === 'failed') {
    routedResult.modemError = routed.modemUnavailable ? `the GSM modem cannot be used: ${routed.modemUnavailable}` : result.error;
    routedResult.error = bothFailed(routed.smppError, routedResult.modemError ?? 'unknown error');
    // An unanswered SMPP attempt makes the whole message uncertain, whatever the modem answered.
    Object.assign(routedResult, failureFields(settledFailure(routedResult)));
  }
  return routedResult;
}
