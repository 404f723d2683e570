import type { EncodedMessage } from '../encoding';
import { prepareSms } from '../gateway/prepare-message';
import { normalizePhoneNumber } from '../phone';
import type { NormalizeOptions } from '../phone';
import type { PreparedSms, SenderDefaults } from '../gateway/prepare-message';
import { onePartAccepted, onePartFailed, sendPreparedTo } from '../gateway/send-sms';
import { failureFields, settledFailure } from '../gateway/failure-class';
import { withDestination } from '../transport/smpp/pdu/message-pdu';
import { WITHDRAWN } from '../transport/smpp/types';
import type { SmppSubmitError, SubmitReceiver, SubmitResult } from '../transport/smpp/types';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { PartSender, SmsReceiver } from '../gateway/send-sms';
import { FieldError } from '../errors';
import type { OptOutStore } from '../optout/opt-out-store';
import type { BroadcastJournal, JournalGeneration } from './broadcast-journal';
import { randomUUID } from 'crypto';
import { JournaledSendStopped, sendJournaled } from './journaled-send';
import type { SendDone, SendOutcome } from './journaled-send';
import { RecipientFeed } from './recipient-feed';
import { BroadcastStoppedError } from './broadcast-stopped';
import type { BroadcastMessageOptions, BroadcastProgress, BroadcastRecipient, BroadcastSummary, RecipientResult, RecipientSource } from './broadcast-types';
import type { SmsResult } from '../gateway/message-request';

export interface BroadcastOptions {
  /** The broadcast's identity: re-runs with the same ID send nobody the message twice. */
  broadcastId: string;
  /**
   * A run within this long of the ID's first run resumes it; a later one starts afresh (a new
   * generation of the ID). Default: no window (an ID given by the user always resumes).
   */
  dedupeWindowMs?: number;
  /** Start afresh now: send to everyone again, on purpose. */
  sendAgain?: boolean;
  /** Also send numbers an earlier run left uncertain (each result flagged possibleDuplicate). */
  resendUncertain?: boolean;
  sender: PartSender | null;
  defaults: SenderDefaults;
  message: BroadcastMessageOptions;
  journal: BroadcastJournal;
  optOut?: { store: OptOutStore; list: string; override: boolean };
  dryRun?: boolean;
  /** For the dry-run time estimate. */
  tps?: number;
  /** Keep one result per recipient (off for very large lists: summary only). */
  collectResults?: boolean;
  /** Messages being sent at once (default 400; at least the transport's window). */
  concurrency?: number;
  onProgress?: (progress: BroadcastProgress) => void;
  progressEveryMs?: number;
  /** Called for each accepted recipient (e.g. to wait for receipts later). */
  onAccepted?: (to: string, messageIds: string[]) => void;
}

/** What we keep per recipient between validation and sending: small, so 1,000,000 fit. */
interface Valid {
  itemIndex: number;
  e164: string;
  text: string;
  parts: number;
}

/**
 * PDUs for one recipient: the template prepared for the same text, with this destination.
 * Templates are kept per distinct text (bounded); other texts are prepared again at send time.
 */
class PduFactory {
  private readonly templates = new Map<string, PreparedSms>();
  /** One options object for every number (only the E.164 form is read: no type getter per number). */
  private numberOptions: NormalizeOptions | undefined;

  constructor(
    private readonly options: BroadcastOptions,
    private readonly cache: Map<string, EncodedMessage>,
  ) {}

  remember(text: string, prepared: PreparedSms): void {
    if (this.templates.size < 1000 && !this.templates.has(text)) this.templates.set(text, prepared);
  }

  /**
   * Validates a recipient. When the text already has a template (an alert to 100,000 phones has
   * one text) only the number is checked: the sender and the encoding were checked with the
   * template, and building PDUs per recipient here would be thrown away.
   */
  check(recipient: BroadcastRecipient): { e164: string; parts: number } {
    const template = this.templates.get(recipient.text);
    if (template) {
      this.numberOptions ??= {
        defaultCountry: this.options.message.defaultCountry || this.options.defaults.defaultCountry,
        mobileOnly: this.options.message.mobileOnly,
        field: 'to',
        withoutType: true,
      };
      const to = normalizePhoneNumber(recipient.to, this.numberOptions);
      return { e164: to.e164, parts: template.pdus.length };
    }
    const prepared = prepareSms({ ...this.options.message, to: recipient.to, text: recipient.text }, this.options.defaults, this.cache);
    this.remember(recipient.text, prepared);
    return { e164: prepared.destination.e164, parts: prepared.pdus.length };
  }

