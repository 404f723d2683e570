import { CommandId } from '../transport/smpp/pdu/command-ids';
import { encodeSimpleResponse } from '../transport/smpp/pdu/pdu-codec';
import type { DecodedPdu } from '../transport/smpp/pdu/pdu-codec';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { SmppSocket } from '../transport/smpp/smpp-socket';
import { Fifo } from '../transport/smpp/fifo';
import { SmppSessionCore } from '../transport/smpp/server/session-core';

/** What the SMSC decides for each request; the session does only the protocol. */
export interface SessionHost {
  authenticate(systemId: string, password: string, remote: string): number;
  onSubmit(session: SmscSession, pdu: MessagePdu): { status: number; messageId?: string; drop?: boolean };
  onGeneric?(session: SmscSession, pdu: DecodedPdu): Buffer | null;
  responseDelayMs(): number;
  /** Set in benchmark mode: calls every session's flushHeld at a sub-millisecond time. */
  wakeAt?(at: number): void;
  isStalled(): boolean;
  onEnquireLink?(session: SmscSession): void;
  onBound(session: SmscSession): void;
  onClosed(session: SmscSession): void;
}

interface HeldAnswer {
  /** performance.now() time. */
  dueAt: number;
  frame: Buffer;
  /** Called when the answer is written (e.g. to schedule a receipt). */
  after?: () => void;
  /** A submit_sm_resp: counted in the client's window (an enquire_link_resp is not). */
  submit: boolean;
}

/**
 * One ESME connection to the sandbox, on the SMPP session core shared with server mode
 * (src/transport/smpp/server/session-core.ts). What is the sandbox's own: answers after the
 * configured latency, held while stalled, in the order requests came (like a real SMSC's queue);
 * a refused bind may be retried on the same connection; the drop fault; maintenance unbinds.
 */
export class SmscSession extends SmppSessionCore {
  /** Requests answered later than now (latency or stall), in the order they came. */
  private held = new Fifo<HeldAnswer>();
  /** Submits among `held`: the client's window as the SMSC sees it (maxOutstanding is its peak). */
  private heldSubmits = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Peak of submits unanswered at once (see SandboxSmsc.maxOutstanding). */
  maxOutstanding = 0;
  submits = 0;
  /** Set by the SMSC: this connection's number, from 1 in the order they connected. */
  number = 0;
  private unbindAnswered = false;

  constructor(
    socket: SmppSocket,
    private readonly host: SessionHost,
  ) {
    super(socket, { serverSystemId: 'SANDBOX', closeOnRefusedBind: false, refuseSubmitsWhileUnbinding: true });
  }

  /** Sends a deliver_sm and resolves with the ESME's deliver_sm_resp status (-1 if the link closed). */
  deliver(frameFor: (seq: number) => Buffer): Promise<number> {
    if (!this.socket.isOpen) return Promise.resolve(-1);
    return this.sendRequest(frameFor, 'deliver_sm_resp').catch(() => -1);
  }

  protected override answer(frame: Buffer, after?: () => void): void {
    const delay = this.host.responseDelayMs();
    if (delay <= 0 && this.held.length === 0 && !this.host.isStalled()) {
      // Answered as it is read: the SMSC saw it unanswered, alone (at latency 0 it sees no more).
      if (this.maxOutstanding === 0 && frame.readUInt32BE(4) === CommandId.submitSmResp) this.maxOutstanding = 1;
      this.socket.write(frame);
      after?.();
      return;
    }
    // The latency counts from when the request arrived, not from when this session got to it:
    // with a large window a chunk holds 100+ submits, and the time spent reading them is the
    // sandbox's, not the latency it was told to add.
    const arrived = this.socket.lastReadAt || performance.now();
    const submit = frame.readUInt32BE(4) === CommandId.submitSmResp;
    this.held.push({ dueAt: arrived + delay, frame, after, submit });
    if (submit) this.maxOutstanding = Math.max(this.maxOutstanding, ++this.heldSubmits);
    this.flushHeld();
  }

  /**
   * Maintenance, as an SMSC does it (SMPP 3.4 §4.2): sends unbind, keeps answering the submits it
   * already took (at the usual latency), refuses new ones with ESME_RINVBNDSTS, and closes once the
   * ESME answered unbind_resp and nothing is left to answer (or after 10 s).
   */
  unbind(): boolean {
    if (!this.bind || this.ownUnbindSequence || !this.socket.isOpen) return false;
    this.sendUnbind();
    const timer = setTimeout(() => this.socket.destroy('no unbind_resp from the ESME'), 10_000);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
    return true;
  }

  private endIfUnbound(): void {
    if (this.unbindAnswered && this.held.length === 0) this.socket.end('unbound by the SMSC');
  }

  /** Writes answers that are due (on a timer, on each request, when a stall ends); never early. */
  flushHeld(): void {
    if (this.host.isStalled()) return;
    const now = performance.now();
    let head = this.held.peek();
    while (head && head.dueAt <= now) {
      this.held.shift();
      if (head.submit) this.heldSubmits--;
      this.socket.write(head.frame);
      head.after?.();
      head = this.held.peek();
    }
    this.endIfUnbound();
    if (head && this.host.wakeAt) {
      this.host.wakeAt(head.dueAt);
    } else if (head && !this.timer) {
      // Timers have millisecond resolution: wake at the due millisecond and check again.
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.flushHeld();
        },
        Math.max(1, Math.floor(head.dueAt - now)),
      );
    }
  }

  // ---- SmppSessionCore ----

  protected authenticate(systemId: string, password: string): number {
    return this.host.authenticate(systemId, password, this.socket.remoteAddress);
  }

  protected onBound(): void {
    this.host.onBound(this);
  }

  protected override onOtherRequest(pdu: DecodedPdu): Buffer | null {
    return this.host.onGeneric?.(this, pdu) ?? null;
  }

  protected override onEnquireLink(): void {
    this.host.onEnquireLink?.(this);
  }

  protected override onUnbindResp(sequence: number): void {
    if (!this.ownUnbindSequence || sequence !== this.ownUnbindSequence) return;
    this.unbindAnswered = true;
    this.endIfUnbound();
  }

  protected onSubmit(sequence: number, message: MessagePdu): void {
    this.submits++;
    const result = this.host.onSubmit(this, message);
    if (result.drop) {
      this.socket.destroy('fault: drop connection');
      return;
    }
    this.answer(encodeSimpleResponse(CommandId.submitSmResp, result.status, sequence, result.messageId));
  }

  protected onSocketClosed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.held.drain();
    this.heldSubmits = 0;
    this.host.onClosed(this);
  }
}
