import { EventEmitter } from 'events';
import { backoffDelay } from './backoff';
import { connectAndBind } from './bind';
import { Status } from './command-status';
import { CommandId, RESPONSE_BIT } from './pdu/command-ids';
import { encodeMessagePdu } from './pdu/message-pdu';
import { encodeEmptyRequest, encodeGeneric, encodeGenericNack, encodeSimpleResponse, responseIdFor } from './pdu/pdu-codec';
import type { DecodedPdu } from './pdu/pdu-codec';
import type { SmppSocket } from './smpp-socket';
import { SubmitWindow } from './submit-window';
import type { WindowPolicy } from './submit-window';
import { InboundDispatcher } from './inbound-dispatcher';
import { RetiringLinks, unbindAndClose } from './retiring-links';
import { PendingRequests } from './pending-requests';
import { SmppBindError, SmppSubmitError } from './types';
import type {
  InboundHandler,
  SmppTransportOptions,
  SubmitOptions,
  SubmitReceiver,
  SubmitRequest,
  SubmitResult,
  TransportEvents,
  TransportMetrics,
  TransportState,
} from './types';

/** Settings the bind itself uses: changing one needs a fresh bind (see reconfigure). */
const BIND_SETTINGS = ['password', 'allowSelfSigned', 'checkHostname', 'connectTimeoutMs'] as const;

/**
 * An ESME session to one SMSC that stays up: binds, keeps the link alive with enquire_link,
 * reconnects with backoff and jitter, and runs every submit_sm through the SubmitWindow so that
 * nothing is lost across drops. One instance per credential per process (see src/registry).
 */
export class SmppTransport extends EventEmitter<TransportEvents> {
  private socket: SmppSocket | null = null;
  private stateValue: TransportState = 'idle';
  private readonly window: SubmitWindow;
  private readonly pending = new PendingRequests();
  private readonly inbound = new InboundDispatcher();
  private timers: NodeJS.Timeout[] = [];
  /** The response-timeout check, armed for the next answer due (see armTimeoutCheck). */
  private timeoutCheck: NodeJS.Timeout | null = null;
  private timersRunning = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private sessionCount = 0;
  private enquireOutstandingSince = 0;
  private reconnects = 0;
  private startPromise: Promise<void> | null = null;
  private gaveUpReason: string | null = null;
  /** Connections being wound down (the carrier's unbind, or ours after ESME_RINVBNDSTS): no new requests go there. */
  private readonly retiring = new RetiringLinks();
  readonly options: Required<
    Pick<
      SmppTransportOptions,
      'windowSize' | 'responseTimeoutMs' | 'enquireLinkMs' | 'reconnectBaseMs' | 'reconnectMaxMs' | 'reconnectAttempts' | 'maxAttempts'
    >
  > &
    SmppTransportOptions;

  constructor(options: SmppTransportOptions) {
    super();
    this.options = {
      windowSize: 10,
      responseTimeoutMs: 10_000,
      enquireLinkMs: 30_000,
      reconnectBaseMs: 500,
      reconnectMaxMs: 30_000,
      reconnectAttempts: 10,
      maxAttempts: 5,
      ...options,
    };
    if (!(this.options.windowSize >= 1)) throw new RangeError(`windowSize must be at least 1 (got ${options.windowSize})`);
    this.window = new SubmitWindow(this.windowPolicy(), (pdu) => this.writeSubmit(pdu), options.throttle);
    this.window.onWake = () => this.pump();
    this.window.onBindLost = () => this.rebind();
    this.window.observer = options.observer ?? null;
    this.window.sentDataCodings = options.sentDataCodings ?? null;
    // A failed first start leaves no listener for 'error'; keep Node from throwing on it.
    this.on('error', () => undefined);
  }

  private windowPolicy(): WindowPolicy {
    return {
      maxWindow: this.options.windowSize,
      maxAttempts: this.options.maxAttempts,
      maxThrottleMs: this.options.maxThrottleMs ?? 600_000,
      // A safety valve, not the flow control: callers (the broadcast pipeline, nodes) bound what
      // they have outstanding; 100,000 leaves room for ~25 concurrent broadcasts on one bind.
      maxQueued: this.options.maxQueued ?? 100_000,
      responseTimeoutMs: this.options.responseTimeoutMs,
      throttleDecreaseRatio: 0.5,
    };
  }

  get state(): TransportState {
    return this.stateValue;
  }

  /** Why nothing more can be sent (reconnecting was given up, or the transport was closed); null while usable. */
  unusableReason(): string | null {
    if (this.stateValue !== 'closing' && this.stateValue !== 'closed') return null;
    return this.gaveUpReason ?? `the SMPP connection ${this.label} was closed`;
  }

