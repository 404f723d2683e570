import type { BroadcastJournal } from './broadcast-journal';
import type { RecipientFeed } from './recipient-feed';
import { OutcomeWriter } from './outcome-writer';
import { genericArray } from './generic-array';

export interface JournaledSendOptions {
  journal: BroadcastJournal;
  /** The journal key of this generation (from journal.open). */
  broadcastId: string;
  /** This run's claim token: unique per run. */
  run: string;
  /** Also send numbers an earlier run left 'sending' or 'uncertain' (on purpose: they may get it twice). */
  resendUncertain?: boolean;
  /** Messages being sent at once (default 400): enough to keep any window of 400 full. */
  concurrency?: number;
  /** Recipients per journal write (default 50). */
  batch?: number;
  /** Recipients whose journal state is read per round trip (default 1000). */
  pageSize?: number;
  /**
   * Outcomes older than this are written with the next one that finishes (default 250 ms); a
   * timer writes them at twice this (at least 1 s) when nothing else finishes. Outcomes are checked on sends
   * that finish anyway, so a run whose answers arrive one by one wakes no more often for the
   * journal (a timer per 20 ms cost a wake-up per message at window 1, a fifth of its CPU).
   * The crash bound does not depend on it: at most `batch` outcomes wait.
   */
  flushMs?: number;
}

/** How one send ended, as the journal keeps it: 'uncertain' may have reached the phone. */
export type SendOutcome = 'accepted' | 'uncertain' | 'failed';

export interface JournaledSendHooks<T> {
  /**
   * A recipient not sent by this run: an earlier run sent it ('accepted'), may have sent it
   * ('uncertain'), or another run of the same broadcast holds it right now ('busy').
   */
  skip(item: T, why: 'accepted' | 'uncertain' | 'busy'): void;
  /**
   * Sends one recipient (`again`: an uncertain one resent on purpose) and tells `done` once how
   * it ended, possibly before returning. `signal` aborts when the run stops: parts still waiting
   * to be written are withdrawn.
   */
  send(item: T, again: boolean, signal: AbortSignal, done: SendDone): void;
  /** Asked after each send: a reason to stop everything (the transport gave up), or null. */
  fatal?(): Error | null;
}

/**
 * Told once how one send ended. `sendFailed`: it threw (we cannot tell whether it left).
 * `sentThenStop`: it ended as `outcome`, and the run must stop for `error` (a user's hook that
 * reported it threw): the journal keeps `outcome`, not 'uncertain'.
 */
export interface SendDone {
  sent(outcome: SendOutcome): void;
  sendFailed(error: unknown): void;
  sentThenStop(outcome: SendOutcome, error: unknown): void;
}

/** What a stopped run leaves: why, and outcomes the journal could not record (a re-run sees them as uncertain). */
export class JournaledSendStopped extends Error {
  constructor(
    readonly reason: Error,
    readonly unrecorded: number,
  ) {
    super(reason.message);
    this.name = 'JournaledSendStopped';
  }
}

interface Slot<T> {
  item: T;
  again: boolean;
  /** Resolves with the numbers the journal let this run claim. */
  marked?: Promise<Set<string>>;
  /** The same set once it resolved: a worker reads it without an await (a microtask per message). */
  claimed?: Set<string>;
}

/**
 * Sends recipients through a bounded pool while keeping the broadcast journal close to the truth:
 * a recipient is claimed (in small batches) just before its submit and its outcome written just
 * after, so a crash leaves at most about `concurrency + 2 * batch` recipients uncertain (skipped
 * by a re-run as possibly sent), not whole chunks. No chunk barriers: a throttled straggler never
 * holds up the rest.
 *
 * Fails fast and whole: the first failure (the journal, the feed, a transport that gave up) stops
 * every worker before its next send and withdraws the messages still waiting in the transport;
 * what was already written is awaited and recorded, and only then does it reject, once, with
 * JournaledSendStopped. Nothing is sent after it rejects.
 */
export function sendJournaled<T extends { e164: string }>(feed: RecipientFeed<T>, options: JournaledSendOptions, hooks: JournaledSendHooks<T>): Promise<void> {
  return new JournaledRun(feed, options, hooks).sendAll();
}

/**
 * One run's state: the recipients loaded from the feed, their claims, the outcomes waiting to be
 * written. Its classes live at module level, not inside sendJournaled: a class declared per call
 * gave every broadcast objects of new shapes, so the code V8 had optimised for the previous
 * broadcast was thrown away and compiled again (about 100 ms of compiler threads per broadcast,
 * a quarter of the CPU of a 4,000-message broadcast at window 10).
 */
