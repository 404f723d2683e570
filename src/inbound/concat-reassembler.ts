import type { InboundPart } from './inbound-part';
import { mergeInboundTlvs } from '../tlv/inbound-tlv';
import type { InboundTlv } from '../tlv/inbound-tlv';

/** A whole message, or what arrived of one whose parts did not all come. */
export interface AssembledMessage {
  from: string;
  to: string;
  text: string;
  encoding: string;
  parts: number;
  /** When the last part arrived. */
  receivedAt: Date;
  scope: string;
  incomplete?: { totalParts: number; missingParts: number[] };
  /** Server mode: the parts' message ids in part order, and whether any part asked for a receipt. */
  submitted?: { messageIds: string[]; receiptRequested: boolean };
  /** TLVs of the parts, in part order, each tag and value once. */
  tlvs?: InboundTlv[];
}

export interface ReassemblerOptions {
  /** How long after its first part a group may wait for the rest (default 60 s). */
  timeoutMs?: number;
  /** Groups waiting at most; beyond it the oldest is given up as incomplete (default 1000). */
  maxPendingGroups?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
  /** Receives groups given up (timeout or eviction), marked incomplete. */
  onIncomplete: (message: AssembledMessage) => void;
}

interface PendingGroup {
  total: number;
  firstAt: number;
  parts: Map<number, InboundPart>;
}

function joinParts(parts: InboundPart[], scope: string, incomplete?: AssembledMessage['incomplete']): AssembledMessage {
  const encodings = new Set(parts.map((p) => p.encoding));
  const last = parts.reduce((a, b) => (b.receivedAt > a.receivedAt ? b : a));
  const message: AssembledMessage = {
    from: parts[0].from,
    to: parts[0].to,
    text: parts.map((p) => p.text).join(''),
    encoding: encodings.size === 1 ? parts[0].encoding : 'mixed',
    parts: parts.length,
    receivedAt: last.receivedAt,
    scope,
  };
  if (incomplete) message.incomplete = incomplete;
  const submitted = parts.filter((p) => p.submitted);
  if (parts.some((p) => p.tlvs)) message.tlvs = parts.length === 1 ? parts[0].tlvs : mergeInboundTlvs(parts.map((p) => p.tlvs));
  if (submitted.length > 0) message.submitted = { messageIds: submitted.map((p) => p.submitted!.messageId), receiptRequested: submitted.some((p) => p.submitted!.receiptRequested) };
  return message;
}

/**
 * Joins the parts of concatenated messages (UDH 8/16-bit or SAR), keyed by source,
 * destination, reference and part count. Memory is bounded: a group waits at most timeoutMs
 * after its first part, and at most maxPendingGroups wait at once; a group given up is handed
 * to onIncomplete with the parts that did arrive, never dropped silently.
 */
export class ConcatReassembler {
  private readonly groups = new Map<string, PendingGroup>();
  private readonly timeoutMs: number;
  private readonly maxPendingGroups: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private stopped = false;

  constructor(private readonly options: ReassemblerOptions) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxPendingGroups = options.maxPendingGroups ?? 1000;
    this.now = options.now ?? Date.now;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be more than 0 (got ${options.timeoutMs})`);
    if (!Number.isInteger(this.maxPendingGroups) || this.maxPendingGroups < 1) {
      throw new RangeError(`maxPendingGroups must be a whole number of at least 1 (got ${options.maxPendingGroups})`);
    }
  }

  get pendingGroups(): number {
    return this.groups.size;
  }

  /** Returns the whole message when this part completes it (or is not a part at all); null while parts are missing. */
  add(part: InboundPart): AssembledMessage | null {
    const concat = part.concat;
    if (!concat) return joinParts([part], part.scope);
    const key = [part.scope, part.from, part.to, concat.ref, concat.total].join('\u0000');
    let group = this.groups.get(key);
    if (!group) {
      this.evictForRoom();
      group = { total: concat.total, firstAt: this.now(), parts: new Map() };
      this.groups.set(key, group);
      this.schedule();
    }
    // A redelivered part (same sequence number) keeps the copy we already have.
    if (!group.parts.has(concat.seq)) group.parts.set(concat.seq, part);
    if (group.parts.size < group.total) return null;
    this.groups.delete(key);
    const ordered = [...group.parts.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    return joinParts(ordered, part.scope);
  }

  /** Gives up every group whose time ran out; called by the internal timer, and by tests with an injected clock. */
  expire(): void {
    const now = this.now();
    for (const [key, group] of this.groups) {
      // Map order is arrival order of first parts, so the first group still in time ends the scan.
      if (group.firstAt + this.timeoutMs > now) break;
      this.giveUp(key, group);
    }
    this.schedule();
  }

  /** Stops the timer and returns the groups still waiting, as incomplete messages. */
  drain(): AssembledMessage[] {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const left = [...this.groups.values()].map((g) => this.incompleteOf(g));
    this.groups.clear();
    return left;
  }

  private evictForRoom(): void {
    while (this.groups.size >= this.maxPendingGroups) {
      const [key, group] = this.groups.entries().next().value as [string, PendingGroup];
      this.giveUp(key, group);
    }
  }

  private giveUp(key: string, group: PendingGroup): void {
    this.groups.delete(key);
    this.options.onIncomplete(this.incompleteOf(group));
  }

  private incompleteOf(group: PendingGroup): AssembledMessage {
    const ordered = [...group.parts.entries()].sort((a, b) => a[0] - b[0]);
    const missing: number[] = [];
    for (let seq = 1; seq <= group.total; seq++) if (!group.parts.has(seq)) missing.push(seq);
    return joinParts(ordered.map((e) => e[1]), ordered[0][1].scope, { totalParts: group.total, missingParts: missing });
  }

  private schedule(): void {
    if (this.stopped) return;
    const first = this.groups.values().next().value as PendingGroup | undefined;
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
