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
 *   the first copy is kept; so does a copy that comes after its message was completed (for
 *   timeoutMs, at most maxRecentParts remembered);
 * - a sender that reuses a reference while parts of its older message still wait (a part with a
 *   number already held, with another text) makes that reference ambiguous: nobody can tell which
 *   message a later part belongs to, so nothing of it is joined. Every part that comes for it until
 *   the first part's timeout is handed out on its own, marked incomplete and ambiguous: no text is
 *   ever mixed from two messages, and none is lost;
 * - memory is bounded: a message waits at most timeoutMs after its first part; at most
 *   maxPendingGroups wait at once, at most maxPendingPerSender of one sender, and the waiting
 *   texts hold at most maxPendingChars characters (maxPendingCharsPerSender of one sender). Beyond
 *   a bound the oldest (of that sender, for a sender's bound) is given up, so one sender's flood
 *   pushes out only its own messages;
 * - a message given up (timeout, eviction, ambiguity) goes to onIncomplete with the parts that did
 *   arrive and the numbers that did not; none is dropped without a word.
 */
import { createHash } from 'node:crypto';
import type { ConcatInfo } from '../encoding';

/** What the reassembler reads of a part. */
export interface PartReading {
  /** Whose message it is: parts with different senders never join (e.g. application, source and destination). */
  sender: string;
  /** The concat header; none (or a total of 1) for a message sent in one part. */
  concat?: ConcatInfo;
  /** The part's text: a second copy of a part has the same. */
  text: string;
  /** GSM-7: the part ends in an escape meant for the next part's first character. */
  endsInEscape?: boolean;
  /** GSM-7: the part's text when the part before ended in an escape. */
  textAfterEscape?: string;
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
  /** Set when the sender reused the reference while this message's parts arrived: this is one part, handed out alone. */
  ambiguous?: true;
}

/** What became of an offered part. */
export type PartOutcome<P> =
  | { kind: 'complete'; message: AssembledMessage<P> }
  /** Taken: it waits for the rest, or went out (to onIncomplete) with a message given up. */
  | { kind: 'held' }
  /** The same part again: `existing` is the copy that is kept. */
  | { kind: 'duplicate'; existing: P }
  /** A copy of a part of a message completed within timeoutMs: nothing to do. */
  | { kind: 'repeat' };

export interface ReassemblerOptions<P> {
  read: (part: P) => PartReading;
  /** How long after its first part a message may wait for the rest (default 60 s). */
  timeoutMs?: number;
  /** Messages waiting at most; beyond it the oldest is given up (default 1000). */
  maxPendingGroups?: number;
  /** Messages of one sender waiting at most; beyond it that sender's oldest is given up (default 100). */
  maxPendingPerSender?: number;
  /** Characters of text held at most (default 10,000,000: about 20 MB). */
  maxPendingChars?: number;
  /** Characters of text held for one sender at most (default 1,000,000). */
  maxPendingCharsPerSender?: number;
  /** Parts of completed messages remembered to recognise late copies (default 10,000). */
  maxRecentParts?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
  /**
   * Asked for a message whose time ran out: true keeps it waiting another timeoutMs (the modem: a
   * part the SMS Trigger has not delivered yet stays on the SIM). Eviction for room never asks.
   */
  keepWaiting?: (parts: P[]) => boolean;
  /** Receives each message given up (timeout, eviction or ambiguity), with its missing parts. */
  onIncomplete: (message: AssembledMessage<P>) => void;
  /**
   * false: no timer of its own; the owner calls expire() (the modem does, in its queue of inbound
   * work, so handing out a message and deleting its parts stay in order with reading the SIM).
   */
  ownTimer?: boolean;
}

interface HeldPart<P> {
  seq: number;
  part: P;
  text: string;
  endsInEscape?: boolean;
  textAfterEscape?: string;
}

interface Group<P> {
  key: string;
  sender: string;
  total: number;
  firstAt: number;
  parts: Map<number, HeldPart<P>>;
  /** Every part held, in order of arrival (for an ambiguous group, more than one per number). */
  arrivals: HeldPart<P>[];
  /** Set once a part came with a number already held and another text. */
  ambiguous: boolean;
  chars: number;
}

interface SenderLoad<P> {
  groups: Set<Group<P>>;
  chars: number;
}

/** Whether a header makes a part one of several; anything else is a message on its own. */
function partOfSeveral(concat: ConcatInfo | undefined): concat is ConcatInfo {
  return concat !== undefined && concat.total > 1 && concat.seq >= 1 && concat.seq <= concat.total;
}

const groupKey = (sender: string, concat: ConcatInfo): string => [sender, concat.refBits, concat.ref, concat.total].join('\u0000');
const partKey = (key: string, seq: number, text: string): string => `${key}\u0000${seq}\u0000${createHash('sha256').update(text).digest('base64')}`;

function wholeNumberAtLeast1(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1 (got ${value})`);
  return value;
}

export class LongMessageReassembler<P> {
  /** Every waiting message, in order of arrival of its first part. */
  private readonly waiting = new Set<Group<P>>();
  /** The message that takes new parts, per sender, reference and total. */
  private readonly current = new Map<string, Group<P>>();
  private readonly senders = new Map<string, SenderLoad<P>>();
  /** Parts of completed messages (key, number, text hash) and until when they count as repeats. */
  private readonly recent = new Map<string, number>();
  private heldChars = 0;
  private readonly timeoutMs: number;
  private readonly maxPendingGroups: number;
  private readonly maxPendingPerSender: number;
  private readonly maxPendingChars: number;
  private readonly maxPendingCharsPerSender: number;
  private readonly maxRecentParts: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private stopped: boolean;

  constructor(private readonly options: ReassemblerOptions<P>) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxPendingGroups = wholeNumberAtLeast1('maxPendingGroups', options.maxPendingGroups ?? 1000);
    this.maxPendingPerSender = wholeNumberAtLeast1('maxPendingPerSender', options.maxPendingPerSender ?? 100);
    this.maxPendingChars = wholeNumberAtLeast1('maxPendingChars', options.maxPendingChars ?? 10_000_000);
    this.maxPendingCharsPerSender = wholeNumberAtLeast1('maxPendingCharsPerSender', options.maxPendingCharsPerSender ?? 1_000_000);
    this.maxRecentParts = wholeNumberAtLeast1('maxRecentParts', options.maxRecentParts ?? 10_000);
    this.now = options.now ?? Date.now;
    this.stopped = options.ownTimer === false;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be more than 0 (got ${options.timeoutMs})`);
  }

  /** Messages waiting for parts. */
  get pendingGroups(): number {
    return this.waiting.size;
  }

  /** Characters of text held by waiting parts. */
  get pendingChars(): number {
    return this.heldChars;
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
    const key = groupKey(reading.sender, concat);
    const copy = this.copyOf(key, concat.seq, reading.text);
    if (copy) return { kind: 'duplicate', existing: copy.part };
    if (this.isRecent(key, concat.seq, reading.text)) return { kind: 'repeat' };
    let group = this.current.get(key);
    if (!group) {
      this.makeRoomFor(reading.sender);
      group = { key, sender: reading.sender, total: concat.total, firstAt: this.now(), parts: new Map(), arrivals: [], ambiguous: false, chars: 0 };
      this.waiting.add(group);
      this.current.set(key, group);
      this.loadOf(reading.sender).groups.add(group);
      this.schedule();
    }
    const held: HeldPart<P> = { seq: concat.seq, part, text: reading.text, endsInEscape: reading.endsInEscape, textAfterEscape: reading.textAfterEscape };
    // A number already held with another text: the reference was reused while this message
    // waits, so from now on nothing of it is joined.
    if (group.parts.has(concat.seq)) group.ambiguous = true;
    else group.parts.set(concat.seq, held);
    group.arrivals.push(held);
    this.count(group, reading.text.length);
    if (!group.ambiguous && group.parts.size === group.total) {
      this.forget(group);
      for (const [seq, p] of group.parts) this.remember(partKey(key, seq, p.text));
      return { kind: 'complete', message: this.assemble(group)[0] };
    }
    this.trimChars(group.sender);
    return { kind: 'held' };
  }

  /**
   * Takes back the parts of a message offer() completed, but that its owner could not deliver,
   * except `except` (the completing part, refused so that its sender offers it again): they wait
   * again (for a new timeout), and the copy that comes again completes the message once more.
   */
  putBack(message: AssembledMessage<P>, except: P): void {
    for (const part of message.parts) {
      const reading = this.options.read(part);
      const concat = reading.concat;
      if (!partOfSeveral(concat)) continue;
      this.recent.delete(partKey(groupKey(reading.sender, concat), concat.seq, reading.text));
      if (part !== except) this.offer(part);
    }
  }

  /** Whether offering this part would change nothing: a copy of a held part or of a part of a message completed lately. */
  isRepeat(part: P): boolean {
    const reading = this.options.read(part);
    const concat = reading.concat;
    if (!partOfSeveral(concat)) return false;
    const key = groupKey(reading.sender, concat);
    return this.copyOf(key, concat.seq, reading.text) !== undefined || this.isRecent(key, concat.seq, reading.text);
  }

  /** The kept copy when this part is one already held (without adding it). */
  duplicateOf(part: P): P | undefined {
    const reading = this.options.read(part);
    const concat = reading.concat;
    if (!partOfSeveral(concat)) return undefined;
    return this.copyOf(groupKey(reading.sender, concat), concat.seq, reading.text)?.part;
  }

  /** The first waiting part that matches, if any. */
  find(predicate: (part: P) => boolean): P | undefined {
    for (const group of this.waiting) {
      for (const held of group.arrivals) if (predicate(held.part)) return held.part;
    }
    return undefined;
  }

  /** Gives up (to onIncomplete) every message whose time ran out; the timer calls it, and owners without one. */
  expire(): void {
    const now = this.now();
    for (const group of [...this.waiting]) {
      if (group.firstAt + this.timeoutMs > now) continue;
      if (this.options.keepWaiting?.(group.arrivals.map((held) => held.part))) {
        // Waits another timeout, behind the others (the waiting set is in order of time).
        group.firstAt = now;
        this.waiting.delete(group);
        this.waiting.add(group);
      } else {
        this.giveUp(group);
      }
    }
    for (const [key, until] of this.recent) if (until <= now) this.recent.delete(key);
    this.schedule();
  }

  /** Stops the timer and returns the messages still waiting, as incomplete ones. */
  drain(): AssembledMessage<P>[] {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const left = [...this.waiting].flatMap((group) => this.assemble(group));
    this.waiting.clear();
    this.current.clear();
    this.senders.clear();
    this.recent.clear();
    this.heldChars = 0;
    return left;
  }

  private copyOf(key: string, seq: number, text: string): HeldPart<P> | undefined {
    const group = this.current.get(key);
    if (!group) return undefined;
    const held = group.parts.get(seq);
    if (held && held.text === text) return held;
    return group.ambiguous ? group.arrivals.find((p) => p.seq === seq && p.text === text) : undefined;
  }

  private isRecent(key: string, seq: number, text: string): boolean {
    if (this.recent.size === 0) return false;
    const until = this.recent.get(partKey(key, seq, text));
    return until !== undefined && until > this.now();
  }

  private remember(key: string): void {
    this.recent.delete(key);
    this.recent.set(key, this.now() + this.timeoutMs);
    while (this.recent.size > this.maxRecentParts) {
      const [oldest] = this.recent.keys();
      this.recent.delete(oldest);
    }
  }

  private loadOf(sender: string): SenderLoad<P> {
    let load = this.senders.get(sender);
    if (!load) {
      load = { groups: new Set(), chars: 0 };
      this.senders.set(sender, load);
    }
    return load;
  }

  private count(group: Group<P>, chars: number): void {
    group.chars += chars;
    this.heldChars += chars;
    this.loadOf(group.sender).chars += chars;
  }

  /** Before a new message of `sender` starts: the sender's oldest, then the oldest of all, give way. */
  private makeRoomFor(sender: string): void {
    const load = this.senders.get(sender);
    while (load && load.groups.size >= this.maxPendingPerSender) this.giveUp(load.groups.values().next().value as Group<P>);
    while (this.waiting.size >= this.maxPendingGroups) this.giveUp(this.waiting.values().next().value as Group<P>);
  }

  /** After text was added for `sender`: its oldest messages, then the oldest of all, give way until the bounds hold. */
  private trimChars(sender: string): void {
    const load = this.senders.get(sender);
    while (load && load.chars > this.maxPendingCharsPerSender && load.groups.size > 0) this.giveUp(load.groups.values().next().value as Group<P>);
    while (this.heldChars > this.maxPendingChars && this.waiting.size > 0) this.giveUp(this.waiting.values().next().value as Group<P>);
  }

  private giveUp(group: Group<P>): void {
    this.forget(group);
    for (const message of this.assemble(group)) this.options.onIncomplete(message);
  }

  private forget(group: Group<P>): void {
    if (!this.waiting.delete(group)) return;
    if (this.current.get(group.key) === group) this.current.delete(group.key);
    this.heldChars -= group.chars;
    const load = this.senders.get(group.sender);
    if (load) {
      load.groups.delete(group);
      load.chars -= group.chars;
      if (load.groups.size === 0) this.senders.delete(group.sender);
    }
  }

  /** The message of a group; for an ambiguous one, each part on its own (which message it belongs to is unknown). */
  private assemble(group: Group<P>): AssembledMessage<P>[] {
    const numbers = Array.from({ length: group.total }, (_, i) => i + 1);
    if (group.ambiguous) {
      return group.arrivals.map((held) => ({
        parts: [held.part],
        text: held.text,
        totalParts: group.total,
        missingParts: numbers.filter((n) => n !== held.seq),
        ambiguous: true,
      }));
    }
    const ordered = [...group.parts.values()].sort((a, b) => a.seq - b.seq);
    const missingParts = numbers.filter((n) => !group.parts.has(n));
    // A GSM-7 escape at the end of a part belongs to the first character of the next.
    const texts = ordered.map((held, i) => {
      const before = ordered[i - 1];
      return before?.seq === held.seq - 1 && before.endsInEscape && held.textAfterEscape !== undefined ? held.textAfterEscape : held.text;
    });
    return [{ parts: ordered.map((held) => held.part), text: texts.join(''), totalParts: group.total, missingParts }];
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
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.expire();
      },
      Math.max(1, dueAt - this.now()),
    );
    this.timer.unref();
  }
}