class JournaledRun<T extends { e164: string }> {
  private readonly concurrency: number;
  private readonly batch: number;
  private readonly pageSize: number;
  private readonly queue: Array<Slot<T>> = genericArray();
  private head = 0;
  private pageStart = 0;
  private loading: Promise<void> | null = null;
  failure: Error | null = null;
  readonly stopping = new AbortController();
  readonly outcomes: OutcomeWriter;

  constructor(
    private readonly feed: RecipientFeed<T>,
    private readonly options: JournaledSendOptions,
    readonly hooks: JournaledSendHooks<T>,
  ) {
    this.concurrency = options.concurrency ?? 400;
    this.batch = options.batch ?? 50;
    this.pageSize = options.pageSize ?? 1000;
    const { journal, broadcastId, run } = options;
    this.outcomes = new OutcomeWriter(
      (outcomes) => journal.settle(broadcastId, run, outcomes),
      (err) => this.stop(err),
      this.batch,
      options.flushMs ?? 250,
    );
  }

  async sendAll(): Promise<void> {
    const workers: Array<Promise<void>> = new Array<Promise<void>>(this.concurrency);
    for (let i = 0; i < this.concurrency; i++) {
      const worker = new Worker(this);
      worker.run(null);
      workers[i] = worker.finished;
    }
    await Promise.all(workers);
    if (this.failure) {
      // Claimed ahead by a group write but never taken by a worker: release them.
      for (let i = this.head; i < this.queue.length; i++) {
        const slot = this.queue[i];
        const claimed = slot?.marked ? await slot.marked.catch(() => null) : null;
        if (claimed?.has(slot.item.e164)) this.note(slot, 'failed');
      }
    }
    await this.outcomes.flush();
    if (this.failure) throw new JournaledSendStopped(this.failure, this.outcomes.unrecorded);
  }

  /**
   * Records how `slot`'s send ended. A number resent on purpose (an earlier run left it uncertain)
   * stays uncertain when this run did not get it accepted: withdrawn, refused or never sent now,
   * the earlier run's copy may still have reached the phone, so a plain re-run must not send it.
   */
  note(slot: Slot<T>, outcome: SendOutcome): void {
    this.outcomes.note(slot.item.e164, slot.again && outcome === 'failed' ? 'uncertain' : outcome);
  }

  stop(err: unknown): void {
    this.failure ??= err instanceof Error ? err : new Error(String(err));
    this.feed.abort();
    this.stopping.abort();
  }

  private async loadPage(): Promise<void> {
    const { feed, hooks } = this;
    const page = feed.slice(this.pageStart, this.pageStart + this.pageSize);
    this.pageStart += page.length;
    feed.consumedUpTo(this.pageStart);
    const states = await this.options.journal.states(
      this.options.broadcastId,
      page.map((i) => i.e164),
    );
    for (let i = 0; i < page.length; i++) {
      const item = page[i];
      const state = states[i];
      if (state === 'accepted') hooks.skip(item, 'accepted');
      // 'sending': another run holds it (live, or one that stopped while sending it).
      else if (state && !this.options.resendUncertain) hooks.skip(item, state === 'sending' ? 'busy' : 'uncertain');
      // Every field from the start: one added later grows the object (a new backing store per slot).
      else this.queue.push({ item, again: state !== undefined, marked: undefined, claimed: undefined });
    }
  }

  /** The next slot when one is waiting (no promise: the common case once pages are loaded), else null. */
  ready(): Slot<T> | null {
    const queue = this.queue;
    if (this.failure || this.head >= queue.length) return null;
    const slot = queue[this.head];
    queue[this.head++] = undefined as unknown as Slot<T>; // release as we go
    if (this.head > 4096 && this.head * 2 > queue.length) {
      queue.splice(0, this.head);
      this.head = 0;
    }
    if (!slot.marked) this.claimGroup(slot);
    return slot;
  }

  /**
   * Claims `slot`'s recipient and the next few still waiting, in one write. Index loops: spreads
   * and for...of make an iterator result per element in the baseline code this runs as.
   */
  private claimGroup(slot: Slot<T>): void {
    const queue = this.queue;
    const group: Array<Slot<T>> = [slot];
    const end = Math.min(queue.length, this.head + this.batch - 1);
    for (let i = this.head; i < end; i++) if (!queue[i].marked) group.push(queue[i]);
    const numbers: string[] = new Array<string>(group.length);
    const again = new Set<string>();
    for (let i = 0; i < group.length; i++) {
      numbers[i] = group[i].item.e164;
      if (group[i].again) again.add(numbers[i]);
    }
    const marked = this.options.journal.claim(this.options.broadcastId, this.options.run, numbers, again);
    // A rejection is handled by whoever awaits `marked`; never an unhandled rejection.
    marked.then(
      (claimed) => {
        for (let i = 0; i < group.length; i++) group[i].claimed = claimed;
      },
      () => undefined,
    );
    for (let i = 0; i < group.length; i++) group[i].marked = marked;
  }

