import { Fifo } from './fifo';
import { SenderHeldParts } from './sender-held-parts';
import { classifyStatus, describeStatus, statusName } from './command-status';
import { isPartOfLong } from './sent/sent-data-codings';
import { InFlightTable } from './in-flight-table';
import { PromisedSubmit, ReceiverQueue } from './receiver-queue';
import type { SendThrottle, SenderLane, SentDataCodingLog, SubmitObserver, SubmitOptions, SubmitReceiver, SubmitRequest, SubmitResult } from './types';
import { SmppSubmitError, WITHDRAWN } from './types';
import { AbortWatch } from './abort-watch';

interface Entry {
  pdu: SubmitRequest;
  receiver: SubmitReceiver;
  /** How it ended, kept until its receiver is told (see deliver). */
  outcome: SubmitResult | SmppSubmitError | null;
  /** While in flight: its sequence number and its neighbours in write order (InFlightTable). */
  seq: number;
  olderInFlight: Entry | null;
  newerInFlight: Entry | null;
  attempts: number;
  throttled: number;
  firstThrottleAt: number;
  possibleDuplicate: boolean;
  notBefore: number;
  sentAt: number;
  /** Written and not yet answered (in the in-flight map). */
  writing: boolean;
  settled: boolean;
  /** Withdrawn by the caller while waiting: skipped when its turn comes. */
  cancelled: boolean;
  signal: AbortSignal | undefined;
  /** Its sender's own TPS (TPS per Sender ID), asked when it is next to be written. */
  lane: SenderLane | undefined;
}

export interface WindowPolicy {
  maxWindow: number;
  maxAttempts: number;
  maxThrottleMs: number;
  maxQueued: number;
  responseTimeoutMs: number;
  /** Fraction of throttled answers in one window's worth of answers that halves the window. */
  throttleDecreaseRatio: number;
}

export interface WindowCounters {
  sent: number;
  acked: number;
  failed: number;
  retried: number;
  throttled: number;
}

/**
 * The send window: at most `window` submit_sm without an answer; what does not fit waits in
 * order. It owns every accepted message until it is answered or failed with a reason, so a drop
 * or a timeout can never lose one: in-flight messages go back to the front of the queue, marked
 * as possible duplicates. Under ESME_RTHROTTLED the window shrinks (AIMD) only when most answers
 * are throttled, because some carriers throttle a share of submits regardless of our rate;
 * throttled messages are retried after a short per-message backoff.
 */
export class SubmitWindow {
  private readonly queue = new Fifo<Entry>();
  private retries: Entry[] = [];
  /** Parts whose sender was out of its own TPS when their turn came (see SenderHeldParts). */
  private readonly held = new SenderHeldParts<Entry>();
  private readonly inFlight = new InFlightTable<Entry>();
  private window: number;
  private pauseUntil = 0;
  private epochAnswers = 0;
  private epochThrottled = 0;
  private consecutiveDecreases = 0;
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeTimerAt = 0;
  private waitingForThrottle = false;
  readonly counters: WindowCounters = { sent: 0, acked: 0, failed: 0, retried: 0, throttled: 0 };

  constructor(
    private policy: WindowPolicy,
    /** Writes the PDU and returns its sequence number, or null when the link cannot take it. */
    private readonly write: (pdu: SubmitRequest) => number | null,
    private throttle: SendThrottle | undefined,
    // Monotonic: a wall-clock step (NTP, a resumed VM) must neither time out a healthy link nor hide a stall.
    private readonly now: () => number = () => performance.now(),
  ) {
    this.window = policy.maxWindow;
  }

  get currentWindow(): number {
    return this.window;
  }
  get inFlightCount(): number {
    return this.inFlight.size;
  }
  get queuedCount(): number {
    return this.queue.length + this.retries.length + this.held.size;
  }
  /** Parts waiting only for their sender's own TPS (see `held`). */
  get heldForSenderCount(): number {
    return this.held.size;
  }
  /**
   * A pump could write now (room in the window and something waiting). Asked first, so the calls
   * that find the window full (every submit while it is, and at window 1 every one) skip the
   * link's checks and the clock read: at 50 answers a second each runs unoptimised, with cold caches.
   */
  get wantsToWrite(): boolean {
    return this.inFlight.size < this.window && (this.queue.length > 0 || this.retries.length > 0 || this.held.size > 0);
  }
  get idle(): boolean {
    return this.inFlight.size === 0 && this.queuedCount === 0;
  }

