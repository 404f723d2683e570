import type { StoredMessage } from './types';

/** setTimeout's longest delay (~24.8 days): a later time is reached in several waits. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Held {
  message: StoredMessage;
  /** The sandbox's number of the message (receipts write its id from it). */
  n: number;
  dueAt: number;
  timer: NodeJS.Timeout;
}

/**
 * Messages submitted with a schedule_delivery_time still in the future: accepted (they have an ID
 * and can be queried, replaced or cancelled) but not on the phone until their time, when `release`
 * hands them over. A cancelled one is dropped and never released.
 */
export class ScheduledMessages {
  private readonly held = new Map<string, Held>();

  constructor(private readonly release: (message: StoredMessage, n: number) => void) {}

  hold(message: StoredMessage, n: number, dueAt: number): void {
    this.held.set(message.id, { message, n, dueAt, timer: this.arm(message.id, dueAt) });
  }

  get(id: string): StoredMessage | undefined {
    return this.held.get(id)?.message;
  }

  /** Held messages matching a predicate (cancel_sm by source and destination). */
  find(match: (message: StoredMessage) => boolean): StoredMessage[] {
    return [...this.held.values()].map((h) => h.message).filter(match);
  }

  list(): Array<StoredMessage & { scheduledFor: number }> {
    return [...this.held.values()].map((h) => ({ ...h.message, scheduledFor: h.dueAt }));
  }

  /** Removes a held message; false when it is not held (released already, cancelled, unknown). */
  drop(id: string): boolean {
    const held = this.held.get(id);
    if (!held) return false;
    clearTimeout(held.timer);
    this.held.delete(id);
    return true;
  }

  /** A new delivery time for a held message (replace_sm with a schedule_delivery_time). */
  reschedule(id: string, dueAt: number): void {
    const held = this.held.get(id);
    if (!held) return;
    clearTimeout(held.timer);
    held.dueAt = dueAt;
    held.timer = this.arm(id, dueAt);
  }

  get size(): number {
    return this.held.size;
  }

  clear(): void {
    for (const h of this.held.values()) clearTimeout(h.timer);
    this.held.clear();
  }

  private arm(id: string, dueAt: number): NodeJS.Timeout {
    const wait = Math.max(0, dueAt - Date.now());
    const timer = setTimeout(
      () => {
        const held = this.held.get(id);
        if (!held || held.timer !== timer) return;
        if (held.dueAt > Date.now()) {
          held.timer = this.arm(id, held.dueAt);
          return;
        }
        this.held.delete(id);
        this.release(held.message, held.n);
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    timer.unref();
    return timer;
  }
}
