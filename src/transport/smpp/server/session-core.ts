import { Status } from '../command-status';
import { CommandId, isResponseId } from '../pdu/command-ids';
import { encodeEmptyRequest, encodeGeneric, encodeGenericNack, encodeSimpleResponse, responseIdFor } from '../pdu/pdu-codec';
import type { DecodedPdu } from '../pdu/pdu-codec';
import type { MessagePdu } from '../pdu/message-pdu';
import type { SmppSocket } from '../smpp-socket';
import type { BindMode } from '../types';

const BIND_BY_ID = new Map<number, BindMode>([
  [CommandId.bindTransceiver, 'transceiver'],
  [CommandId.bindTransmitter, 'transmitter'],
  [CommandId.bindReceiver, 'receiver'],
]);

/** Where the two users of the core differ on purpose (test/transport/smpp/server/session-differences.test.ts). */
export interface SessionCoreRules {
  /** system_id in a successful bind_resp. */
  serverSystemId: string;
  /** A refused or unreadable bind ends the connection (server mode); else the peer may try again on it (sandbox). */
  closeOnRefusedBind: boolean;
  /** Once our unbind is sent, submit_sm is refused with ESME_RINVBNDSTS (sandbox); else taken until the peer answers (server mode). */
  refuseSubmitsWhileUnbinding: boolean;
}

/**
 * The SMSC side of one SMPP connection, shared by the sandbox SMSC (src/sandbox/smsc-session.ts)
 * and SMS Trigger's server mode (server-session.ts): PDU dispatch, the bind state machine,
 * enquire_link, unbind both ways, generic_nack for what cannot be read or is not known, and
 * outbound requests (deliver_sm) matched to their responses by sequence number. What to accept,
 * when to answer and what to do with a submit is the subclass's.
 */
export abstract class SmppSessionCore {
  bind: BindMode | null = null;
  systemId = '';
  /** The successful bind_resp is written (the sandbox may hold it for its latency or a stall). */
  protected bindAnswered = false;
  /** The peer's unbind, once read: unbind_resp goes out when no submit is in hand (submitsInHand). */
  protected peerUnbindSequence: number | null = null;
  /** Our own unbind's sequence number (0 until we ask the peer to unbind). */
  protected ownUnbindSequence = 0;
  /** Requests we sent (deliver_sm), by sequence number, waiting for their response. */
  private readonly awaiting = new Map<number, { settle: (status: number | Error) => void; what: string }>();

  constructor(
    readonly socket: SmppSocket,
    private readonly rules: SessionCoreRules,
  ) {
    socket.on('pdu', (pdu) => this.receive(pdu));
    socket.on('frameError', () => {
      socket.write(encodeGenericNack(Status.invalidCommandLength, 0));
      socket.end('command_length out of range');
    });
    socket.on('close', () => {
      for (const { settle, what } of [...this.awaiting.values()]) settle(new Error(`connection closed before the ${what}`));
      this.awaiting.clear();
      this.onSocketClosed();
    });
  }

  /** Bound as receiver or transceiver, so deliver_sm may go to it. */
  get canReceive(): boolean {
    // Not before the bind_resp went out: until then the peer does not know it is bound.
    return this.bindAnswered && (this.bind === 'receiver' || this.bind === 'transceiver');
  }

  // ---- what each user of the core decides ----

  /** 0 to accept the bind, else the bind_resp command_status. */
  protected abstract authenticate(systemId: string, password: string, mode: BindMode): number;
  /** A submit_sm from a bound transmitter or transceiver; the subclass answers it. */
  protected abstract onSubmit(sequence: number, message: MessagePdu): void;
  /** The bind_resp (success) went out. */
  protected abstract onBound(): void;
  /** The connection closed; outbound requests are already settled. */
  protected abstract onSocketClosed(): void;
  /** Answers a request the core does not know (query_sm, broadcast_sm, ...) from a bound peer, or null for generic_nack ESME_RINVCMDID. */
  protected onOtherRequest?(pdu: DecodedPdu): Buffer | null;
  /** An enquire_link came in (before its answer). */
  protected onEnquireLink?(): void;
  /** An unbind_resp came in (for our unbind, or a stray one). */
  protected onUnbindResp?(sequence: number): void;
  /** Submits taken but not answered yet: the peer's unbind is answered only once this is 0. */
  protected get submitsInHand(): number {
    return 0;
  }
  /** Each decoded PDU as it arrives; a subclass may hold some back (window) before dispatch. */
  protected receive(pdu: DecodedPdu): void {
    this.dispatch(pdu);
  }
  /** Writes an answer (bind_resp, enquire_link_resp), then calls `after`; a subclass may hold it back (latency). */
  protected answer(frame: Buffer, after?: () => void): void {
    this.socket.write(frame);
    after?.();
  }

  // ---- the protocol ----

