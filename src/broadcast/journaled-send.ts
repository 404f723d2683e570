import type { BroadcastJournal } from './broadcast-journal';

export interface JournaledSendOptions {
  journal: BroadcastJournal;
  broadcastId: string;
  /** Messages being sent at once (default 400): enough to keep any window of 400 full. */
  concurrency?: number;
  /** Recipients per journal write (default 50). */
  batch?: number;
  /** Recipients whose journal state is read per round trip (default 1000). */
  pageSize?: number;
  /** Longest a finished send waits before its outcome is written (default 20 ms). */
  flushMs?: number;
}

export interface JournaledSendHooks<T> {
  /** A recipient an earlier run of the same broadcast already sent ('accepted') or may have sent ('sending'). */
  skip(item: T, state: 'accepted' | 'sending'): void;
  /** Sends one recipient; resolves true when the journal must keep it as sent (accepted, even partly). */
  send(item: T): Promise<boolean>;
}

/**
 * Recipients handed over while they are still being validated: sending starts with the first
 * validated batch instead of after the whole list (the first alert leaves in milliseconds, and
 * validation and sending overlap).
 */
export class RecipientFeed<T> {
  /** Items not yet taken by the sender; `offset` is the absolute index of items[0]. */
  private items: T[] = [];
  private offset = 0;
  /** Keep what was taken (a dry run reads everything back); off when sending, so memory stays flat. */
  constructor(private readonly keepTaken = false) {}
  private complete = false;
  private failure: Error | null = null;
  private waiters: Array<() => void> = [];
  private consumed = 0;
  private roomWaiters: Array<() => void> = [];

  /** The producer waits here while it is more than `maxAhead` items ahead of the sender (a stalled carrier stops validation too). */
  async room(maxAhead: number): Promise<void> {
    while (this.length - this.consumed >= maxAhead) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }
  /** Every item pushed so far (absolute count). */
  get length(): number {
    return this.offset + this.items.length;
  }
  /** Items [from, to) by absolute index. */
  slice(from: number, to: number): T[] {
    return this.items.slice(from - this.offset, to - this.offset);
  }
  /** Everything pushed (only when kept: dry runs). */
  all(): T[] {
    return this.items;
  }
  /** The sender took everything before `index`: drop it unless kept. */
  consumedUpTo(index: number): void {
    this.consumed = index;
    if (!this.keepTaken && index - this.offset >= 10_000) {
      this.items = this.items.slice(index - this.offset);
      this.offset = index;
    }
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  push(batch: T[]): void {
    for (const item of batch) this.items.push(item);
    this.wake();
  }
  end(): void {
    this.complete = true;
    this.wake();
  }
  fail(error: Error): void {
    this.failure = error;
    this.end();
  }
  get done(): boolean {
    return this.complete;
  }
  /** Resolves when more items arrived or the feed ended; rejects if the producer failed. */
  async more(): Promise<void> {
    if (!this.complete) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
  }
  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

interface Slot<T> {
  item: T;
  /** Resolves with the numbers the journal let this run claim. */
  marked?: Promise<Set<string>>;
}

/**
 * Sends recipients through a bounded pool while keeping the broadcast journal close to the truth:
 * a recipient is marked 'sending' (in small batches) just before its submit and 'accepted' just
 * after, so a crash leaves at most about `concurrency + 2 * batch` recipients uncertain (skipped
 * by a re-run as possibly sent), not whole chunks. No chunk barriers: a throttled straggler never
 * holds up the rest.
 */
export async function sendJournaled<T extends { e164: string }>(feed: RecipientFeed<T>, options: JournaledSendOptions, hooks: JournaledSendHooks<T>): Promise<void> {
  const { journal, broadcastId } = options;
  const concurrency = options.concurrency ?? 400;
  const batch = options.batch ?? 50;
  const pageSize = options.pageSize ?? 1000;
  const flushMs = options.flushMs ?? 20;
  const queue: Array<Slot<T>> = [];
  let head = 0;
  let pageStart = 0;
  let loading: Promise<void> | null = null;

  const loadPage = async (): Promise<void> => {
    const page = feed.slice(pageStart, pageStart + pageSize);
    pageStart += page.length;
    feed.consumedUpTo(pageStart);
    const states = await journal.states(broadcastId, page.map((i) => i.e164));
    page.forEach((item, i) => {
      const state = states[i];
      if (state) hooks.skip(item, state);
      else queue.push({ item });
    });
  };

  const take = async (): Promise<Slot<T> | undefined> => {
    while (head >= queue.length && (pageStart < feed.length || !feed.done)) {
      if (pageStart < feed.length) {
        loading ??= loadPage().finally(() => (loading = null));
        await loading;
      } else {
        await feed.more();
      }
    }
    if (head >= queue.length) return undefined;
    const slot = queue[head];
    queue[head++] = undefined as unknown as Slot<T>; // release as we go
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    if (!slot.marked) {
      // Mark this recipient and the next few still waiting, in one write.
      const group = [slot, ...queue.slice(head, head + batch - 1).filter((s) => !s.marked)];
      const marked = journal.markSending(broadcastId, group.map((s) => s.item.e164));
      for (const s of group) s.marked = marked;
    }
    return slot;
  };

  // Outcomes are written in batches, at most flushMs after the send finished.
  let accepted: string[] = [];
  let released: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writes: Promise<unknown> = Promise.resolve();
  const flush = (): Promise<unknown> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const a = accepted;
    const r = released;
    accepted = [];
    released = [];
    if (a.length === 0 && r.length === 0) return writes;
    writes = writes.then(async () => {
      if (a.length) await journal.markAccepted(broadcastId, a);
      if (r.length) await journal.clearSending(broadcastId, r);
    });
    return writes;
  };
  const noteOutcome = (e164: string, keep: boolean): void => {
    (keep ? accepted : released).push(e164);
    if (accepted.length + released.length >= batch) void flush();
    else timer ??= setTimeout(() => void flush(), flushMs);
  };

  const worker = async (): Promise<void> => {
    for (let slot = await take(); slot; slot = await take()) {
      const claimed = await slot.marked;
      if (!claimed?.has(slot.item.e164)) {
        // Another run of the same broadcast holds this number right now: it is theirs to send.
        hooks.skip(slot.item, 'sending');
        continue;
      }
      const keep = await hooks.send(slot.item);
      noteOutcome(slot.item.e164, keep);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await flush();
}
