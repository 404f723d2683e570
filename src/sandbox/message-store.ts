import type { StoredMessage } from './types';

/** Messages the sandbox received (MT) or injected (MO), newest last, capped in size. */
export class MessageStore {
  private messages: StoredMessage[] = [];
  private readonly byId = new Map<string, StoredMessage>();
  /** Accepted submits per (destination, exact content): a count above 1 is a duplicate. Kept in 'count' mode too. */
  readonly perDestination = new Map<string, number>();
  acceptTimes: number[] = [];
  /** Arrival of every submit_sm (accepted or not), in ms since the epoch with sub-ms precision: what a carrier's TPS meter counts. */
  submitTimes: number[] = [];

  constructor(private readonly max: number) {}

  add(message: StoredMessage): void {
    this.messages.push(message);
    this.byId.set(message.id, message);
    if (this.messages.length > this.max) {
      const removed = this.messages.splice(0, this.messages.length - this.max);
      for (const m of removed) this.byId.delete(m.id);
    }
  }

  countDestination(key: string, at: number): void {
    this.perDestination.set(key, (this.perDestination.get(key) ?? 0) + 1);
    this.acceptTimes.push(at);
  }

  get(id: string): StoredMessage | undefined {
    return this.byId.get(id);
  }

  list(filter: { to?: string; from?: string; direction?: 'mt' | 'mo'; since?: number } = {}): StoredMessage[] {
    return this.messages.filter(
      (m) =>
        (!filter.to || m.to === filter.to || m.to === filter.to.replace(/^\+/, '')) &&
        (!filter.from || m.from === filter.from || m.from === filter.from.replace(/^\+/, '')) &&
        (!filter.direction || m.direction === filter.direction) &&
        (!filter.since || m.receivedAt >= filter.since),
    );
  }

  clear(): void {
    this.messages = [];
    this.byId.clear();
    this.perDestination.clear();
    this.acceptTimes = [];
    this.submitTimes = [];
  }

  /** Highest number of accepted submits in any sliding window of windowMs. */
  maxInWindow(windowMs = 1000): number {
    return busiestWindow(this.acceptTimes, windowMs);
  }

  /** Highest number of submits (accepted or not) that arrived within any sliding window of windowMs. */
  maxSubmitsInWindow(windowMs = 1000): number {
    return busiestWindow(
      [...this.submitTimes].sort((a, b) => a - b),
      windowMs,
    );
  }

  /** Distinct destinations that got anything. */
  uniqueDestinations(): number {
    const seen = new Set<string>();
    for (const key of this.perDestination.keys()) seen.add(key.slice(0, key.indexOf('|')));
    return seen.size;
  }

  duplicates(): { destinations: number; extraCopies: number } {
    let destinations = 0;
    let extraCopies = 0;
    for (const n of this.perDestination.values()) {
      if (n > 1) {
        destinations++;
        extraCopies += n - 1;
      }
    }
    return { destinations, extraCopies };
  }
}

/** Most times (ascending) that fit in any half-open window [a, a + windowMs). */
export function busiestWindow(t: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < t.length; end++) {
    while (t[end] - t[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
