/**
 * Joins the parts of a long inbound SMS (UDH concat, 8- or 16-bit reference) into one text.
 * Parts are grouped by sender + reference + total. The network delivers a part twice when its
 * acknowledgement was lost: the second copy (same number, same text) is a duplicate, reported
 * as such so its owner can drop it. A sender's phone reuses references (there are only 256): a
 * part whose number is already held with another text starts a new message, and the older one
 * keeps waiting for its own parts until it expires. A group that stays incomplete longer than
 * `timeoutMs` is handed out by expire() as it is.
 * Knows nothing of modems: each part carries an opaque `token` (for the modem, its SIM slot).
 */
import type { DecodedMessage } from '../../encoding';

export interface ConcatPart<T> {
  from: string;
  decoded: DecodedMessage;
  token: T;
}

export interface AssembledMessage<T> {
  from: string;
  text: string;
  /** Parts in order of their sequence number (missing ones skipped). */
  parts: ConcatPart<T>[];
  totalParts: number;
  complete: boolean;
}

/** What became of an offered part. */
export type ConcatOutcome<T> =
  | { kind: 'complete'; message: AssembledMessage<T> }
  | { kind: 'held' }
  /** The same part again: `existing` is the copy that is kept. */
  | { kind: 'duplicate'; existing: ConcatPart<T> };

interface Group<T> {
  from: string;
  total: number;
  parts: Map<number, ConcatPart<T>>;
  firstSeenAt: number;
}

export class ConcatAssembler<T> {
  private readonly groups = new Map<string, Group<T>>();
  private retired = 0;

  constructor(private readonly timeoutMs: number, private readonly now: () => number = Date.now) {}

  /** Adds a part; returns the whole message when this part completes it (or it had no concat). */
  add(part: ConcatPart<T>): AssembledMessage<T> | null {
    const outcome = this.offer(part);
    return outcome.kind === 'complete' ? outcome.message : null;
  }

  /** Adds a part and says what became of it (see ConcatOutcome). */
  offer(part: ConcatPart<T>): ConcatOutcome<T> {
    const concat = part.decoded.concat;
    if (!concat || concat.total <= 1) {
      return { kind: 'complete', message: { from: part.from, text: part.decoded.text, parts: [part], totalParts: 1, complete: true } };
    }
    const key = `${part.from}|${concat.refBits}|${concat.ref}|${concat.total}`;
    let group = this.groups.get(key);
    const held = group?.parts.get(concat.seq);
    if (held && held.decoded.text === part.decoded.text) return { kind: 'duplicate', existing: held };
    if (group && held) {
      // The reference was reused for a new message: the old one waits apart until it expires.
      this.groups.set(`${key}|retired ${++this.retired}`, group);
      group = undefined;
    }
    if (!group) {
      group = { from: part.from, total: concat.total, parts: new Map(), firstSeenAt: this.now() };
      this.groups.set(key, group);
    }
    group.parts.set(concat.seq, part);
    if (group.parts.size < group.total) return { kind: 'held' };
    this.groups.delete(key);
    return { kind: 'complete', message: this.assemble(group, true) };
  }

  /** The held copy of this part when it is one the assembler already has (without adding it). */
  duplicateOf(part: ConcatPart<T>): ConcatPart<T> | undefined {
    const concat = part.decoded.concat;
    if (!concat || concat.total <= 1) return undefined;
    const held = this.groups.get(`${part.from}|${concat.refBits}|${concat.ref}|${concat.total}`)?.parts.get(concat.seq);
    return held && held.decoded.text === part.decoded.text ? held : undefined;
  }

  /** Takes out the groups waiting longer than the timeout, as incomplete messages. */
  expire(): AssembledMessage<T>[] {
    const cutoff = this.now() - this.timeoutMs;
    const expired: AssembledMessage<T>[] = [];
    for (const [key, group] of this.groups) {
      if (group.firstSeenAt > cutoff) continue;
      this.groups.delete(key);
      expired.push(this.assemble(group, false));
    }
    return expired;
  }

  /** The waiting part whose token matches, if any. */
  find(predicate: (token: T) => boolean): ConcatPart<T> | undefined {
    for (const group of this.groups.values()) {
      for (const part of group.parts.values()) if (predicate(part.token)) return part;
    }
    return undefined;
  }

  /** True when a part with this token is waiting for the rest of its message. */
  holds(predicate: (token: T) => boolean): boolean {
    return this.find(predicate) !== undefined;
  }

  get pendingGroups(): number {
    return this.groups.size;
  }

  private assemble(group: Group<T>, complete: boolean): AssembledMessage<T> {
    const parts = [...group.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
    return { from: group.from, text: parts.map((p) => p.decoded.text).join(''), parts, totalParts: group.total, complete };
  }
}