  /** The text's template when it has one part (most alerts): the recipient's PDU is then its only part with the destination. */
  onePartTemplate(v: Valid): PreparedSms | undefined {
    const template = this.templates.get(v.text);
    return template && template.pdus.length === 1 ? template : undefined;
  }

  /** The one-part template's PDU for this recipient (E.164 without '+', as destination_addr carries it). */
  onePartPdu(template: PreparedSms, v: Valid): MessagePdu {
    return withDestination(template.pdus[0], { ton: 1, npi: 1, addr: v.e164.slice(1) });
  }

  build(v: Valid): PreparedSms {
    const template = this.templates.get(v.text);
    if (!template) return prepareSms({ ...this.options.message, to: v.e164, text: v.text }, this.options.defaults, this.cache);
    const digits = v.e164.slice(1); // E.164 without '+', as destination_addr carries it
    // Built field by field (object spreads cost ~2 µs each in V8, three per recipient). The
    // template's country and number type are not this recipient's, so they are left out.
    const address = { ton: 1, npi: 1, addr: digits };
    return {
      source: template.source,
      encoded: template.encoded,
      destination: { e164: v.e164, digits, ton: 1, npi: 1 },
      // One part (most alerts): an array literal, no closure and no map per recipient.
      pdus: template.pdus.length === 1 ? [withDestination(template.pdus[0], address)] : template.pdus.map((pdu) => withDestination(pdu, address)),
    };
  }
}

/**
 * Sends one alert to many recipients: normalise and dedupe, skip opt-outs and what an earlier
 * run of the same broadcast already sent, then submit in a bounded pipeline (memory does not grow
 * with the list) and account for every recipient.
 */
