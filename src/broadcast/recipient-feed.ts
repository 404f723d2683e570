import { genericArray } from './generic-array';

/**
 * Recipients handed over while they are still being validated: sending starts with the first
 * validated batch instead of after the whole list (the first alert leaves in milliseconds, and
 * validation and sending overlap).
 */
export class RecipientFeed<T> {
  /** Items not yet taken by the sender; `offset` is the absolute index of items[0]. */
  private items: T[] = genericArray();
  private offset = 0;
  private complete = false;
  private failure: Error | null = null;
  private waiters: Array<() => void> = genericArray();
  private consumed = 0;
  private roomWaiters: Array<() => void> = genericArray();
  private abortedValue = false;

  /** The producer waits here while it is more than `maxAhead` items ahead of the sender (a stalled carrier stops validation too). */
  async room(maxAhead: number): Promise<void> {
    while (!this.abortedValue && this.length - this.consumed >= maxAhead) {
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
  /** The sender took everything before `index`: drop it, so memory stays flat. */
  consumedUpTo(index: number): void {
    this.consumed = index;
    if (index - this.offset >= 10_000) {
      this.items = this.items.slice(index - this.offset);
      this.offset = index;
    }
    const waiters = this.roomWaiters;
    this.roomWaiters = genericArray();
    for (const w of waiters) w();
  }

  push(batch: T[]): void {
    for (let i = 0; i < batch.length; i++) this.items.push(batch[i]);
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
  /** The sender stopped for good: the producer should stop too (room() no longer waits). */
  abort(): void {
    this.abortedValue = true;
    const waiters = this.roomWaiters;
    this.roomWaiters = genericArray();
    for (const w of waiters) w();
  }
  get aborted(): boolean {
    return this.abortedValue;
  }
  /** Resolves when more items arrived or the feed ended; rejects if the producer failed. */
  async more(): Promise<void> {
    if (!this.complete) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
  }
  private wake(): void {
    const waiters = this.waiters;
    this.waiters = genericArray();
    for (const w of waiters) w();
  }
}
