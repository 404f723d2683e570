/**
 * Joins the parts of a long inbound SMS (UDH concat, 8- or 16-bit reference) into one text.
 * Parts are grouped by sender + reference + total; a duplicate part replaces the earlier copy.
 * A group that stays incomplete longer than `timeoutMs` is handed out by expire() as it is.
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

interface Group<T> {
  from: string;
  total: number;
  parts: Map<number, ConcatPart<T>>;
  firstSeenAt: number;
}

export class ConcatAssembler<T> {
  private readonly groups = new Map<string, Group<T>>();

  constructor(private readonly timeoutMs: number, private readonly now: () => number = Date.now) {}

  /** Adds a part; returns the whole message when this part completes it (or it had no concat). */
  add(part: ConcatPart<T>): AssembledMessage<T> | null {
    const concat = part.decoded.concat;
    if (!concat || concat.total <= 1) {
      return { from: part.from, text: part.decoded.text, parts: [part], totalParts: 1, complete: true };
    }
    const key = `${part.from}|${concat.refBits}|${concat.ref}|${concat.total}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { from: part.from, total: concat.total, parts: new Map(), firstSeenAt: this.now() };
      this.groups.set(key, group);
    }
    group.parts.set(concat.seq, part);
    if (group.parts.size < group.total) return null;
    this.groups.delete(key);
    return this.assemble(group, true);
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

  /** True when a part with this token is waiting for the rest of its message. */
  holds(predicate: (token: T) => boolean): boolean {
    for (const group of this.groups.values()) {
      for (const part of group.parts.values()) if (predicate(part.token)) return true;
    }
    return false;
  }

  get pendingGroups(): number {
    return this.groups.size;
  }

  private assemble(group: Group<T>, complete: boolean): AssembledMessage<T> {
    const parts = [...group.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
    return { from: group.from, text: parts.map((p) => p.decoded.text).join(''), parts, totalParts: group.total, complete };
  }
}