export async function runBroadcast(recipients: RecipientSource, options: BroadcastOptions): Promise<BroadcastOutcome> {
  const started = Date.now();
  const results: RecipientResult[] = [];
  const keep = options.collectResults !== false;
  const listed = Array.isArray(recipients);
  const summary: BroadcastSummary = {
    broadcastId: options.broadcastId,
    dryRun: options.dryRun === true,
    total: listed ? recipients.length : 0,
    accepted: 0,
    failed: 0,
    invalid: 0,
    duplicatesRemoved: 0,
    skippedOptOut: 0,
    skippedAlreadySent: 0,
    skippedUncertain: 0,
    uncertain: 0,
    possibleDuplicates: 0,
    parts: 0,
    seconds: 0,
    ratePerSecond: 0,
  };
  const failureReasons: Record<string, number> = {};
  // Summary only: problems are kept for the output's list, the first MAX_PROBLEMS of them (a file of bad lines stays small).
  const record = (r: RecipientResult): void => {
    if (keep || ((r.status === 'invalid' || r.status === 'failed' || r.status === 'skipped_uncertain') && results.length < MAX_PROBLEMS)) results.push(r);
  };

  // 1. Normalise, validate and dedupe (invalid numbers are reported, never sent); 2. skip
  // opt-outs unless this is a safety alert. Done in batches that feed the sender as they are
  // ready, so the first messages leave while the rest of the list is still being checked.
  const seen = new Set<string>();
  const cache = new Map<string, EncodedMessage>();
  const factory = new PduFactory(options, cache);
  const counting = options.dryRun === true || !options.sender;
  const feed = new RecipientFeed<Valid>();
  let partsPerMessage = 0;
  // A dry run counts parts as recipients pass validation: nothing is kept, whatever the list's size.
  const deliver = (valid: Valid[]): void => {
    if (!counting) return feed.push(valid);
    for (const v of valid) summary.parts += v.parts;
  };
  const validateBatch = async (batch: BroadcastRecipient[]): Promise<void> => {
    if (!listed) summary.total += batch.length;
    const valid: Valid[] = [];
    for (let i = 0; i < batch.length; i++) {
      const recipient = batch[i];
      let checked: { e164: string; parts: number };
      try {
        checked = factory.check(recipient);
      } catch (err) {
        if (!(err instanceof FieldError)) throw err;
        summary.invalid++;
        record({
          to: recipient.to,
          status: 'invalid',
          itemIndex: recipient.itemIndex,
          ...(recipient.row ? { row: recipient.row } : {}),
          ...(recipient.key !== undefined ? { key: recipient.key } : {}),
          error: err.message,
          ...failureFields('invalid'),
        });
        continue;
      }
      const e164 = checked.e164;
      if (seen.has(e164)) {
        summary.duplicatesRemoved++;
        if (keep) record({ to: e164, status: 'duplicate', itemIndex: recipient.itemIndex });
        continue;
      }
      seen.add(e164);
      partsPerMessage = Math.max(partsPerMessage, checked.parts);
      valid.push({ itemIndex: recipient.itemIndex, e164, text: recipient.text, parts: checked.parts });
    }
    if (!options.optOut || options.optOut.override || valid.length === 0) return deliver(valid);
    const opted = await options.optOut.store.filterOptedOut(
      options.optOut.list,
      valid.map((v) => v.e164),
    );
    deliver(
      opted.size === 0
        ? valid
        : valid.filter((v) => {
            if (!opted.has(v.e164)) return true;
            summary.skippedOptOut++;
            if (keep) record({ to: v.e164, status: 'skipped_opt_out', itemIndex: v.itemIndex });
            return false;
          }),
    );
  };
  const validateAll = async (maxAhead: number): Promise<void> => {
    try {
      for await (const batch of batchesOf(recipients)) {
        if (feed.aborted) break;
        await feed.room(maxAhead);
        await validateBatch(batch);
        await new Promise((resolve) => setImmediate(resolve)); // let the sender run
      }
      feed.end();
      seen.clear();
    } catch (err) {
      feed.fail(err as Error);
      throw err;
    }
  };

  if (options.dryRun || !options.sender) {
    await validateAll(Infinity);
    summary.partsPerMessage = partsPerMessage;
    summary.estimatedSeconds = options.tps && options.tps > 0 ? Math.ceil(summary.parts / options.tps) : undefined;
    summary.seconds = (Date.now() - started) / 1000;
    return { summary, results };
  }

  // 3. Send through the journal: skip what an earlier run sent, claim, submit, record the outcome.
  const sender = options.sender;
  const generation = await options.journal.open(options.broadcastId, { windowMs: options.dedupeWindowMs ?? Infinity, sendAgain: options.sendAgain });
  summary.broadcastId = generation.broadcastId;
  if (generation.lost) summary.journalLost = true;
  let done = 0;
  let lastProgress = Date.now();
  const report = (force = false): void => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < (options.progressEveryMs ?? 5000)) return;
    lastProgress = now;
    const seconds = (now - started) / 1000;
    options.onProgress({
      done,
      total: feed.length,
      accepted: summary.accepted,
      failed: summary.failed,
      ratePerSecond: seconds > 0 ? Math.round(summary.accepted / seconds) : 0,
    });
  };
  let submitOptions: { signal: AbortSignal } | undefined; // one object for the run, not one per message
  const send = (v: Valid, again: boolean, signal: AbortSignal, done: SendDone): void => {
    if (submitOptions?.signal !== signal) submitOptions = { signal };
    // No promise or closure per message: one object carries the recipient to its outcome.
    const job = new RecipientSend(v, again, signal, done, book);
    const template = sender.submitTo ? factory.onePartTemplate(v) : undefined;
    if (!template) return sendPreparedTo(sender, factory.build(v), submitOptions, job);
    // One part on a sender that takes receivers: straight to it, without a prepared message per recipient.
    job.template = template;
    try {
      sender.submitTo!(factory.onePartPdu(template, v), submitOptions, job);
    } catch (err) {
      job.notSubmitted(err);
    }
  };
  const outcomeOf = (r: SmsResult, v: Valid, again: boolean, signal: AbortSignal): SendOutcome | null => {
    // Withdrawn before any part was written (the run is stopping): not sent, so not a failure.
    // The signal is read last, only for a failure: each AbortSignal has a hidden class of its own,
    // so a read per message made V8 throw away this code at each new broadcast.
    if (r.status === 'failed' && r.messageIds.length === 0 && !r.possibleDuplicate && (r.error ?? '').endsWith(WITHDRAWN) && signal.aborted) return null;
    done++;
    summary.parts += r.status === 'accepted' ? r.parts : r.messageIds.length;
    // Resent on purpose after an uncertain earlier run: the phone may have it twice.
    if (again) {
      r.possibleDuplicate = true;
      summary.resentUncertain = (summary.resentUncertain ?? 0) + 1;
    }
    if (r.possibleDuplicate) summary.possibleDuplicates++;
    if (r.status === 'accepted') {
      summary.accepted++;
      if (keep) record(recipientResult(r, v.itemIndex));
      return 'accepted';
    }
    summary.failed++;
    const reason = (r.error ?? 'unknown').replace(/^part \d+ of \d+: /, '').slice(0, 120);
    failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
    record(recipientResult(r, v.itemIndex));
    // Written without an answer, or some parts accepted: it may have reached the phone. Kept as
    // uncertain, so a re-run does not send it again unless told to.
    const outcome: SendOutcome = r.possibleDuplicate || r.messageIds.length > 0 ? 'uncertain' : 'failed';
    if (outcome === 'uncertain') summary.uncertain++;
    return outcome;
  };
  // The user's hooks run after the result is counted and its outcome known: one that throws
  // stops the run, but the summary and the journal keep what really happened to the recipient.
  const announce = (r: SmsResult): void => {
    report();
    if (r.status === 'accepted') options.onAccepted?.(r.to, r.messageIds);
  };
  const book: ResultBook = { outcomeOf, announce };
  // Validation runs at most 10,000 recipients ahead of the sender: memory stays flat when the carrier stalls.
  const validating = validateAll(10_000);
  const sending = sendJournaled(
    feed,
    {
      journal: options.journal,
      broadcastId: generation.broadcastId,
      run: randomUUID(),
      resendUncertain: options.resendUncertain,
      concurrency: options.concurrency,
    },
    {
      skip: (v, why) => {
        if (why === 'accepted') {
          summary.skippedAlreadySent++;
          if (keep) record({ to: v.e164, status: 'skipped_already_sent', itemIndex: v.itemIndex });
          return;
        }
        summary.skippedUncertain++;
        record({
          to: v.e164,
          status: 'skipped_uncertain',
          itemIndex: v.itemIndex,
          error: SKIPPED_UNCERTAIN[generation.lost && why === 'uncertain' ? 'lost' : why],
        });
      },
      send,
      fatal: () => {
        const reason = sender.unusableReason?.();
        return reason ? new Error(reason) : null;
      },
    },
  );
  // Both are awaited whatever happens: nothing runs on after this function returns or throws.
  const [validated, sent] = await Promise.allSettled([validating, sending]);
  // A hook that throws here must not take the summary with it: it is the reason of the stop
  // below, unless the run had already stopped for another one.
  let lastReport: Error | null = null;
  try {
    report(true);
  } catch (err) {
    lastReport = err instanceof Error ? err : new Error(String(err));
  }
  summary.seconds = (Date.now() - started) / 1000;
  summary.ratePerSecond = summary.seconds > 0 ? Math.round(summary.accepted / summary.seconds) : summary.accepted;
  if (summary.failed > 0) summary.failureReasons = failureReasons;
  if (sent.status === 'rejected' || validated.status === 'rejected') {
    const stopped = sent.status === 'rejected' ? sent.reason : null;
    const reason = stopped instanceof JournaledSendStopped ? stopped.reason : ((validated.status === 'rejected' ? validated.reason : stopped) as Error);
    throw new BroadcastStoppedError(summary, reason, stopped instanceof JournaledSendStopped ? stopped.unrecorded : 0);
  }
  if (lastReport) throw new BroadcastStoppedError(summary, lastReport, 0);
  return { summary, results, generation };
}