  /** Why it gave up reconnecting (set before it fails what it held); null while it has not. */
  get gaveUpBecause(): string | null {
    return this.gaveUpReason;
  }

  /** Which SMPP session of this transport's life the link is (1 for the first bind; each rebind adds 1). */
  get session(): number {
    return this.sessionCount;
  }

  get label(): string {
    return this.options.label ?? `${this.options.systemId}@${this.options.host}:${this.options.port}`;
  }

  /** Connects and binds once; rejects with SmppBindError when the first bind fails. */
  start(): Promise<void> {
    this.startPromise ??= this.firstBind();
    return this.startPromise;
  }

  private async firstBind(): Promise<void> {
    this.stateValue = 'connecting';
    try {
      await this.bindOnce();
    } catch (err) {
      this.stateValue = 'closed';
      throw err;
    }
    this.startTimers();
  }

  private async bindOnce(): Promise<void> {
    const { socket, peerSystemId, takeOver } = await connectAndBind(this.options);
    if (this.stateValue === 'closing' || this.stateValue === 'closed') {
      socket.destroy('transport closed while binding');
      return;
    }
    this.socket = socket;
    this.sessionCount++;
    this.stateValue = 'bound';
    this.reconnectAttempt = 0;
    this.enquireOutstandingSince = 0;
    socket.on('frameError', (err) => {
      socket.write(encodeGenericNack(Status.invalidCommandLength, 0));
      socket.end(`unreadable data from the carrier: ${err.message}`, 200);
    });
    socket.on('close', (reason) => this.onSocketClosed(socket, reason));
    this.emit('connected', { host: this.options.host, port: this.options.port });
    this.emit('bound', { systemId: peerSystemId, mode: this.options.bindMode ?? 'transceiver' });
    takeOver((pdu) => this.onPdu(socket, pdu));
    this.pump();
  }

  private startTimers(): void {
    this.timersRunning = true;
    if (this.options.enquireLinkMs > 0) {
      this.timers.push(setInterval(() => this.enquireLink(), this.options.enquireLinkMs));
    }
    for (const t of this.timers) t.unref();
    this.armTimeoutCheck();
  }

  /** New intervals after reconfigure (only once started: the first bind starts them). */
  private restartTimers(): void {
    if (!this.timersRunning) return;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.disarmTimeoutCheck();
    this.startTimers();
  }

  /**
   * Response timeouts are checked by one timer set for when the oldest answer (submit or
   * enquire_link) is due, not by a sweep every second: each wake-up of an idle process costs
   * 100-250 µs of CPU on a VM, so a sweep per second was 5 µs per message at 46 msg/s (window 1,
   * 20 ms), and it woke an idle transport every second for nothing. Armed when a submit is written
   * and nothing is armed; when it fires, it checks and re-arms for the answer due next, so a busy
   * transport wakes for it about once per response timeout and an idle one never. A late answer
   * is still found within the timeout (plus at most a quarter of it, as the sweep did, while a
   * link being wound down or not bound keeps one waiting).
   */
  private armTimeoutCheck(): void {
    if (this.timeoutCheck || !this.timersRunning) return;
    const due = this.nextAnswerDue();
    if (due === null) return;
    const sweepMs = Math.max(20, Math.min(1000, Math.floor(this.options.responseTimeoutMs / 4)));
    // Past due but not acted on (winding down, not bound): look again after a sweep's interval.
    const delay = due - performance.now();
    this.timeoutCheck = setTimeout(this.onTimeoutCheck, delay > 0 ? delay + 1 : sweepMs);
    this.timeoutCheck.unref();
  }

  private readonly onTimeoutCheck = (): void => {
    this.timeoutCheck = null;
    this.checkTimeouts();
    this.armTimeoutCheck();
  };

  private disarmTimeoutCheck(): void {
    if (this.timeoutCheck) clearTimeout(this.timeoutCheck);
    this.timeoutCheck = null;
  }

  /** When the oldest outstanding answer (a submit's or the enquire_link's) is due, or null. */
  private nextAnswerDue(): number | null {
    const submit = this.window.nextAnswerDeadline();
    const enquire = this.enquireOutstandingSince ? this.enquireOutstandingSince + this.options.responseTimeoutMs : null;
    if (submit === null) return enquire;
    return enquire === null ? submit : Math.min(submit, enquire);
  }