  async take(): Promise<Slot<T> | undefined> {
    const feed = this.feed;
    // A page being loaded counts as more to come: a worker that found the last page's states
    // still being read used to end here, leaving the run with fewer workers than `concurrency`.
    while (!this.failure && this.head >= this.queue.length && (this.loading !== null || this.pageStart < feed.length || !feed.done)) {
      try {
        if (this.loading !== null || this.pageStart < feed.length) {
          this.loading ??= this.loadPage().finally(() => (this.loading = null));
          await this.loading;
        } else {
          await feed.more();
        }
      } catch (err) {
        this.stop(err);
      }
    }
    return this.ready() ?? undefined;
  }
}

/**
 * One of `concurrency` senders. It runs its sends in a loop while the next slot and its claim
 * are at hand, without an `await` per message: a send told before it returns continues the
 * loop, one told later resumes it from there (the transport tells it from a loop of its own,
 * so this never nests). It waits on a promise only for a page, the feed or a claim's write.
 */
class Worker<T extends { e164: string }> {
  private current: Slot<T> | null = null;
  private inSend = false;
  private finish!: () => void;
  readonly finished = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(private readonly owner: JournaledRun<T>) {}

  run(next: Slot<T> | null): void {
    const owner = this.owner;
    try {
      for (let slot = next ?? owner.ready(); ; slot = owner.ready()) {
        if (!slot) return this.waitForSlot();
        if (!slot.claimed) return this.waitForClaim(slot);
        if (!this.start(slot, slot.claimed)) return;
      }
    } catch (err) {
      // The journal or a hook threw: stop everything, as a failed write does.
      this.stopped(err);
    }
  }

  private stopped(err: unknown): void {
    this.owner.stop(err);
    this.current = null;
    this.finish();
  }

  /** Starts one send; true when the loop may go on at once (skipped, or told before returning). */
  private start(slot: Slot<T>, claimed: Set<string>): boolean {
    const owner = this.owner;
    const e164 = slot.item.e164;
    if (!claimed.has(e164)) {
      // Another run of the same broadcast holds this number right now: it is theirs to send.
      owner.hooks.skip(slot.item, 'busy');
      return true;
    }
    if (owner.failure) {
      owner.note(slot, 'failed'); // claimed, never sent: released for a re-run (unless resent on purpose)
      this.finish();
      return false;
    }
    this.current = slot;
    this.inSend = true;
    try {
      owner.hooks.send(slot.item, slot.again, owner.stopping.signal, new SendTicket(this, slot));
    } catch (err) {
      this.sendFailed(slot, err);
    }
    this.inSend = false;
    return this.current === null;
  }

  /** `slot`'s send ended; a tell for a send already told (a second one) is ignored. */
  sent(slot: Slot<T>, outcome: SendOutcome): void {
    if (this.current !== slot) return;
    this.current = null;
    const owner = this.owner;
    try {
      owner.note(slot, outcome);
      const fatal = owner.hooks.fatal?.();
      if (fatal) owner.stop(fatal);
    } catch (err) {
      owner.stop(err);
    }
    if (!this.inSend) this.run(null);
  }

  sendFailed(slot: Slot<T>, error: unknown): void {
    this.sentThenStop(slot, 'uncertain', error); // we cannot tell whether it left
  }

  sentThenStop(slot: Slot<T>, outcome: SendOutcome, error: unknown): void {
    if (this.current !== slot) return;
    this.owner.stop(error);
    this.sent(slot, outcome);
  }

  private waitForSlot(): void {
    if (this.owner.failure) return this.finish();
    this.owner.take().then(
      (slot) => (slot ? this.run(slot) : this.finish()),
      (err: unknown) => this.stopped(err),
    );
  }

  private waitForClaim(slot: Slot<T>): void {
    slot.marked!.then(
      (claimed) => {
        try {
          if (this.start(slot, claimed)) this.run(null);
        } catch (err) {
          this.stopped(err);
        }
      },
      (err: unknown) => this.stopped(err),
    );
  }
}

/** One send's `done`: tells its worker about this slot only (a late second tell cannot count for the next send). */
class SendTicket<T extends { e164: string }> implements SendDone {
  constructor(
    private readonly worker: Worker<T>,
    private readonly slot: Slot<T>,
  ) {}
  sent(outcome: SendOutcome): void {
    this.worker.sent(this.slot, outcome);
  }
  sendFailed(error: unknown): void {
    this.worker.sendFailed(this.slot, error);
  }
  sentThenStop(outcome: SendOutcome, error: unknown): void {
    this.worker.sentThenStop(this.slot, outcome, error);
  }
}