/** What a run does with each recipient's result (see outcomeOf and announce in runBroadcast). */
interface ResultBook {
  /** Counts the result and says what the journal keeps; null: withdrawn before it was written (not sent, not counted). */
  outcomeOf(r: SmsResult, v: Valid, again: boolean, signal: AbortSignal): SendOutcome | null;
  /** Tells the user's hooks about a counted result; throws what they throw. */
  announce(r: SmsResult): void;
}

/** One recipient's send: its result turned into the journal's outcome, then told to the user's hooks. */
class RecipientSend implements SmsReceiver, SubmitReceiver {
  /** Set when its one part goes to the sender straight (submitted/notSubmitted then make the result). */
  template: PreparedSms | null = null;
  private told = false;

  constructor(
    private readonly v: Valid,
    private readonly again: boolean,
    private readonly signal: AbortSignal,
    private readonly done: SendDone,
    private readonly book: ResultBook,
  ) {}

  submitted(answer: SubmitResult): void {
    const t = this.template as PreparedSms;
    this.sent(onePartAccepted(this.v.e164, t.source.address, t.encoded.encoding, answer));
  }

  notSubmitted(error: SmppSubmitError | unknown): void {
    const t = this.template as PreparedSms;
    this.sent(onePartFailed(this.v.e164, t.source.address, t.encoded.encoding, error));
  }

