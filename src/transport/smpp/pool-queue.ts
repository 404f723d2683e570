import { AbortWatch } from './abort-watch';
import { Fifo } from './fifo';
import type { SmppTransport } from './smpp-transport';
import { SmppSubmitError, WITHDRAWN } from './types';
import type { SenderLane, SubmitOptions, SubmitRequest, SubmitResult } from './types';

interface Waiting {
  pdu: SubmitRequest;
  options: SubmitOptions;
  resolve: (result: SubmitResult) => void;
  reject: (error: SmppSubmitError) => void;
  /** Carried over from a bind that closed under it: it may already be at the carrier. */
  possibleDuplicate: boolean;
  /** Attempts spent on binds that closed under it. */
  attempts: number;
  settled: boolean;
  /** A part the carrier had accepted on a session that ended, sent again (see resendsFirst). */
  resend?: true;
}

/** Where the parts of one long message went (SubmitOptions.messageKey). */
interface MessageOnBind {
  member: SmppTransport | null;
  /** The member's SMPP session then: a rebind of the same member is another session for the carrier. */
  session: number;
  /** Parts in the order they were first handed out (the order a resend repeats). */
  readonly order: SubmitRequest[];
  /** Parts the carrier accepted on that session. */
  accepted: Waiting[];
  /** Once the message was resent on another session: settles with the first part that failed there, or null. */
  resent: Promise<SmppSubmitError | null> | null;
}

export interface PoolQueueSettings {
  maxQueued: number;
  maxAttempts: number;
}

/**
 * The submits of a credential with several binds: they wait here, in order, and each goes to the
 * bound member with the fewest outstanding as soon as one has room (at most two windows' worth is
 * handed to a member, so a bind that drops holds back little). A member that
 * closes or gives up under a submit hands it back: it goes to another bind, flagged a possible
 * duplicate when it had been written, never lost. The TPS limit is the members' shared throttle.
 */
export class PoolQueue {
  private readonly waiting = new Fifo<Waiting>();
  /** Submits handed to each member and not yet settled there. */
  private readonly load = new Map<SmppTransport, number>();
  /** The submits' signals: an abort withdraws the submits still waiting here with it. */
  private readonly signals = new AbortWatch((signal) => {
    // The line is rebuilt without them, so they count against no one's queue limit.
    for (const w of this.waiting.drain()) {
      if (!w.settled && w.options.signal === signal) {
        w.settled = true;
        w.reject(new SmppSubmitError(WITHDRAWN, 'cancelled', undefined, undefined, w.possibleDuplicate, w.attempts));
      }
      if (!w.settled) this.waiting.push(w);
    }
  });
  /** Per member: a signal that withdraws what waits there (see withdraw), combined with each caller's own. */
  private readonly recall = new Map<SmppTransport, { controller: AbortController; combined: WeakMap<AbortSignal, AbortSignal> }>();
  private turn = 0;
  /** The bind and session the first part of a long message went to: its other parts follow (SubmitOptions.messageKey). */
  private readonly bindOfMessage = new WeakMap<object, MessageOnBind>();
  /**
   * The bind a limited sender's parts go to while earlier ones are unanswered there, and how many:
   * each bind holds its own parts out of the sender's budget, so parts on two binds would leave
   * in whichever order the binds' windows turn, not the order they were submitted.
   */
  private readonly bindOfSender = new Map<SenderLane, { member: SmppTransport; outstanding: number }>();

  constructor(
    /** The members bound now. */
    private readonly members: () => readonly SmppTransport[],
    private readonly settings: () => PoolQueueSettings,
    /** False once the pool closes or gave up: what a closing member hands back then fails. */
    private readonly open: () => boolean,
  ) {}

  get length(): number {
    return this.waiting.length;
  }

  enqueue(pdu: SubmitRequest, options: SubmitOptions): Promise<SubmitResult> {
    // With the parts the binds hold for their sender's own TPS: they came from here.
    if (this.waiting.length + this.heldInMembers() >= this.settings().maxQueued) {
      return Promise.reject(
        new SmppSubmitError(`send queue is full (${this.settings().maxQueued} messages waiting); try again later or raise the limit`, 'queue_full'),
      );
    }
    const signal = options.signal;
    if (signal !== undefined && this.signals.aborted(signal)) return Promise.reject(new SmppSubmitError(WITHDRAWN, 'cancelled'));
    const promise = new Promise<SubmitResult>((resolve, reject) => {
      this.waiting.push({ pdu, options, resolve, reject, possibleDuplicate: false, attempts: 0, settled: false });
    });
    this.feed();
    return promise;
  }

  private heldInMembers(): number {
    let held = 0;
    for (const member of this.members()) held += member.heldForSenderCount;
    return held;
  }

