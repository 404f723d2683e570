import { CommandId } from '../transport/smpp/pdu/command-ids';
import { encodeEmptyRequest, encodeGenericNack, encodeSimpleResponse, encodeGeneric, responseIdFor } from '../transport/smpp/pdu/pdu-codec';
import type { DecodedPdu } from '../transport/smpp/pdu/pdu-codec';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { SmppSocket } from '../transport/smpp/smpp-socket';
import { Status } from '../transport/smpp/command-status';
import { Fifo } from '../transport/smpp/fifo';

export type SessionBind = 'transceiver' | 'transmitter' | 'receiver';

const BIND_BY_ID = new Map<number, SessionBind>([
  [CommandId.bindTransceiver, 'transceiver'],
  [CommandId.bindTransmitter, 'transmitter'],
  [CommandId.bindReceiver, 'receiver'],
]);

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
}

/**
 * One ESME connection to the sandbox: bind checks, answers after the configured latency, holds
 * answers while stalled. Answers leave in the order requests came, like a real SMSC's queue.
 */
export class SmscSession {
  bind: SessionBind | null = null;
  systemId = '';
  /** Requests answered later than now (latency or stall); its peak shows the client's window. */
  private held = new Fifo<HeldAnswer>();
  private timer: NodeJS.Timeout | null = null;
  maxOutstanding = 0;
  submits = 0;
  private readonly deliverWaiters = new Map<number, (status: number) => void>();
  /** Set while the SMSC winds this session down (unbind sent): the sequence of its unbind. */
  private unbindSeq = 0;
  private unbindAnswered = false;

  constructor(readonly socket: SmppSocket, private readonly host: SessionHost) {
    socket.on('pdu', (pdu) => this.onPdu(pdu));
    socket.on('frameError', () => {
      socket.write(encodeGenericNack(Status.invalidCommandLength, 0));
      socket.end('bad command_length');
    });
    socket.on('close', () => {
      if (this.timer) clearTimeout(this.timer);
      this.held.drain();
      for (const waiter of this.deliverWaiters.values()) waiter(-1);
      this.deliverWaiters.clear();
      host.onClosed(this);
    });
  }

  get canReceive(): boolean {
    return this.bind === 'receiver' || this.bind === 'transceiver';
  }

  /** Sends a deliver_sm and resolves with the ESME's deliver_sm_resp status (-1 if the link closed). */
  deliver(frameFor: (seq: number) => Buffer): Promise<number> {
    return new Promise((resolve) => {
      if (!this.socket.isOpen) return resolve(-1);
      const seq = this.socket.nextSequence();
      this.deliverWaiters.set(seq, resolve);
      this.socket.write(frameFor(seq));
    });
  }

  private answer(frame: Buffer, after?: () => void): void {
    const delay = this.host.responseDelayMs();
    if (delay <= 0 && this.held.length === 0 && !this.host.isStalled()) {
      this.socket.write(frame);
      after?.();
      return;
    }
    // The latency counts from when the request arrived, not from when this session got to it:
    // with a large window a chunk holds 100+ submits, and the time spent reading them is the
    // sandbox's, not the latency it was told to add.
    const arrived = this.socket.lastReadAt || performance.now();
    this.held.push({ dueAt: arrived + delay, frame, after });
    this.maxOutstanding = Math.max(this.maxOutstanding, this.held.length);
    this.flushHeld();
  }