  enqueue(pdu: SubmitRequest, options: SubmitOptions = {}): Promise<SubmitResult> {
    return new Promise<SubmitResult>((resolve, reject) => this.enqueueTo(pdu, options, new PromisedSubmit(resolve, reject)));
  }

  /**
   * enqueue() without a promise: `receiver` is told once how it ended (see SubmitReceiver). A
   * refusal at once (queue full, signal already aborted, or `refused`: the transport's own) is
   * told before this returns, unless a receiver is being told right now (then after it).
   */
  enqueueTo(pdu: SubmitRequest, options: SubmitOptions, receiver: SubmitReceiver, refused: SmppSubmitError | null = null): void {
    const signal = options.signal;
    const entry: Entry = {
      pdu,
      receiver,
      outcome: null,
      seq: 0,
      olderInFlight: null,
      newerInFlight: null,
      attempts: 0,
      throttled: 0,
      firstThrottleAt: 0,
      possibleDuplicate: false,
      notBefore: 0,
      sentAt: 0,
      writing: false,
      settled: false,
      cancelled: false,
      signal,
      lane: options.senderLane,
    };
    if (refused) {
      this.settle(entry, refused);
    } else if (this.queuedCount >= this.policy.maxQueued) {
      this.settle(
        entry,
        new SmppSubmitError(`send queue is full (${this.policy.maxQueued} messages waiting); try again later or raise the limit`, 'queue_full'),
      );
    } else if (signal !== undefined && this.signals.aborted(signal)) {
      this.settle(entry, new SmppSubmitError(WITHDRAWN, 'cancelled'));
    } else {
      this.queue.push(entry);
    }
    this.deliver();
  }

  /** Ended entries whose receivers are still to be told (see ReceiverQueue). */
  private readonly toTell = new ReceiverQueue<Entry>();

  private settle(entry: Entry, outcome: SubmitResult | SmppSubmitError): void {
    entry.settled = true;
    this.toTell.add(entry, outcome);
  }

  /** Tells the receivers of what ended, once the window's own step is done. */
  private deliver(): void {
    this.toTell.tellAll();
  }

  /** The submits' signals: an abort withdraws the entries still waiting with it (rare, so a scan). */
  private readonly signals = new AbortWatch((signal) => {
    const waiting = [...this.retries, ...this.held.values(), ...this.queue.values()].filter((e) => e.signal === signal && !e.writing && !e.settled);
    // Only while it waits: once written, the carrier's answer decides.
    for (const entry of waiting) this.withdraw(entry);
    if (waiting.length > 0) this.dropCancelled();
    this.deliver();
  });

  /** Takes withdrawn entries out of the waiting lists: they count against no one's queue limit. */
  private dropCancelled(): void {
    this.retries = this.retries.filter((e) => !e.cancelled);
    for (const entry of this.held.drain()) if (!entry.cancelled) this.held.hold(entry);
    for (const entry of this.queue.drain()) if (!entry.cancelled) this.queue.push(entry);
  }

  /**
   * Writes as many waiting messages as the window, the pause and the TPS throttle allow; returns
   * how many TPS tokens it spent (their submits must leave now, see SmppTransport.pump).
   */
  pump(linkReady: boolean): number {
    if (!linkReady) return 0;
    const tokens = this.writeWaiting();
    this.deliver();
    return tokens;
  }

  private writeWaiting(): number {
    const now = this.now();
    if (now < this.pauseUntil) {
      this.wakeAt(this.pauseUntil);
      return 0;
    }
    let tokens = 0;
    while (this.inFlight.size < this.window) {
      const entry = this.takeNext(now);
      if (!entry) break;
      if (this.throttle) {
        if (!this.throttle.tryTake()) {
          this.putBack(entry);
          this.waitForThrottle(this.throttle);
          return tokens;
        }
        tokens++;
      }
      let seq: number | null;
      try {
        seq = this.write(entry.pdu);
      } catch (err) {
        // A field the encoder refuses (too long, NUL, not Latin-1): fail this message, keep going.
        this.fail(
          entry,
          new SmppSubmitError(
            `the message cannot be encoded: ${(err as Error).message}`,
            'invalid',
            undefined,
            undefined,
            entry.possibleDuplicate,
            entry.attempts,
          ),
        );
        continue;
      }
      if (seq === null) {
        this.putBack(entry);
        return tokens;
      }
      // Spent on the way out, after the credential's token: parts that waited in the queue behind
      // other senders' do not reach the carrier faster than their sender's rate.
      entry.lane?.take();
      entry.attempts++;
      entry.sentAt = now;
      entry.writing = true;
      if (entry.attempts > 1) this.counters.retried++;
      this.counters.sent++;
      this.inFlight.set(seq, entry);
    }
    if (this.inFlight.size < this.window && (this.retries.length > 0 || this.held.size > 0)) this.wakeAt(this.nextReadyAt(now));
    return tokens;
  }

