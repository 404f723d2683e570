import { Status } from '../command-status';
import { CommandId } from '../pdu/command-ids';
import { encodeSimpleResponse } from '../pdu/pdu-codec';
import type { DecodedPdu } from '../pdu/pdu-codec';
import { encodeMessagePdu } from '../pdu/message-pdu';
import type { MessagePdu } from '../pdu/message-pdu';
import type { SmppSocket } from '../smpp-socket';
import type { BindMode } from '../types';
import { SmppSessionCore } from './session-core';

/** What the server decides; the session does only the protocol. */
export interface ServerSessionHost {
  /** 0 to accept, else the bind_resp command_status. */
  authenticate(session: SmppServerSession, systemId: string, password: string, mode: BindMode): number;
  /** Resolves with the submit_sm_resp status and, when 0, the message id. */
  onSubmit(session: SmppServerSession, pdu: MessagePdu, receivedAt: Date): Promise<{ status: number; messageId?: string }>;
  /** The submit_sm_resp went out (receipts for its id may follow). */
  onSubmitAnswered?(session: SmppServerSession, result: { status: number; messageId?: string }): void;
  /** bind_resp (success) went out: the application can take what waits for it. */
  onBound?(session: SmppServerSession): void;
  onClosed(session: SmppServerSession): void;
}

export interface ServerSessionLimits {
  /** submit_sm answered at most this late; beyond it the socket stops reading (TCP backpressure). */
  maxOutstanding: number;
  /** An unbound connection is closed after this long. */
  bindTimeoutMs: number;
  /** system_id we answer binds with. */
  serverSystemId: string;
  /** A deliver_sm without deliver_sm_resp for this long counts as lost (default 10 s). */
  deliverTimeoutMs?: number;
}

/**
 * One application's (ESME's) connection to our SMPP server, on the SMPP session core shared with
 * the sandbox (session-core.ts). Stricter than the sandbox's session: a failed bind closes the
 * connection, a connection that does not bind in time is closed, nothing after the peer's unbind
 * is looked at, and a flood cannot grow memory without bound: at most maxOutstanding submits are
 * in hand, the rest wait in the kernel's socket buffer.
 */
export class SmppServerSession extends SmppSessionCore {
  /** Set by the server when the bind succeeds: which account the session belongs to. */
  accountKey = '';
  lastActivityAt = Date.now();
  submits = 0;
  private outstanding = 0;
  /** Frames read in the same chunk after the window filled; bounded by one socket read. */
  private readonly backlog: DecodedPdu[] = [];
  private paused = false;
  private closing = false;
  private closeInProgress: Promise<void> | null = null;
  private bindTimer: NodeJS.Timeout | null;

  constructor(
    socket: SmppSocket,
    private readonly host: ServerSessionHost,
    private readonly limits: ServerSessionLimits,
  ) {
    super(socket, { serverSystemId: limits.serverSystemId, closeOnRefusedBind: true, refuseSubmitsWhileUnbinding: false });
    this.bindTimer = setTimeout(() => socket.destroy(`no bind within ${limits.bindTimeoutMs} ms`), limits.bindTimeoutMs);
    this.bindTimer.unref();
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress;
  }

  get outstandingSubmits(): number {
    return this.outstanding;
  }

  /** Bound as receiver or transceiver, so deliver_sm may go to it. */
  override get canReceive(): boolean {
    return super.canReceive && this.socket.isOpen && !this.closing && this.peerUnbindSequence === null;
  }

  /** Sends a deliver_sm; resolves with the deliver_sm_resp status, rejects when the connection ends first or after timeoutMs. */
  deliver(pdu: MessagePdu, timeoutMs = this.limits.deliverTimeoutMs ?? 10_000): Promise<number> {
    if (!this.canReceive) return Promise.reject(new Error('the connection cannot take deliver_sm now'));
    return this.sendRequest((sequence) => encodeMessagePdu(CommandId.deliverSm, sequence, pdu), 'deliver_sm_resp', timeoutMs);
  }

  /**
   * Asks the ESME to unbind and closes, at the latest after graceMs, whatever the peer does: also
   * a connection already ending (our unbind_resp or generic_nack sent) whose peer keeps its side open.
   */
  close(reason: string, graceMs = 1000): Promise<void> {
    if (this.socket.isClosed) return Promise.resolve();
    // One close at a time: the idle sweep and the server's close() may both ask.
    this.closeInProgress ??= this.closeWithin(reason, graceMs);
    return this.closeInProgress;
  }

