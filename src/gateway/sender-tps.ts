/**
 * An optional TPS per sender ID, within the credential's cap (Jasmin issue #304): carriers and
 * regulators rate some senders (a brand, a short code) lower than the account. A part joins the
 * transport's queue at once with its sender's lane; the send window spends the sender's budget
 * when it writes the part, next to the credential's TPS token (see SubmitWindow), and sets a part
 * of a sender out of budget aside while other senders' parts go on. So however long parts wait
 * behind the account's cap or window, a sender's parts reach the carrier within its rate. Budgets
 * are per n8n process (like the credential's cap without Redis) and per account and sender (an edit
 * of the credential keeps them); a sender not listed has the credential's cap only.
 */
import { FieldError } from '../errors';
import type { SenderLane, SubmitOptions, SubmitReceiver, SubmitResult } from '../transport/smpp/types';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { PartSender } from './send-sms';
import { SlidingWindowLog, windowLogPolicy } from '../throttle/sliding-window-log';

/** A sliding second plus a guard for the trip to the carrier (as the credential's cap counts it). */
const WINDOW_MS = 1050;

/** A "SENDER=TPS" list that cannot be read: `entry` is the part at fault. */
export class SenderTpsError extends FieldError {
  constructor(
    readonly entry: string,
    problem: string,
  ) {
    super('senderTps', problem, { credential: 'smppApi' });
    this.name = 'SenderTpsError';
  }
}

/**
 * The key a sender is limited by, the same for a listed sender and a PDU's source_addr: a number
 * written as "+44 7911 000111" is sent as the digits 447911000111, so a numeric sender keeps its
 * digits only; an alphanumeric one stays as written.
 */
export function senderTpsKey(sender: string): string {
  const trimmed = sender.trim();
  return /^\+?[\d\s().-]+$/.test(trimmed) ? trimmed.replace(/\D/g, '') : trimmed;
}

/** Reads "MyBrand=10, 60777=5" (commas, semicolons or new lines between entries); empty: no limits. */
export function parseSenderTps(text: string, cap = 0): Map<string, number> {
  const limits = new Map<string, number>();
  for (const raw of text.split(/[,;\n]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const match = /^(.+?)\s*=\s*(\S+)$/.exec(entry);
    if (!match) throw new SenderTpsError(entry, `"${entry}" is not SENDER=TPS (e.g. MyBrand=10)`);
    const sender = senderTpsKey(match[1]);
    const tps = Number(match[2]);
    if (!Number.isInteger(tps) || tps < 1) throw new SenderTpsError(entry, `"${entry}": the TPS must be a whole number of at least 1`);
    if (cap > 0 && tps > cap)
      throw new SenderTpsError(entry, `"${entry}" is above the credential's Messages per Second (${cap}): a sender cannot send faster than its account`);
    if (limits.has(sender)) throw new SenderTpsError(entry, `"${sender}" is listed twice`);
    limits.set(sender, tps);
  }
  return limits;
}

/** One listed sender's budget: a sliding-window log on this process's monotonic clock. */
class SenderBudget implements SenderLane {
  private readonly log: SlidingWindowLog;

  constructor(
    readonly tps: number,
    replaced?: SenderBudget,
  ) {
    this.log = new SlidingWindowLog(windowLogPolicy(tps, WINDOW_MS));
    // A new rate for the sender: what it sent in the last second still counts.
    if (replaced) this.log.inherit(replaced.log);
  }

  waitMs(): number {
    return this.log.waitMs(performance.now());
  }

  take(): void {
    const now = performance.now();
    // The window asked waitMs() in this turn; should a slot boundary fall in between, the part was
    // written all the same, so it is logged as written (never refused).
    if (this.log.take(now, 1).granted === 0) this.log.charge(now, 1);
  }
}

/**
 * The senders' budgets of one account (host, port, system_id), kept by sender: an edit of the
 * credential (another sender listed, other Binds) opens a new transport while the old one still
 * sends, and both must spend the one budget of a sender, not start afresh.
 */
export class SenderBudgets {
  private readonly bySender = new Map<string, SenderBudget>();

  /** The budget of `sender` at `tps`: the same one while its rate stays; a new rate inherits what was sent. */
  budgetOf(sender: string, tps: number): SenderLane {
    const current = this.bySender.get(sender);
    if (current && current.tps === tps) return current;
    const created = new SenderBudget(tps, current);
    this.bySender.set(sender, created);
    return created;
  }
}

export class SenderTpsLimit {
  private readonly lanes = new Map<string, SenderLane>();

  /** `budgets`: the account's, shared with other lists of the same account (default: this list's own). */
  constructor(
    readonly limits: ReadonlyMap<string, number>,
    budgets = new SenderBudgets(),
  ) {
    for (const [sender, tps] of limits) this.lanes.set(sender, budgets.budgetOf(sender, tps));
  }

  /** The budget a part from `sender` is written within; undefined for a sender not listed. */
  laneOf(sender: string): SenderLane | undefined {
    return this.lanes.get(senderTpsKey(sender));
  }

  /** `options` with the part's sender's budget when its sender is listed (as given otherwise). */
  private withLane(pdu: MessagePdu, options: SubmitOptions | undefined): SubmitOptions | undefined {
    const senderLane = this.laneOf(pdu.source.addr);
    return senderLane ? { ...options, senderLane } : options;
  }

  /** `inner` with every part of a listed sender carrying its sender's budget to the send window. */
  wrap(inner: PartSender): PartSender {
    return {
      submit: (pdu: MessagePdu, options?: SubmitOptions): Promise<SubmitResult> => inner.submit(pdu, this.withLane(pdu, options)),
      submitTo: inner.submitTo
        ? (pdu: MessagePdu, options: SubmitOptions, receiver: SubmitReceiver): void => inner.submitTo!(pdu, this.withLane(pdu, options) ?? {}, receiver)
        : undefined,
      unusableReason: inner.unusableReason ? () => inner.unusableReason!() : undefined,
    };
  }
}