  /**
   * Sends a request (deliver_sm) built for its sequence number; resolves with the response's
   * command_status, rejects when the connection closes first or after timeoutMs (if given).
   * `what` names the response in those errors.
   */
  protected sendRequest(frameFor: (sequence: number) => Buffer, what: string, timeoutMs?: number): Promise<number> {
    const sequence = this.socket.nextSequence();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (status: number | Error): void => {
        if (timer) clearTimeout(timer);
        this.awaiting.delete(sequence);
        if (status instanceof Error) reject(status);
        else resolve(status);
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => settle(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      }
      this.awaiting.set(sequence, { settle, what });
      this.socket.write(frameFor(sequence));
    });
  }

  /** Asks the peer to unbind (SMPP 3.4 §4.2); returns our unbind's sequence number. */
  protected sendUnbind(): number {
    this.ownUnbindSequence = this.socket.nextSequence();
    this.socket.write(encodeEmptyRequest(CommandId.unbind, this.ownUnbindSequence));
    return this.ownUnbindSequence;
  }

  /** unbind_resp to the peer's unbind goes out after every submit in hand is answered, so none is left unanswered. */
  protected finishPeerUnbindWhenIdle(): void {
    if (this.peerUnbindSequence === null || this.submitsInHand > 0) return;
    this.socket.write(encodeSimpleResponse(CommandId.unbindResp, 0, this.peerUnbindSequence));
    this.socket.end('unbind');
  }

  protected dispatch(pdu: DecodedPdu): void {
    const bindMode = BIND_BY_ID.get(pdu.commandId);
    if (bindMode) return this.onBindRequest(pdu, bindMode);
    if (isResponseId(pdu.commandId)) return this.onResponse(pdu);
    if (pdu.kind === 'malformed') {
      this.socket.write(encodeGenericNack(pdu.error.status, pdu.sequence));
      return;
    }
    switch (pdu.commandId) {
      case CommandId.enquireLink:
        this.onEnquireLink?.();
        return this.answer(encodeSimpleResponse(CommandId.enquireLinkResp, 0, pdu.sequence));
      case CommandId.unbind:
        this.peerUnbindSequence = pdu.sequence;
        return this.finishPeerUnbindWhenIdle();
      case CommandId.submitSm:
        return this.onSubmitRequest(pdu);
      default:
        if (!this.bind) {
          this.socket.write(encodeGenericNack(Status.invalidBindStatus, pdu.sequence));
          return;
        }
        this.socket.write(this.onOtherRequest?.(pdu) ?? encodeGenericNack(Status.invalidCommandId, pdu.sequence));
    }
  }

  private onResponse(pdu: DecodedPdu): void {
    if (pdu.commandId === CommandId.unbindResp) return this.onUnbindResp?.(pdu.sequence);
    // generic_nack answers a request of ours the peer could not read: it settles it like its response.
    if (pdu.commandId === CommandId.deliverSmResp || pdu.commandId === CommandId.genericNack) this.awaiting.get(pdu.sequence)?.settle(pdu.status);
    // enquire_link_resp and the rest: nothing to do
  }

  private onBindRequest(pdu: DecodedPdu, mode: BindMode): void {
    const respName = `${pdu.command}_resp`;
    if (this.bind) {
      this.socket.write(encodeGeneric(respName, pdu.sequence, {}, Status.alreadyBound));
      return;
    }
    if (pdu.kind !== 'generic') {
      this.socket.write(encodeSimpleResponse(responseIdFor(pdu.commandId), pdu.kind === 'malformed' ? pdu.error.status : Status.bindFailed, pdu.sequence));
      if (this.rules.closeOnRefusedBind) this.socket.end('unreadable bind');
      return;
    }
    const systemId = String(pdu.pdu.system_id ?? '');
    const status = this.authenticate(systemId, String(pdu.pdu.password ?? ''), mode);
    if (status !== 0) {
      this.socket.write(encodeGeneric(respName, pdu.sequence, {}, status));
      if (this.rules.closeOnRefusedBind) this.socket.end('bind refused');
      return;
    }
    this.bind = mode;
    this.systemId = systemId;
    this.answer(encodeGeneric(respName, pdu.sequence, { system_id: this.rules.serverSystemId }), () => {
      this.bindAnswered = true;
      this.onBound();
    });
  }

  private onSubmitRequest(pdu: DecodedPdu): void {
    const unbinding = this.rules.refuseSubmitsWhileUnbinding && this.ownUnbindSequence !== 0;
    if ((this.bind !== 'transmitter' && this.bind !== 'transceiver') || unbinding) {
      this.socket.write(encodeSimpleResponse(CommandId.submitSmResp, Status.invalidBindStatus, pdu.sequence));
      return;
    }
    if (pdu.kind === 'message') this.onSubmit(pdu.sequence, pdu.message);
  }
}