  /** The transport wrote the submits of the last `count` tokens pump() took. */
  tokensWritten(count: number): void {
    this.throttle?.written?.(count);
  }

  private waitForThrottle(throttle: SendThrottle): void {
    const unavailable = throttle.unavailable?.();
    if (unavailable) {
      // Nothing was written: not a duplicate, and the other route (failover) may take it.
      const waiting = [...this.retries, ...this.held.drain(), ...this.queue.drain()];
      this.retries = [];
      for (const entry of waiting) {
        if (!entry.cancelled)
          this.fail(
            entry,
            new SmppSubmitError(
              `${unavailable.message}; the message was not sent`,
              'limit_unavailable',
              undefined,
              undefined,
              entry.possibleDuplicate,
              entry.attempts,
            ),
          );
      }
      return;
    }
    if (this.waitingForThrottle) return;
    this.waitingForThrottle = true;
    this.observer?.throttleWait();
    throttle.onAvailable(
      () => {
        if (throttle !== this.throttle) return; // replaced meanwhile (see setThrottle)
        this.waitingForThrottle = false;
        this.onWake?.();
      },
      () => Math.min(this.window - this.inFlight.size, this.queuedCount - this.held.size),
    );
  }

  /** New limits (a changed credential): window size, attempts, timeouts and the TPS throttle apply from the next write; nothing queued is dropped. */
  reconfigure(policy: WindowPolicy, throttle: SendThrottle | undefined): void {
    this.policy = policy;
    this.window = policy.maxWindow;
    this.throttle = throttle;
    this.waitingForThrottle = false;
  }

  /** Set by the transport: called when a pause or retry delay ends, to pump again. */
  onWake: (() => void) | null = null;
  /** Set by the transport: the carrier answered ESME_RINVBNDSTS, so the link needs a fresh bind. */
  onBindLost: (() => void) | null = null;
  /** Set by the transport: told of every answer (metrics). */
  observer: SubmitObserver | null = null;
  /** Set by the transport: told the data_coding of every accepted submit (GSM-7 too). */
  sentDataCodings: SentDataCodingLog | null = null;