  /** Hands waiting submits to members with room; called on every answer, bind and enqueue. */
  feed(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting.peek() as Waiting;
      if (next.settled) {
        this.waiting.shift();
        continue;
      }
      if (this.resendsFirst(next)) continue;
      const member = this.memberFor(next);
      if (!member) return;
      this.waiting.shift();
      this.hand(member, next);
    }
  }

  /**
   * The bind for `w`: the one its message's earlier parts went to while that session lasts (beyond
   * its share of the load: its own window holds them), else the bind of its sender's unanswered
   * parts, else the roomiest, which the message's later parts follow.
   */
  private memberFor(w: Waiting): SmppTransport | null {
    const message = w.options.messageKey ? this.messageOf(w.options.messageKey) : undefined;
    if (message && this.onSession(message)) return message.member;
    const lane = w.options.senderLane;
    const ofSender = lane ? this.bindOfSender.get(lane) : undefined;
    // A limited sender's parts wait in that bind, in order, behind its earlier ones.
    const member = ofSender && this.members().includes(ofSender.member) ? ofSender.member : this.roomiest();
    if (member && message) {
      message.member = member;
      message.session = member.session;
    }
    return member;
  }

  private messageOf(key: object): MessageOnBind {
    let message = this.bindOfMessage.get(key);
    if (!message) this.bindOfMessage.set(key, (message = { member: null, session: 0, order: [], accepted: [], resent: null }));
    return message;
  }

  /** True while the session the message's parts went over is still bound. */
  private onSession(message: MessageOnBind): message is MessageOnBind & { member: SmppTransport } {
    return message.member !== null && message.member.session === message.session && this.members().includes(message.member);
  }

  /**
   * The session that accepted some parts of `w`'s message is gone (its bind dropped or unbound):
   * an SMSC that joins parts per session cannot join the rest to them, so the whole message goes
   * again over one new session, in order with the same reference, the parts already accepted
   * flagged possible duplicates; `w` and the message's other parts report the outcome of the
   * resent ones (see hand). Puts the resends before `w` and returns true when it did.
   */
  private resendsFirst(w: Waiting): boolean {
    const key = w.options.messageKey;
    const message = key ? this.bindOfMessage.get(key) : undefined;
    if (!message || message.accepted.length === 0 || this.onSession(message)) return false;
    const accepted = message.accepted.sort((a, b) => message.order.indexOf(a.pdu) - message.order.indexOf(b.pdu));
    message.accepted = [];
    message.member = null;
    const queued: Waiting[] = [];
    const outcomes = accepted.map(
      (part) =>
        new Promise<SmppSubmitError | null>((resolve) => {
          queued.push({
            pdu: part.pdu,
            options: part.options,
            resolve: () => resolve(null),
            reject: (err) => resolve(err),
            possibleDuplicate: true,
            attempts: 0,
            settled: false,
            resend: true,
          });
        }),
    );
    const earlier = message.resent;
    message.resent = Promise.all([earlier, ...outcomes]).then((errors) => errors.find((e) => e) ?? null);
    this.waiting.shift();
    this.waiting.unshiftAll([...queued, w]);
    return true;
  }

  /**
   * A member's link dropped: what waits there (what was in flight too, now unanswered and flagged)
   * comes back here at the front and goes to the other binds, instead of waiting for this one's
   * rebind.
   */
  withdraw(member: SmppTransport): void {
    const recall = this.recall.get(member);
    if (!recall) return;
    this.recall.delete(member);
    recall.controller.abort();
  }

  private signalFor(member: SmppTransport, own: AbortSignal | undefined): AbortSignal {
    let recall = this.recall.get(member);
    if (!recall) this.recall.set(member, (recall = { controller: new AbortController(), combined: new WeakMap() }));
    if (!own) return recall.controller.signal;
    // One combined signal per caller's signal (a broadcast passes one for all its submits).
    let combined = recall.combined.get(own);
    if (!combined) recall.combined.set(own, (combined = AbortSignal.any([own, recall.controller.signal])));
    return combined;
  }

  /** Fails everything still waiting here (the pool closed or gave up). */
  failAll(message: string, reason: 'closed' | 'retries_exhausted'): void {
    for (const w of this.waiting.drain()) {
      if (w.settled) continue;
      w.settled = true;
      w.reject(new SmppSubmitError(message, reason, undefined, undefined, w.possibleDuplicate, w.attempts));
    }
  }

  /** A bound member whose window has room, the least loaded first (ties in turn). */
  private roomiest(): SmppTransport | null {
    const members = this.members();
    let best: SmppTransport | null = null;
    let bestLoad = Infinity;
    for (let i = 0; i < members.length; i++) {
      const member = members[(this.turn + i) % members.length];
      // Parts held there for their sender's own TPS do not count: a slow sender's parts must not
      // keep other senders' parts out of the binds.
      const load = (this.load.get(member) ?? 0) - member.heldForSenderCount;
      // A window in flight and one more ready behind it: an answer is followed by the next submit
      // in the same turn, without waiting for this queue to hear of the answer first.
      if (load < member.options.windowSize * 2 && load < bestLoad) {
        best = member;
        bestLoad = load;
      }
    }
    this.turn++;
    return best;
  }

  private hand(member: SmppTransport, w: Waiting): void {
    this.load.set(member, (this.load.get(member) ?? 0) + 1);
    const lane = w.options.senderLane;
    if (lane) {
      const ofSender = this.bindOfSender.get(lane);
      if (ofSender?.member === member) ofSender.outstanding++;
      else this.bindOfSender.set(lane, { member, outstanding: 1 });
    }
    const message = w.options.messageKey ? this.bindOfMessage.get(w.options.messageKey) : undefined;
    if (message && !message.order.includes(w.pdu)) message.order.push(w.pdu);
    const session = member.session;
    const done = (): void => {
      const left = (this.load.get(member) ?? 1) - 1;
      if (left > 0) this.load.set(member, left);
      else this.load.delete(member);
      const ofSender = lane ? this.bindOfSender.get(lane) : undefined;
      if (ofSender?.member === member && --ofSender.outstanding === 0) this.bindOfSender.delete(lane as SenderLane);
    };
    member.submit(w.pdu, { ...w.options, signal: this.signalFor(member, w.options.signal) }).then(
      (result) => {
        done();
        if (message && message.member === member && message.session === session) message.accepted.push(w);
        if (message?.resent && !w.resend) {
          this.afterResent(message.resent, w, result);
        } else {
          w.settled = true;
          w.resolve(
            w.attempts > 0 || w.possibleDuplicate
              ? { ...result, possibleDuplicate: result.possibleDuplicate || w.possibleDuplicate, attempts: result.attempts + w.attempts }
              : result,
          );
        }
        this.feed();
      },
      (err: SmppSubmitError) => {
        done();
        this.onRefused(member, w, err);
        this.feed();
      },
    );
  }

  /** A part of a message that went again over a new session: accepted once the resent parts are, a possible duplicate. */
  private afterResent(resent: Promise<SmppSubmitError | null>, w: Waiting, result: SubmitResult): void {
    const attempts = result.attempts + w.attempts;
    void resent.then((failed) => {
      if (w.settled) return;
      w.settled = true;
      if (!failed) {
        w.resolve({ ...result, possibleDuplicate: true, attempts });
        return;
      }
      w.reject(
        new SmppSubmitError(
          `an earlier part of this message, sent again after its bind's session ended, failed: ${failed.message}`,
          failed.reason,
          failed.status,
          failed.statusName,
          true,
          attempts,
        ),
      );
    });
  }

  private onRefused(member: SmppTransport, w: Waiting, err: SmppSubmitError): void {
    const possibleDuplicate = w.possibleDuplicate || err.possibleDuplicate === true;
    const attempts = w.attempts + (err.attempts ?? 0);
    // The member closed (the pool swaps it, or its Redis lease ran out) or gave up reconnecting:
    // the message was not answered there, so another bind of the pool takes it.
    const memberGone = member.state === 'closed' || member.state === 'closing';
    const handedBack = memberGone && (err.reason === 'closed' || err.reason === 'retries_exhausted') && attempts < this.settings().maxAttempts;
    // Withdrawn from a bind that dropped (see withdraw), not by the caller.
    const recalled = err.reason === 'cancelled' && w.options.signal?.aborted !== true;
    if (recalled && attempts >= this.settings().maxAttempts) {
      // Binds kept dropping under it: as many attempts as one bind would make, then it fails.
      w.settled = true;
      w.reject(
        new SmppSubmitError(
          `no answer from the carrier after ${attempts} attempts (the binds dropped under it); the carrier may have accepted it`,
          'retries_exhausted',
          undefined,
          undefined,
          true,
          attempts,
        ),
      );
      return;
    }
    if ((handedBack || recalled) && this.open()) {
      w.possibleDuplicate = possibleDuplicate;
      w.attempts = attempts;
      this.waiting.unshiftAll([w]);
      return;
    }
    w.settled = true;
    w.reject(
      w.attempts > 0 || w.possibleDuplicate ? new SmppSubmitError(err.message, err.reason, err.status, err.statusName, possibleDuplicate, attempts) : err,
    );
  }
}
