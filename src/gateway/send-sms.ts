import { SmppSubmitError } from '../transport/smpp/types';
import type { SubmitOptions, SubmitReceiver, SubmitResult } from '../transport/smpp/types';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { SmsResult } from './message-request';
import type { PreparedSms } from './prepare-message';
import { classifyMessageFailure, failureFields } from './failure-class';

/** Anything that can submit one part: the SMPP transport, or (later) a modem or a failover pair. */
export interface PartSender {
  /** Submits one part; a sender that cannot withdraw waiting parts ignores `options.signal`. */
  submit(pdu: MessagePdu, options?: SubmitOptions): Promise<SubmitResult>;
  /**
   * submit() without a promise (see SubmitReceiver): offered by the SMPP transport, used by the
   * broadcast's hot path; a sender without it is asked through submit().
   */
  submitTo?(pdu: MessagePdu, options: SubmitOptions, receiver: SubmitReceiver): void;
  /** Why nothing more can be sent (the transport gave up or was closed); null while usable. */
  unusableReason?(): string | null;
}

/** Told once how a message ended (every part answered or failed); see sendPreparedTo. */
export interface SmsReceiver {
  sent(result: SmsResult): void;
  /** The sender threw instead of answering (a bug, not a carrier's refusal). */
  notSent(error: unknown): void;
}

/**
 * Submits every part of a prepared SMS. The message is 'accepted' only when every part was;
 * parts accepted before a failure keep their ids in the result, so nothing is hidden.
 */
export function sendPrepared(sender: PartSender, prepared: PreparedSms, options?: SubmitOptions): Promise<SmsResult> {
  return sendPreparedThen(sender, prepared, options, sameResult);
}

const sameResult = (r: SmsResult): SmsResult => r;

/**
 * sendPrepared with the caller's next step run in the same promise reaction: a broadcast turns
 * each result into its outcome there, so one reaction per message instead of two (a promise and
 * a microtask fewer per message; at window 1 each message is its own wake-up and this code runs
 * unoptimised). A `next` that throws rejects the returned promise, as a `.then(next)` would.
 */
export function sendPreparedThen<T>(sender: PartSender, prepared: PreparedSms, options: SubmitOptions | undefined, next: (r: SmsResult) => T): Promise<T> {
  if (prepared.pdus.length !== 1) return sendParts(sender, prepared, options).then(next);
  // Most messages have one part: one promise step, no async frame, arrays or closures over
  // locals per message (a broadcast sends 100,000; the async path allocated ~1.3 KB each).
  let submitted: Promise<SubmitResult>;
  try {
    submitted = sender.submit(prepared.pdus[0], options);
  } catch (err) {
    return Promise.resolve(onePartFailed(prepared.destination.e164, prepared.source.address, prepared.encoded.encoding, err)).then(next);
  }
  return submitted.then(
    (r) => next(onePartAccepted(prepared.destination.e164, prepared.source.address, prepared.encoded.encoding, r)),
    (err: unknown) => next(onePartFailed(prepared.destination.e164, prepared.source.address, prepared.encoded.encoding, err)),
  );
}

/**
 * sendPrepared without a promise per message: a one-part message on a sender with `submitTo`
 * goes straight to the window, and its result to `receiver` (told at most once; possibly before
 * this returns). Other messages and senders take the promise path.
 */
export function sendPreparedTo(sender: PartSender, prepared: PreparedSms, options: SubmitOptions | undefined, receiver: SmsReceiver): void {
  if (prepared.pdus.length === 1 && sender.submitTo) {
    const part = new OnePart(prepared, receiver);
    try {
      sender.submitTo(prepared.pdus[0], options ?? {}, part);
    } catch (err) {
      part.notSubmitted(err);
    }
    return;
  }
  sendPrepared(sender, prepared, options).then(
    (r) => receiver.sent(r),
    (err: unknown) => receiver.notSent(err),
  );
}

/** One part's answer turned into the message's result (one object per message, no closures). */
class OnePart implements SubmitReceiver {
  private told = false;
  constructor(
    private readonly prepared: PreparedSms,
    private readonly receiver: SmsReceiver,
  ) {}
  submitted(r: SubmitResult): void {
    if (this.told) return;
    this.told = true;
    this.receiver.sent(onePartAccepted(this.prepared.destination.e164, this.prepared.source.address, this.prepared.encoded.encoding, r));
  }
  notSubmitted(err: unknown): void {
    if (this.told) return;
    this.told = true;
    this.receiver.sent(onePartFailed(this.prepared.destination.e164, this.prepared.source.address, this.prepared.encoded.encoding, err));
  }
}

/** A one-part message's result from its part's answer (`to`, `from`, `encoding`: the message's). */
export function onePartAccepted(to: string, from: string, encoding: SmsResult['encoding'], r: SubmitResult): SmsResult {
  const result: SmsResult = {
    to,
    from,
    messageIds: [r.messageId],
    parts: 1,
    encoding,
    status: 'accepted',
  };
  if (r.possibleDuplicate) result.possibleDuplicate = true;
  return result;
}

/** The same result sendParts gives for one failed part. */
export function onePartFailed(to: string, from: string, encoding: SmsResult['encoding'], reason: unknown): SmsResult {
  const e = reason as Error;
  const result: SmsResult = {
    to,
    from,
    messageIds: [],
    parts: 1,
    encoding,
    status: 'failed',
  };
  result.error = e.message;
  if (e instanceof SmppSubmitError && e.possibleDuplicate) result.possibleDuplicate = true;
  return Object.assign(result, failureFields(classifyMessageFailure([reason], 0)));
}

async function sendParts(sender: PartSender, prepared: PreparedSms, options?: SubmitOptions): Promise<SmsResult> {
  const pdus = prepared.pdus;
  const messageIds: string[] = [];
  let possibleDuplicate = false;
  let error: string | undefined;
  const errors: unknown[] = [];
  const onRejected = (reason: unknown, i: number): void => {
    const e = reason as Error;
    errors.push(reason);
    possibleDuplicate ||= e instanceof SmppSubmitError && e.possibleDuplicate;
    error ??= pdus.length > 1 ? `part ${i + 1} of ${pdus.length}: ${e.message}` : e.message;
  };
  // One bind for all the parts when the credential has several (see SubmitOptions.messageKey).
  const partOptions: SubmitOptions = { ...options, messageKey: pdus };
  const settled = await Promise.allSettled(pdus.map((pdu) => sender.submit(pdu, partOptions)));
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') {
      messageIds.push(s.value.messageId);
      possibleDuplicate ||= s.value.possibleDuplicate;
    } else {
      onRejected(s.reason, i);
    }
  });
  const result: SmsResult = {
    to: prepared.destination.e164,
    from: prepared.source.address,
    messageIds,
    parts: pdus.length,
    encoding: prepared.encoded.encoding,
    status: error ? 'failed' : 'accepted',
  };
  if (error) result.error = error;
  if (possibleDuplicate) result.possibleDuplicate = true;
  if (error) Object.assign(result, failureFields(classifyMessageFailure(errors, messageIds.length)));
  return result;
}