  private closeWithin(reason: string, graceMs: number): Promise<void> {
    const ending = !this.socket.isOpen;
    this.closing = true;
    return new Promise<void>((resolve) => {
      // A destroyed socket always emits 'close' (at once): resolving there, the slot is free too.
      const timer = setTimeout(() => this.socket.destroy(reason), graceMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ending) return;
      if (this.bind) this.sendUnbind();
      else this.socket.end(reason);
    });
  }

  protected override receive(pdu: DecodedPdu): void {
    this.lastActivityAt = Date.now();
    // A keep-alive read behind submits the workflow is slow to take is answered now: the peer's
    // enquire_link timer would otherwise drop the link and resend what is in flight. It holds no
    // state, so answering it out of turn changes nothing else. (An unbind keeps its turn: its
    // answer must follow the answers to every submit read before it.)
    if (pdu.commandId === CommandId.enquireLink) {
      this.process(pdu);
      return;
    }
    if (this.backlog.length > 0 || this.outstanding >= this.limits.maxOutstanding) {
      this.backlog.push(pdu);
      this.pauseReading();
      return;
    }
    this.process(pdu);
  }

  private drainBacklog(): void {
    while (this.backlog.length > 0 && this.outstanding < this.limits.maxOutstanding && this.socket.isOpen) {
      this.process(this.backlog.shift() as DecodedPdu);
    }
    if (this.backlog.length === 0 && this.outstanding < this.limits.maxOutstanding) this.resumeReading();
  }

  /**
   * SmppSocket also pauses the same net.Socket, while a peer leaves too many answers unread, and
   * resumes it on 'drain'. So this session re-pauses if reading resumed while it still wants a
   * pause (at most one more read lands in the backlog), and resumes only once the write buffer
   * has drained, never undoing SmppSocket's pause.
   */
  private pauseReading(): void {
    const raw = this.socket.socket;
    if (this.paused && !raw.isPaused()) raw.pause();
    if (this.paused) return;
    this.paused = true;
    raw.pause();
  }

  private resumeReading(): void {
    if (!this.paused) return;
    this.paused = false;
    const raw = this.socket.socket;
    if (!raw.writableNeedDrain) {
      raw.resume();
      return;
    }
    raw.once('drain', () => {
      if (!this.paused && this.socket.isOpen) raw.resume();
    });
  }

  private process(pdu: DecodedPdu): void {
    // After a refused bind or an unbind the connection is ending: the rest of the same read
    // (a pipelined second bind, a submit) must not be looked at, let alone handed on.
    if (this.peerUnbindSequence !== null || !this.socket.isOpen) return;
    this.dispatch(pdu);
  }

  // ---- SmppSessionCore ----

  protected authenticate(systemId: string, password: string, mode: BindMode): number {
    return this.host.authenticate(this, systemId, password, mode);
  }

  protected onBound(): void {
    if (this.bindTimer) clearTimeout(this.bindTimer);
    this.bindTimer = null;
    this.host.onBound?.(this);
  }

  protected override onUnbindResp(): void {
    if (this.closing) this.socket.end('unbound by the server');
  }

  protected override get submitsInHand(): number {
    return this.outstanding;
  }

  protected onSubmit(sequence: number, message: MessagePdu): void {
    if (message.destination.addr === '') {
      this.socket.write(encodeSimpleResponse(CommandId.submitSmResp, Status.invalidDestination, sequence));
      return;
    }
    this.submits++;
    this.outstanding++;
    const receivedAt = new Date();
    this.host
      .onSubmit(this, message, receivedAt)
      .catch(() => ({ status: Status.systemError, messageId: undefined }))
      .then((result) => {
        this.outstanding--;
        this.socket.write(encodeSimpleResponse(CommandId.submitSmResp, result.status, sequence, result.messageId));
        this.host.onSubmitAnswered?.(this, result);
        if (this.peerUnbindSequence !== null) this.finishPeerUnbindWhenIdle();
        else this.drainBacklog();
      });
  }

  protected onSocketClosed(): void {
    if (this.bindTimer) clearTimeout(this.bindTimer);
    this.backlog.length = 0;
    this.host.onClosed(this);
  }
}