  sent(r: SmsResult): void {
    if (this.told) return; // told once (a sender that answers twice must not count twice)
    this.told = true;
    let outcome: SendOutcome | null;
    try {
      outcome = this.book.outcomeOf(r, this.v, this.again, this.signal);
    } catch (err) {
      return this.done.sendFailed(err); // not counted: whether it left cannot be told
    }
    if (outcome === null) return this.done.sent('failed'); // never sent: released for a re-run
    try {
      this.book.announce(r);
    } catch (err) {
      // A progress or accepted callback threw: the run stops, and the journal keeps the outcome.
      return this.done.sentThenStop(outcome, err);
    }
    this.done.sent(outcome);
  }

  notSent(error: unknown): void {
    if (this.told) return;
    this.told = true;
    this.done.sendFailed(error);
  }
}

/** Problems kept for a summary-only output. */
const MAX_PROBLEMS = 1000;

/** A list in batches of 1000, or a stream's own batches; a stream is read only as fast as the sender takes. */
async function* batchesOf(recipients: RecipientSource): AsyncGenerator<BroadcastRecipient[]> {
  if (!Array.isArray(recipients)) {
    yield* recipients;
    return;
  }
  for (let start = 0; start < recipients.length; start += 1000) yield recipients.slice(start, start + 1000);
}

const SKIPPED_UNCERTAIN = {
  uncertain:
    'an earlier run of this broadcast may have sent it (the carrier never answered, or that run stopped while sending): not sent again; turn on "Resend Uncertain" to send it anyway',
  busy: 'another run of this broadcast holds this number: it is sending it now, or it stopped while sending it (then it may have reached the phone). Not sent; wait for the other run to finish and run again: only if no other run is going on, "Resend Uncertain" sends it anyway',
  lost: 'this broadcast\'s journal was lost (its Redis restarted without persistence?), so the gateway cannot tell whether this number got it: not sent; turn on "Resend Uncertain" to send it anyway (it may arrive twice)',
};

export interface BroadcastOutcome {
  summary: BroadcastSummary;
  results: RecipientResult[];
  /** The journal generation used (absent for a dry run). */
  generation?: JournalGeneration;
}

/** One recipient's line of the output: the send result with the item it came from. */
function recipientResult(r: SmsResult, itemIndex: number): RecipientResult {
  const out: RecipientResult = { to: r.to, from: r.from, messageIds: r.messageIds, parts: r.parts, encoding: r.encoding, status: r.status, itemIndex };
  if (r.error !== undefined) out.error = r.error;
  if (r.possibleDuplicate) out.possibleDuplicate = true;
  // After the send's own flags: a resend on purpose (Resend Uncertain) is a possible duplicate.
  if (r.status === 'failed') Object.assign(out, failureFields(settledFailure(r)));
  return out;
}