  /**
   * Maintenance, as an SMSC does it (SMPP 3.4 §4.2): sends unbind, keeps answering the submits it
   * already took (at the usual latency), refuses new ones with ESME_RINVBNDSTS, and closes once the
   * ESME answered unbind_resp and nothing is left to answer (or after 10 s).
   */
  unbind(): boolean {
    if (!this.bind || this.unbindSeq || !this.socket.isOpen) return false;
    this.unbindSeq = this.socket.nextSequence();
    this.socket.write(encodeEmptyRequest(CommandId.unbind, this.unbindSeq));
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
      this.socket.write(head.frame);
      head.after?.();
      head = this.held.peek();
    }
    this.endIfUnbound();
    if (head && this.host.wakeAt) {
      this.host.wakeAt(head.dueAt);
    } else if (head && !this.timer) {
      // Timers have millisecond resolution: wake at the due millisecond and check again.
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flushHeld();
      }, Math.max(1, Math.floor(head.dueAt - now)));
    }
  }

  private onPdu(pdu: DecodedPdu): void {
    const bindMode = BIND_BY_ID.get(pdu.commandId);
    if (bindMode) return this.onBind(pdu, bindMode);
    if (pdu.commandId & 0x80000000) {
      if (pdu.commandId === CommandId.unbindResp && this.unbindSeq && pdu.sequence === this.unbindSeq) {
        this.unbindAnswered = true;
        this.endIfUnbound();
        return;
      }
      if (pdu.commandId === CommandId.deliverSmResp || pdu.commandId === CommandId.genericNack) {
        const waiter = this.deliverWaiters.get(pdu.sequence);
        this.deliverWaiters.delete(pdu.sequence);
        waiter?.(pdu.status);
      }
      return;
    }
    if (pdu.kind === 'malformed') {
      this.socket.write(encodeGenericNack(pdu.error.status, pdu.sequence));
      return;
    }
    switch (pdu.commandId) {
      case CommandId.enquireLink:
        this.host.onEnquireLink?.(this);
        return this.answer(encodeSimpleResponse(CommandId.enquireLinkResp, 0, pdu.sequence));
      case CommandId.unbind:
        this.socket.write(encodeSimpleResponse(CommandId.unbindResp, 0, pdu.sequence));
        this.socket.end('unbind');
        return;
      case CommandId.submitSm:
        return this.onSubmit(pdu);
      default: {
        if (!this.bind) {
          this.socket.write(encodeGenericNack(Status.invalidBindStatus, pdu.sequence));
          return;
        }
        const frame = this.host.onGeneric?.(this, pdu);
        this.socket.write(frame ?? encodeGenericNack(Status.invalidCommandId, pdu.sequence));
      }
    }
  }

  private onBind(pdu: DecodedPdu, mode: SessionBind): void {
    const respId = responseIdFor(pdu.commandId);
    const respName = `${pdu.command}_resp`;
    if (this.bind) {
      this.socket.write(encodeGeneric(respName, pdu.sequence, {}, Status.alreadyBound));
      return;
    }
    if (pdu.kind !== 'generic') {
      this.socket.write(encodeSimpleResponse(respId, pdu.kind === 'malformed' ? pdu.error.status : Status.bindFailed, pdu.sequence));
      return;
    }
    const systemId = String(pdu.pdu.system_id ?? '');
    const status = this.host.authenticate(systemId, String(pdu.pdu.password ?? ''), this.socket.remoteAddress);
    if (status !== 0) {
      this.socket.write(encodeGeneric(respName, pdu.sequence, {}, status));
      return;
    }
    this.bind = mode;
    this.systemId = systemId;
    this.answer(encodeGeneric(respName, pdu.sequence, { system_id: 'SANDBOX' }), () => this.host.onBound(this));
  }

  private onSubmit(pdu: DecodedPdu): void {
    if ((this.bind !== 'transmitter' && this.bind !== 'transceiver') || this.unbindSeq !== 0) {
      this.socket.write(encodeSimpleResponse(CommandId.submitSmResp, Status.invalidBindStatus, pdu.sequence));
      return;
    }
    if (pdu.kind !== 'message') return;
    this.submits++;
    const result = this.host.onSubmit(this, pdu.message);
    if (result.drop) {
      this.socket.destroy('fault: drop connection');
      return;
    }
    this.answer(encodeSimpleResponse(CommandId.submitSmResp, result.status, pdu.sequence, result.messageId));
  }
}