  /** Pumps again at `at` (or sooner, when a timer is already set for sooner). */
  private wakeAt(at: number): void {
    if (this.wakeTimer) {
      if (this.wakeTimerAt <= at + 1) return;
      clearTimeout(this.wakeTimer);
    }
    this.wakeTimerAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        this.onWake?.();
      },
      Math.max(1, at - this.now()),
    );
  }

  /** When the earliest retry or held part may go (its delay over and its sender within its TPS). */
  private nextReadyAt(now: number): number {
    let at = Infinity;
    for (const e of this.retries) at = Math.min(at, Math.max(e.notBefore, now + (e.lane?.waitMs() ?? 0)));
    return Math.min(at, now + this.held.nextReadyInMs());
  }

  private takeNext(now: number): Entry | undefined {
    if (this.retries.length > 0) {
      this.retries = this.retries.filter((e) => !e.cancelled);
      const i = this.retries.findIndex((e) => e.notBefore <= now && (!e.lane || e.lane.waitMs() === 0));
      if (i >= 0) return this.retries.splice(i, 1)[0];
    }
    if (this.held.size > 0) {
      const entry = this.held.takeReady();
      if (entry) return entry;
    }
    // Every sender held now is out of budget (none was ready): its next parts join it, in order.
    for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) {
      if (entry.cancelled) continue;
      if (!entry.lane || entry.lane.waitMs() === 0) return entry;
      this.held.hold(entry);
    }
    return undefined;
  }

  private putBack(entry: Entry): void {
    if (entry.notBefore > 0) this.retries.unshift(entry);
    else this.putFirst([entry]);
  }

  /** Puts parts back at the front, in order: before the held parts of their sender when it has some. */
  private putFirst(entries: Entry[]): void {
    this.queue.unshiftAll(this.held.putFirst(entries));
  }

  /**
   * Submits the carrier refused lately (throttled, a temporary error) and that are being sent again,
   * by the refused sequence: a carrier that answers the same submit twice (an error, then ESME_ROK)
   * took it after all, so the resend may reach the phone twice. Bounded; oldest forgotten first.
   */
  private readonly recentlyRefused = new Map<number, Entry>();

  private rememberRefused(seq: number, entry: Entry): void {
    this.recentlyRefused.set(seq, entry);
    if (this.recentlyRefused.size > 1024) this.recentlyRefused.delete(this.recentlyRefused.keys().next().value as number);
  }

  /**
   * Handles a submit_sm_resp. Returns false for a sequence number we are not waiting for.
   * `uncertain`: an answer that does not say whether the carrier took it (a generic_nack saying
   * ESME_ROK): whatever happens next, the message may reach the phone twice.
   */
  onResponse(seq: number, status: number, messageId: string, uncertain = false): boolean {
    const ours = this.settleAnswer(seq, status, messageId, uncertain);
    this.deliver();
    return ours;
  }

  private settleAnswer(seq: number, status: number, messageId: string, uncertain: boolean): boolean {
    const entry = this.inFlight.get(seq);
    if (!entry) {
      const refused = this.recentlyRefused.get(seq);
      if (refused && classifyStatus(status) === 'ok') {
        this.recentlyRefused.delete(seq);
        if (!refused.settled) refused.possibleDuplicate = true;
      }
      return false;
    }
    this.inFlight.delete(seq);
    entry.writing = false;
    if (uncertain) entry.possibleDuplicate = true;
    this.observer?.answered(status, this.now() - entry.sentAt, messageId);
    const kind = classifyStatus(status);
    this.countAnswer(kind === 'throttle');
    if (kind === 'ok') {
      this.counters.acked++;
      // Every one, GSM-7 too: a carrier that hands out an ID again must not leave the old alphabet on it.
      this.sentDataCodings?.record(messageId, entry.pdu.dataCoding, isPartOfLong(entry.pdu));
      this.settle(entry, { messageId, possibleDuplicate: entry.possibleDuplicate, attempts: entry.attempts, throttled: entry.throttled });
      return true;
    }
    if (kind === 'throttle') {
      this.counters.throttled++;
      const now = this.now();
      entry.throttled++;
      entry.firstThrottleAt ||= now;
      if (now - entry.firstThrottleAt > this.policy.maxThrottleMs) {
        this.fail(
          entry,
          new SmppSubmitError(
            `carrier kept answering ${describeStatus(status)} for ${Math.round((now - entry.firstThrottleAt) / 1000)} s`,
            'throttled_too_long',
            status,
            statusName(status),
            entry.possibleDuplicate,
            entry.attempts,
          ),
        );
        return true;
      }
      // The carrier refused this submit outright: a retry is never a duplicate (unless the carrier
      // answers it again with ESME_ROK), and does not spend an attempt.
      this.rememberRefused(seq, entry);
      entry.attempts--;
      if (this.withdrawnForRetry(entry)) return true;
      entry.notBefore = now + Math.min(2000, 20 * 2 ** Math.min(entry.throttled - 1, 7));
      this.retries.push(entry);
      return true;
    }
    if (kind === 'rebind') {
      this.onBindLost?.();
      if (entry.attempts < this.policy.maxAttempts) {
        // Refused (never taken), so not a duplicate: first in line for the fresh bind.
        if (!this.withdrawnForRetry(entry)) this.putFirst([entry]);
        return true;
      }
    }
    if (kind === 'temporary' && entry.attempts < this.policy.maxAttempts) {
      this.rememberRefused(seq, entry);
      if (this.withdrawnForRetry(entry)) return true;
      entry.notBefore = this.now() + Math.min(5000, 100 * 2 ** (entry.attempts - 1));
      this.retries.push(entry);
      return true;
    }
    const retried = kind === 'temporary' || kind === 'rebind';
    const reason = retried ? 'retries_exhausted' : 'rejected';
    const tail = retried ? ` after ${entry.attempts} attempts` : '';
    this.fail(
      entry,
      new SmppSubmitError(
        `carrier rejected the message: ${describeStatus(status)}${tail}`,
        reason,
        status,
        statusName(status),
        entry.possibleDuplicate,
        entry.attempts,
      ),
    );
    return true;
  }

  /**
   * A message to be written again (refused for now, or its link dropped) whose run has stopped
   * since: withdrawn instead (true). A stopped broadcast writes nothing more.
   */
  private withdrawnForRetry(entry: Entry): boolean {
    if (!entry.signal?.aborted) return false;
    this.withdraw(entry);
    return true;
  }

  /** Ends a message its caller withdrew, as a possible duplicate when it may have reached the carrier. */
  private withdraw(entry: Entry): void {
    entry.cancelled = true;
    this.settle(entry, new SmppSubmitError(WITHDRAWN, 'cancelled', undefined, undefined, entry.possibleDuplicate, entry.attempts));
  }

  private countAnswer(throttled: boolean): void {
    this.epochAnswers++;
    if (throttled) this.epochThrottled++;
    // An epoch is about one window of answers (at least 50, so one unlucky run of throttles in a
    // small window does not count as a trend).
    if (this.epochAnswers < Math.max(50, this.window)) return;
    const ratio = this.epochThrottled / this.epochAnswers;
    if (ratio > this.policy.throttleDecreaseRatio) {
      this.window = Math.max(1, Math.floor(this.window / 2));
      this.consecutiveDecreases++;
      // Halving is the first answer; a pause is added only when throttling persists.
      if (this.consecutiveDecreases > 1) this.pauseUntil = this.now() + Math.min(2000, 25 * 2 ** (this.consecutiveDecreases - 2));
    } else {
      // Additive increase whenever most answers get through: a carrier that throttles a fixed
      // share of submits whatever our rate must not talk us down to a window of one.
      this.consecutiveDecreases = 0;
      if (this.window < this.policy.maxWindow) this.window++;
    }
    this.epochAnswers = 0;
    this.epochThrottled = 0;
  }

  /** True when the oldest in-flight PDU has waited longer than the response timeout. */
  hasTimedOut(): boolean {
    const first = this.inFlight.oldest;
    return first !== null && this.now() - first.sentAt > this.policy.responseTimeoutMs;
  }

  /** When the oldest in-flight PDU's answer is due (performance.now() time), or null with nothing in flight. */
  nextAnswerDeadline(): number | null {
    const first = this.inFlight.oldest;
    return first === null ? null : first.sentAt + this.policy.responseTimeoutMs;
  }

  /**
   * The link is gone: every in-flight message goes back to the front of the queue as a possible
   * duplicate (the carrier may have accepted it), or fails once its attempts are spent.
   */
  onLinkDown(reason: string): number {
    const requeue: Entry[] = [];
    const count = this.inFlight.size;
    for (const entry of this.inFlight.toArray()) {
      entry.possibleDuplicate = true;
      entry.writing = false;
      if (entry.attempts >= this.policy.maxAttempts) {
        this.fail(
          entry,
          new SmppSubmitError(
            `no answer from the carrier after ${entry.attempts} attempts (last: ${reason}); the carrier may have accepted it`,
            'retries_exhausted',
            undefined,
            undefined,
            true,
            entry.attempts,
          ),
        );
      } else if (!this.withdrawnForRetry(entry)) {
        requeue.push(entry);
      }
    }
    this.inFlight.clear();
    this.putFirst(requeue);
    this.deliver();
    return count;
  }

  /** Fails everything still waiting or in flight (close, or reconnect given up). */
  failAll(message: string, reason: 'closed' | 'retries_exhausted'): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    // In-flight messages were written without an answer: the carrier may have them.
    const inFlight = this.inFlight.toArray();
    for (const entry of inFlight) entry.possibleDuplicate = true;
    const all = [...inFlight, ...this.retries, ...this.held.drain(), ...this.queue.drain()];
    this.inFlight.clear();
    this.retries = [];
    for (const entry of all) {
      if (entry.cancelled) continue;
      this.fail(entry, new SmppSubmitError(message, reason, undefined, undefined, entry.possibleDuplicate, entry.attempts));
    }
    this.deliver();
  }

  private fail(entry: Entry, error: SmppSubmitError): void {
    this.counters.failed++;
    this.settle(entry, error);
  }

  stop(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
  }
}
