import { Status } from '../command-status';
import { CommandId, isResponseId } from '../pdu/command-ids';
import { encodeEmptyRequest, encodeGeneric, encodeGenericNack, encodeSimpleResponse, responseIdFor } from '../pdu/pdu-codec';
import type { DecodedPdu } from '../pdu/pdu-codec';
import { encodeMessagePdu } from '../pdu/message-pdu';
import type { MessagePdu } from '../pdu/message-pdu';
import type { SmppSocket } from '../smpp-socket';
import type { BindMode } from '../types';

const BIND_BY_ID = new Map<number, BindMode>([
  [CommandId.bindTransceiver, 'transceiver'],
  [CommandId.bindTransmitter, 'transmitter'],
  [CommandId.bindReceiver, 'receiver'],
]);

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
 * One application's (ESME's) connection to our SMPP server. Stricter than the sandbox's
 * session: a failed bind closes the connection, every request before a bind other than
 * enquire_link is refused, and a flood cannot grow memory without bound: at most
 * maxOutstanding submits are in hand, the rest wait in the kernel's socket buffer.
 */
export class SmppServerSession {
  bind: BindMode | null = null;
  systemId = '';
  /** Set by the server when the bind succeeds: which account the session belongs to. */
  accountKey = '';
  lastActivityAt = Date.now();
  submits = 0;
  private outstanding = 0;
  /** Frames read in the same chunk after the window filled; bounded by one socket read. */
  private readonly backlog: DecodedPdu[] = [];
  private paused = false;
  private unbindSequence: number | null = null;
  private closing = false;
  /** deliver_sm we sent (receipts), by sequence number, waiting for their deliver_sm_resp. */
  private readonly delivering = new Map<number, { settle: (status: number | Error) => void; timer: NodeJS.Timeout }>();
  private bindTimer: NodeJS.Timeout | null;

