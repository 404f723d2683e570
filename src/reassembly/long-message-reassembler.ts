/**
 * Joins the parts of long messages (UDH 8/16-bit reference or SAR) for every way parts come in:
 * the SMS Trigger's pipeline (SMPP and modem parts) and the GSM modem's own reader (which keeps
 * parts on the SIM until their message is whole). It knows nothing of either: a part is an opaque
 * `P`, and `read` says whose message it belongs to, its concat header and its text.
 *
 * The guarantees, whatever the sender does:
 * - parts join only with parts of the same sender, reference width (8, 16 or SAR), reference and
 *   total; a part numbered outside 1..total is a message on its own;
 * - a part delivered twice (same number, same text: its acknowledgement was lost) counts once, and
 *   the first copy is kept;
 * - a sender that reuses a reference while parts of its older message still wait (a part with a
 *   number already held, with another text) starts a new message; the older one waits apart
 *   until it is given up, so no text is ever mixed from two messages;
 * - memory is bounded: a message waits at most timeoutMs after its first part, and at most
 *   maxPendingGroups wait at once (the oldest is given up to make room);
 * - a message given up (timeout, eviction) goes to onIncomplete with the parts that did arrive
 *   and the numbers that did not; none is dropped without a word.
 */
import type { ConcatInfo } from '../encoding';

/** What the reassembler reads of a part. */
export interface PartReading {
  /** Whose message it is: parts with different senders never join (e.g. application, source and destination). */
  sender: string;
  /** The concat header; none (or a total of 1) for a message sent in one part. */
  concat?: ConcatInfo;
  /** The part's text: a second copy of a part has the same. */
  text: string;
}

/** A whole message, or what arrived of one that was given up. */
export interface AssembledMessage<P> {
  /** The parts that arrived, in order of their number; one for a message sent in one part. */
  parts: P[];
  /** Their texts, joined in that order. */
  text: string;
  /** How many parts the message has (1 when it was sent in one). */
  totalParts: number;
  /** The numbers of the parts that never arrived; empty when the message is whole. */
  missingParts: number[];
}

/** What became of an offered part. */
export type PartOutcome<P> =
  | { kind: 'complete'; message: AssembledMessage<P> }
  | { kind: 'held' }
  /** The same part again: `existing` is the copy that is kept. */
  | { kind: 'duplicate'; existing: P };

export interface ReassemblerOptions<P> {
  read: (part: P) => PartReading;
  /** How long after its first part a message may wait for the rest (default 60 s). */
  timeoutMs?: number;
  /** Messages waiting at most; beyond it the oldest is given up (default 1000). */
  maxPendingGroups?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
  /** Receives each message given up (timeout or eviction), with its missing parts. */
  onIncomplete: (message: AssembledMessage<P>) => void;
  /**
   * false: no timer of its own; the owner calls expire() (the modem does, in its queue of inbound
   * work, so handing out a message and deleting its parts stay in order with reading the SIM).
   */
  ownTimer?: boolean;
}

interface Group<P> {
  key: string;
  total: number;
  firstAt: number;
  parts: Map<number, { part: P; text: string }>;
}

/** Whether a header makes a part one of several; anything else is a message on its own. */
function partOfSeveral(concat: ConcatInfo | undefined): concat is ConcatInfo {
  return concat !== undefined && concat.total > 1 && concat.seq >= 1 && concat.seq <= concat.total;
}

export class LongMessageReassembler<P> {
  /** Every waiting message, in order of arrival of its first part (retired ones included). */
  private readonly waiting = new Set<Group<P>>();
  /** The message that takes new parts, per sender, reference and total. */
  private readonly current = new Map<string, Group<P>>();
  private readonly timeoutMs: number;
  private readonly maxPendingGroups: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private stopped: boolean;