  submit(pdu: SubmitRequest, options: SubmitOptions = {}): Promise<SubmitResult> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const promise = this.window.enqueue(pdu, options);
    this.pump();
    return promise;
  }

  /**
   * submit() without a promise per message (a broadcast's hot path): `receiver` is told once how
   * it ended, possibly before this returns (see SubmitReceiver).
   */
  submitTo(pdu: SubmitRequest, options: SubmitOptions, receiver: SubmitReceiver): void {
    const refused = this.refusal();
    // A refusal goes through the window too: told in order, never nested in another receiver's call.
    this.window.enqueueTo(pdu, options, receiver, refused);
    if (!refused) this.pump();
  }

  /** Why a submit is refused at once (closed, or bound as a receiver), or null. */
  private refusal(): SmppSubmitError | null {
    if (this.stateValue === 'closing' || this.stateValue === 'closed') {
      return new SmppSubmitError(`the SMPP connection ${this.label} is closed`, 'closed');
    }
    if (this.options.bindMode === 'receiver') {
      return new SmppSubmitError(`the SMPP connection ${this.label} is bound as a receiver and cannot send; use transceiver or transmitter`, 'invalid');
    }
    return null;
  }

  /** Sends any other request (broadcast_sm, query_broadcast_sm, ...) and waits for its response. */
  request(command: string, fields: Record<string, unknown>): Promise<DecodedPdu> {
    const socket = this.socket;
    if (!socket || this.stateValue !== 'bound' || this.retiring.has(socket)) return Promise.reject(new Error(`the SMPP connection ${this.label} is not bound`));
    const seq = socket.nextSequence();
    const answer = this.pending.wait(seq, this.options.responseTimeoutMs, command);
    socket.write(encodeGeneric(command, seq, fields));
    return answer;
  }

  /**
   * Registers a handler for inbound deliver_sm; returns a function that removes it. The
   * deliver_sm_resp goes out only after every handler resolved (see InboundDispatcher).
   */
  addInboundHandler(handler: InboundHandler, options: { receiptsOnly?: boolean } = {}): () => void {
    return this.inbound.add(handler, options);
  }

  /** Parts waiting only for their sender's own TPS (TPS per Sender ID): the pool hands this bind other parts meanwhile. */
  get heldForSenderCount(): number {
    return this.window.heldForSenderCount;
  }

  metrics(): TransportMetrics {
    return {
      state: this.stateValue,
      window: this.window.currentWindow,
      inFlight: this.window.inFlightCount,
      queued: this.window.queuedCount,
      ...this.window.counters,
      reconnects: this.reconnects,
      deliverReceived: this.inbound.received,
    };
  }

  private pump(): void {
    const socket = this.socket;
    // A full window or an empty queue: nothing to write, and window.pump would do nothing (an
    // answer or a new submit pumps again; see SubmitWindow.wantsToWrite).
    const tokens = this.window.wantsToWrite
      ? this.window.pump(this.stateValue === 'bound' && socket !== null && socket.isOpen && !this.retiring.has(socket))
      : 0;
    if (this.timeoutCheck === null) this.armTimeoutCheck();
    // A TPS token is counted when it is taken, so its submit must leave soon: with the PDUs of
    // this callback, in one write (answers that arrive together each take a token; a write per
    // token cost ~15 µs per message at 20 ms / window 10), and at once when a long turn has held
    // them 1 ms. The throttle learns when they left (written): a write later than its tokens is
    // charged to the log when it happened, so no second at the SMSC holds more than the cap.
    if (tokens > 0 && socket) {
      this.unflushedTokens += tokens;
      this.options.observer?.tokensTaken(tokens);
      if (performance.now() - this.tokensHeldSince > 1 && this.tokensHeldSince > 0) socket.flushNow();
      else if (this.tokensHeldSince === 0) {
        this.tokensHeldSince = performance.now();
        socket.afterFlush(this.tokensFlushed);
      }
    }
  }

  /** Tokens taken whose submits wait in the socket's pending write, and since when. */
  private unflushedTokens = 0;
  private tokensHeldSince = 0;
  private readonly tokensFlushed = (): void => {
    const tokens = this.unflushedTokens;
    this.unflushedTokens = 0;
    this.tokensHeldSince = 0;
    if (tokens > 0) this.window.tokensWritten(tokens);
  };

  private writeSubmit(pdu: SubmitRequest): number | null {
    const socket = this.socket;
    if (!socket || !socket.isOpen || socket.peerUnbindRead || this.retiring.has(socket)) return null;
    const seq = socket.nextSequence();
    socket.write(encodeMessagePdu(CommandId.submitSm, seq, pdu));
    return seq;
  }

  private onPdu(socket: SmppSocket, pdu: DecodedPdu): void {
    if (this.retiring.has(socket)) {
      // Winding down: answers are still settled (they prove what the carrier took); requests
      // behind an unbind are not taken.
      if ((pdu.commandId & RESPONSE_BIT) === 0) return;
      this.onResponsePdu(pdu);
      this.retiring.answered(socket);
      return;
    }
    if (pdu.commandId & RESPONSE_BIT) return this.onResponsePdu(pdu);
    switch (pdu.commandId) {
      case CommandId.enquireLink:
        socket.write(encodeSimpleResponse(CommandId.enquireLinkResp, 0, pdu.sequence));
        return;
      case CommandId.unbind:
        // SMPP 3.4 §4.2: no new requests here; settle what is outstanding (our submits' answers,
        // and the deliver_sm being handed over, else the carrier redelivers them), then unbind_resp.
        this.retire(socket, () => {
          socket.write(encodeSimpleResponse(CommandId.unbindResp, 0, pdu.sequence));
          socket.end('the carrier unbound');
        });
        return;
      case CommandId.deliverSm:
        if (pdu.kind === 'message') {
          this.inbound.dispatch(socket, pdu.message, (status) =>
            socket.write(encodeSimpleResponse(responseIdFor(CommandId.deliverSm), status, pdu.sequence, '')),
          );
        } else socket.write(encodeSimpleResponse(CommandId.deliverSmResp, pdu.kind === 'malformed' ? pdu.error.status : Status.systemError, pdu.sequence));
        return;
      default:
        socket.write(encodeGenericNack(pdu.kind === 'malformed' ? pdu.error.status : Status.invalidCommandId, pdu.sequence));
    }
  }

  private onResponsePdu(pdu: DecodedPdu): void {
    if (pdu.commandId === CommandId.submitSmResp || (pdu.commandId === CommandId.genericNack && !this.pending.has(pdu.sequence))) {
      const messageId = pdu.kind === 'response' ? pdu.messageId : '';
      // A generic_nack "ESME_ROK" is no acceptance (no message id): retried, as possibly taken.
      const nackOk = pdu.commandId === CommandId.genericNack && pdu.status === 0;
      if (this.window.onResponse(pdu.sequence, nackOk ? Status.systemError : pdu.status, messageId, nackOk)) this.pump();
      return;
    }
    if (pdu.commandId === CommandId.enquireLinkResp) this.enquireOutstandingSince = 0;
    this.pending.answer(pdu);
  }

  /** Winds `socket` down (see RetiringLinks); `finish` ends it once what is outstanding is settled. */
  private retire(socket: SmppSocket, finish: () => void): void {
    this.retiring.retire(socket, {
      isDrained: () => this.window.inFlightCount === 0,
      settled: this.inbound.settled(socket).then(() => undefined),
      timeoutMs: this.options.responseTimeoutMs,
      finish,
    });
  }

  /**
   * New settings from a changed credential. The TPS throttle, window, attempts and timeouts apply
   * from the next write; a change to what the bind itself uses (password, TLS checks, connect
   * timeout) winds the current link down as a carrier's unbind would (the answers to what is in
   * flight are awaited, so nothing is resent unless it stays unanswered; nothing queued is
   * dropped) and binds again with the new settings. Resolves once bound again; rejects with the
   * bind error (reconnecting goes on as after any drop).
   */
  async reconfigure(options: SmppTransportOptions): Promise<void> {
    if (this.stateValue === 'closing' || this.stateValue === 'closed') return;
    const rebind = BIND_SETTINGS.some((key) => this.options[key] !== options[key]);
    const o = this.options as SmppTransportOptions;
    Object.assign(o, {
      password: options.password,
      allowSelfSigned: options.allowSelfSigned,
      checkHostname: options.checkHostname,
      connectTimeoutMs: options.connectTimeoutMs,
    });
    this.options.windowSize = options.windowSize ?? 10;
    this.options.responseTimeoutMs = options.responseTimeoutMs ?? 10_000;
    this.options.enquireLinkMs = options.enquireLinkMs ?? 30_000;
    o.throttle = options.throttle;
    o.label = options.label ?? o.label;
    this.window.reconfigure(this.windowPolicy(), options.throttle);
    this.restartTimers();
    const socket = this.socket;
    if (!rebind || !socket || this.retiring.has(socket)) {
      this.pump();
      return;
    }
    const rebound = new Promise<void>((resolve, reject) => {
      const settle = (err?: Error): void => {
        this.off('bound', onBound);
        this.off('error', settle);
        this.off('gaveUp', settle);
        if (err) reject(err);
        else resolve();
      };
      const onBound = (): void => settle();
      this.on('bound', onBound);
      this.on('error', settle);
      this.on('gaveUp', settle);
    });
    this.retire(socket, () => void unbindAndClose(socket, this.options.responseTimeoutMs, 'the credential changed: binding again with the new settings'));
    await rebound;
  }

  /** The carrier answered ESME_RINVBNDSTS: settle what is in flight, unbind, and bind again. */
  private rebind(): void {
    const socket = this.socket;
    if (!socket || this.retiring.has(socket)) return;
    this.retire(
      socket,
      () => void unbindAndClose(socket, this.options.responseTimeoutMs, 'the carrier answered ESME_RINVBNDSTS (incorrect bind status): binding again'),
    );
  }

  private enquireLink(): void {
    const socket = this.socket;
    if (!socket || this.stateValue !== 'bound' || this.retiring.has(socket)) return;
    if (this.enquireOutstandingSince && performance.now() - this.enquireOutstandingSince > this.options.responseTimeoutMs) {
      socket.destroy(`no enquire_link_resp within ${this.options.responseTimeoutMs} ms`);
      return;
    }
    if (!this.enquireOutstandingSince) this.enquireOutstandingSince = performance.now();
    socket.write(encodeEmptyRequest(CommandId.enquireLink, socket.nextSequence()));
    this.armTimeoutCheck();
  }

  private checkTimeouts(): void {
    // A link being wound down has its own deadline (RetiringLinks).
    if (this.socket && this.retiring.has(this.socket)) return;
    if (this.socket && this.stateValue === 'bound' && this.window.hasTimedOut()) {
      // One unanswered submit means the session is stuck or half-open: resending on it would only
      // duplicate, so we reconnect and resend what was in flight as possible duplicates.
      this.socket.destroy(`no submit_sm_resp within ${this.options.responseTimeoutMs} ms`);
    }
    if (this.enquireOutstandingSince && this.socket && performance.now() - this.enquireOutstandingSince > this.options.responseTimeoutMs) {
      this.socket.destroy(`no enquire_link_resp within ${this.options.responseTimeoutMs} ms`);
    }
  }

  private onSocketClosed(socket: SmppSocket, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.pending.failAll(reason);
    const inFlight = this.window.onLinkDown(reason);
    this.emit('disconnected', { reason, inFlight });
    if (this.stateValue === 'closing' || this.stateValue === 'closed') return;
    this.stateValue = 'reconnecting';
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnectAttempt++;
    const limit = this.options.reconnectAttempts;
    if (limit > 0 && this.reconnectAttempt > limit) {
      const error = new SmppBindError(`gave up reconnecting to ${this.label} after ${limit} attempts`, 'network');
      this.gaveUpReason = error.message;
      this.stateValue = 'closed';
      this.stopTimers();
      this.window.failAll(`${error.message}; the message was not sent`, 'retries_exhausted');
      this.emit('gaveUp', error);
      this.emit('closed');
      return;
    }
    const delayMs = this.reconnectAttempt === 1 ? 0 : backoffDelay(this.reconnectAttempt - 1, this.options.reconnectBaseMs, this.options.reconnectMaxMs);
    this.emit('reconnecting', { attempt: this.reconnectAttempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.bindOnce().then(
        () => this.reconnects++,
        (err: Error) => {
          this.emit('error', err);
          if (this.stateValue === 'reconnecting') this.scheduleReconnect();
        },
      );
    }, delayMs);
  }

  /** Stops taking sends, waits (bounded) for in-flight answers, unbinds and closes. */
  async close(drainTimeoutMs = 5000): Promise<void> {
    if (this.stateValue === 'closed') return;
    if (this.stateValue === 'closing') {
      await new Promise<void>((resolve) => this.once('closed', () => resolve()));
      return;
    }
    const wasBound = this.stateValue === 'bound';
    this.stateValue = 'closing';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const deadline = performance.now() + drainTimeoutMs;
    while (wasBound && this.socket && !this.window.idle && performance.now() < deadline) {
      this.window.pump(true);
      await new Promise((r) => setTimeout(r, 10));
    }
    this.window.failAll(`the SMPP connection ${this.label} was closed before the message was sent`, 'closed');
    const socket = this.socket;
    if (socket) await unbindAndClose(socket, 2000, 'closed');
    this.socket = null;
    this.stopTimers();
    this.stateValue = 'closed';
    this.emit('closed');
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.timersRunning = false;
    this.disarmTimeoutCheck();
    this.window.stop();
  }
}