  constructor(readonly socket: SmppSocket, private readonly host: ServerSessionHost, private readonly limits: ServerSessionLimits) {
    socket.on('pdu', (pdu) => this.onPdu(pdu));
    socket.on('frameError', () => {
      socket.write(encodeGenericNack(Status.invalidCommandLength, 0));
      socket.end('command_length out of range');
    });
    socket.on('close', () => {
      if (this.bindTimer) clearTimeout(this.bindTimer);
      this.backlog.length = 0;
      for (const [, pending] of this.delivering) pending.settle(new Error('connection closed before the deliver_sm_resp'));
      this.delivering.clear();
      host.onClosed(this);
    });
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
  get canReceive(): boolean {
    return (this.bind === 'receiver' || this.bind === 'transceiver') && this.socket.isOpen && !this.closing && this.unbindSequence === null;
  }

  /** Sends a deliver_sm; resolves with the deliver_sm_resp status, rejects when the connection ends first or after timeoutMs. */
  deliver(pdu: MessagePdu, timeoutMs = this.limits.deliverTimeoutMs ?? 10_000): Promise<number> {
    if (!this.canReceive) return Promise.reject(new Error('the connection cannot take deliver_sm now'));
    const sequence = this.socket.nextSequence();
    return new Promise((resolve, reject) => {
      const settle = (status: number | Error): void => {
        clearTimeout(timer);
        this.delivering.delete(sequence);
        if (status instanceof Error) reject(status);
        else resolve(status);
      };
      const timer = setTimeout(() => settle(new Error(`no deliver_sm_resp within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      this.delivering.set(sequence, { settle, timer });
      this.socket.write(encodeMessagePdu(CommandId.deliverSm, sequence, pdu));
    });
  }

  /** Asks the ESME to unbind and closes, at the latest after graceMs. */
  async close(reason: string, graceMs = 1000): Promise<void> {
    if (!this.socket.isOpen) return;
    this.closing = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.socket.destroy(reason);
        resolve();
      }, graceMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.bind) this.socket.write(encodeEmptyRequest(CommandId.unbind, this.socket.nextSequence()));
      else this.socket.end(reason);
    });
  }

  private onPdu(pdu: DecodedPdu): void {
    this.lastActivityAt = Date.now();
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
    if (this.unbindSequence !== null || !this.socket.isOpen) return;
    const bindMode = BIND_BY_ID.get(pdu.commandId);
    if (bindMode) return this.onBind(pdu, bindMode);
    if (isResponseId(pdu.commandId)) {
      if (pdu.commandId === CommandId.unbindResp && this.closing) this.socket.end('unbound by the server');
      if (pdu.commandId === CommandId.deliverSmResp || pdu.commandId === CommandId.genericNack) this.delivering.get(pdu.sequence)?.settle(pdu.status);
      return; // enquire_link_resp, generic_nack, ...: nothing to do
    }
    if (pdu.kind === 'malformed') {
      this.socket.write(encodeGenericNack(pdu.error.status, pdu.sequence));
      return;
    }
    switch (pdu.commandId) {
      case CommandId.enquireLink:
        this.socket.write(encodeSimpleResponse(CommandId.enquireLinkResp, 0, pdu.sequence));
        return;
      case CommandId.unbind:
        this.unbindSequence = pdu.sequence;
        this.finishUnbindWhenIdle();
        return;
      case CommandId.submitSm:
        if (pdu.kind === 'message') this.onSubmit(pdu.sequence, pdu.message);
        return;
      default:
        this.socket.write(encodeGenericNack(this.bind ? Status.invalidCommandId : Status.invalidBindStatus, pdu.sequence));
    }
  }

  private onBind(pdu: DecodedPdu, mode: BindMode): void {
    const respName = `${pdu.command}_resp`;
    if (this.bind) {
      this.socket.write(encodeGeneric(respName, pdu.sequence, {}, Status.alreadyBound));
      return;
    }
    if (pdu.kind !== 'generic') {
      this.socket.write(encodeSimpleResponse(responseIdFor(pdu.commandId), pdu.kind === 'malformed' ? pdu.error.status : Status.bindFailed, pdu.sequence));
      this.socket.end('unreadable bind');
      return;
    }
    const systemId = String(pdu.pdu.system_id ?? '');
    const status = this.host.authenticate(this, systemId, String(pdu.pdu.password ?? ''), mode);
    if (status !== 0) {
      this.socket.write(encodeGeneric(respName, pdu.sequence, {}, status));
      this.socket.end('bind refused');
      return;
    }
    if (this.bindTimer) clearTimeout(this.bindTimer);
    this.bindTimer = null;
    this.bind = mode;
    this.systemId = systemId;
    this.socket.write(encodeGeneric(respName, pdu.sequence, { system_id: this.limits.serverSystemId }));
    this.host.onBound?.(this);
  }

  private onSubmit(sequence: number, message: MessagePdu): void {
    if (this.bind !== 'transmitter' && this.bind !== 'transceiver') {
      this.socket.write(encodeSimpleResponse(CommandId.submitSmResp, Status.invalidBindStatus, sequence));
      return;
    }
    if (message.destination.addr === '') {
      this.socket.write(encodeSimpleResponse(CommandId.submitSmResp, Status.invalidDestination, sequence));
      return;
    }
    this.submits++;
    this.outstanding++;
    const receivedAt = new Date();
    this.host.onSubmit(this, message, receivedAt)
      .catch(() => ({ status: Status.systemError, messageId: undefined }))
      .then((result) => {
        this.outstanding--;
        this.socket.write(encodeSimpleResponse(CommandId.submitSmResp, result.status, sequence, result.messageId));
        this.host.onSubmitAnswered?.(this, result);
        if (this.unbindSequence !== null) this.finishUnbindWhenIdle();
        else this.drainBacklog();
      });
  }

  /** unbind_resp goes out after every submit in hand is answered, so none is left unanswered. */
  private finishUnbindWhenIdle(): void {
    if (this.outstanding > 0 || this.unbindSequence === null) return;
    this.socket.write(encodeSimpleResponse(CommandId.unbindResp, 0, this.unbindSequence));
    this.socket.end('unbind');
  }
}