  constructor(private readonly options: ReassemblerOptions<P>) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxPendingGroups = options.maxPendingGroups ?? 1000;
    this.now = options.now ?? Date.now;
    this.stopped = options.ownTimer === false;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be more than 0 (got ${options.timeoutMs})`);
    if (!Number.isInteger(this.maxPendingGroups) || this.maxPendingGroups < 1) {
      throw new RangeError(`maxPendingGroups must be a whole number of at least 1 (got ${options.maxPendingGroups})`);
    }
  }

  /** Messages waiting for parts. */
  get pendingGroups(): number {
    return this.waiting.size;
  }

  /** Adds a part; returns the whole message when this part completes it (or is a message on its own), else null. */
  add(part: P): AssembledMessage<P> | null {
    const outcome = this.offer(part);
    return outcome.kind === 'complete' ? outcome.message : null;
  }

  /** Adds a part and says what became of it. */
  offer(part: P): PartOutcome<P> {
    const reading = this.options.read(part);
    const concat = reading.concat;
    if (!partOfSeveral(concat)) return { kind: 'complete', message: { parts: [part], text: reading.text, totalParts: 1, missingParts: [] } };
    const key = [reading.sender, concat.refBits, concat.ref, concat.total].join('\u0000');
    let group = this.current.get(key);
    const held = group?.parts.get(concat.seq);
    if (held && held.text === reading.text) return { kind: 'duplicate', existing: held.part };
    if (held) {
      // The reference was reused for a new message: the old one waits apart until it is given up.
      this.current.delete(key);
      group = undefined;
    }
    if (!group) {
      this.evictForRoom();
      group = { key, total: concat.total, firstAt: this.now(), parts: new Map() };
      this.waiting.add(group);
      this.current.set(key, group);
      this.schedule();
    }
    group.parts.set(concat.seq, { part, text: reading.text });
    if (group.parts.size < group.total) return { kind: 'held' };
    this.forget(group);
    return { kind: 'complete', message: this.assemble(group) };
  }

  /** The kept copy when this part is one already held (without adding it). */
  duplicateOf(part: P): P | undefined {
    const reading = this.options.read(part);
    const concat = reading.concat;
    if (!partOfSeveral(concat)) return undefined;
    const held = this.current.get([reading.sender, concat.refBits, concat.ref, concat.total].join('\u0000'))?.parts.get(concat.seq);
    return held && held.text === reading.text ? held.part : undefined;
  }

  /** The first waiting part that matches, if any. */
  find(predicate: (part: P) => boolean): P | undefined {
    for (const group of this.waiting) {
      for (const held of group.parts.values()) if (predicate(held.part)) return held.part;
    }
    return undefined;
  }

  /** Gives up (to onIncomplete) every message whose time ran out; the timer calls it, and owners without one. */
  expire(): void {
    const now = this.now();
    for (const group of [...this.waiting]) if (group.firstAt + this.timeoutMs <= now) this.giveUp(group);
    this.schedule();
  }

  /** Stops the timer and returns the messages still waiting, as incomplete ones. */
  drain(): AssembledMessage<P>[] {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const left = [...this.waiting].map((group) => this.assemble(group));
    this.waiting.clear();
    this.current.clear();
    return left;
  }

  private evictForRoom(): void {
    while (this.waiting.size >= this.maxPendingGroups) {
      const [oldest] = this.waiting;
      this.giveUp(oldest);
    }
  }

  private giveUp(group: Group<P>): void {
    this.forget(group);
    this.options.onIncomplete(this.assemble(group));
  }

  private forget(group: Group<P>): void {
    this.waiting.delete(group);
    if (this.current.get(group.key) === group) this.current.delete(group.key);
  }

  private assemble(group: Group<P>): AssembledMessage<P> {
    const ordered = [...group.parts.entries()].sort((a, b) => a[0] - b[0]);
    const missingParts: number[] = [];
    for (let seq = 1; seq <= group.total; seq++) if (!group.parts.has(seq)) missingParts.push(seq);
    return { parts: ordered.map(([, held]) => held.part), text: ordered.map(([, held]) => held.text).join(''), totalParts: group.total, missingParts };
  }

  private schedule(): void {
    if (this.stopped) return;
    const [first] = this.waiting;
    if (!first) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      return;
    }
    const dueAt = first.firstAt + this.timeoutMs;
    if (this.timer && this.timerDueAt === dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.expire();
    }, Math.max(1, dueAt - this.now()));
    this.timer.unref();
  }
}
