import { Fifo } from './fifo';
import type { SenderLane } from './types';

/** What a held part needs to say: its sender's lane, and whether its caller withdrew it meanwhile. */
export interface HeldPart {
  lane: SenderLane | undefined;
  cancelled: boolean;
}

/**
 * Parts whose sender was out of its own TPS (TPS per Sender ID) when their turn in the send window
 * came, per sender in order. They wait here while other senders' parts are written, and go first
 * once their sender may send again, so a slow sender neither bursts later nor holds up the others.
 */
export class SenderHeldParts<P extends HeldPart> {
  private readonly bySender = new Map<SenderLane, Fifo<P>>();
  private count = 0;

  /** Parts held (those withdrawn meanwhile included until their turn). */
  get size(): number {
    return this.count;
  }

  /** True when `lane` has parts held: its next parts must queue behind them. */
  holds(lane: SenderLane): boolean {
    return this.bySender.has(lane);
  }

  hold(part: P): void {
    const lane = part.lane as SenderLane;
    let parts = this.bySender.get(lane);
    if (!parts) this.bySender.set(lane, (parts = new Fifo<P>()));
    parts.push(part);
    this.count++;
  }

  /** The first held part whose sender may send now (senders in the order they were first held). */
  takeReady(): P | undefined {
    for (const [lane, parts] of this.bySender) {
      let head = parts.peek();
      while (head?.cancelled) {
        parts.shift();
        this.count--;
        head = parts.peek();
      }
      if (!head) {
        this.bySender.delete(lane);
        continue;
      }
      if (lane.waitMs() > 0) continue;
      parts.shift();
      this.count--;
      if (parts.length === 0) this.bySender.delete(lane);
      return head;
    }
    return undefined;
  }

  /**
   * Puts parts back before the held parts of their sender (a part taken from here, or in flight on
   * a link that dropped), in order; returns those whose sender has none held, for the queue.
   */
  putFirst(parts: P[]): P[] {
    const rest: P[] = [];
    const first = new Map<SenderLane, P[]>();
    for (const part of parts) {
      if (!part.lane || !this.bySender.has(part.lane)) {
        rest.push(part);
        continue;
      }
      const list = first.get(part.lane);
      if (list) list.push(part);
      else first.set(part.lane, [part]);
    }
    for (const [lane, list] of first) {
      (this.bySender.get(lane) as Fifo<P>).unshiftAll(list);
      this.count += list.length;
    }
    return rest;
  }

  /** Ms until the first held sender may send again (Infinity when none is held). */
  nextReadyInMs(): number {
    let ms = Infinity;
    for (const lane of this.bySender.keys()) ms = Math.min(ms, lane.waitMs());
    return ms;
  }

  *values(): IterableIterator<P> {
    for (const parts of this.bySender.values()) yield* parts.values();
  }

  drain(): P[] {
    const all = [...this.values()];
    this.bySender.clear();
    this.count = 0;
    return all;
  }
}
