import { EventEmitter } from 'events';
import * as fs from 'fs';
import * as net from 'net';
import * as tls from 'tls';
import { decodeMessage, encodeMessage } from '../encoding';
import { formatReceiptText, MESSAGE_STATE } from '../transport/smpp/receipt-format/receipt-text';
import { CommandId } from '../transport/smpp/pdu/command-ids';
import { blankMessagePdu, encodeMessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import { SmppSocket } from '../transport/smpp/smpp-socket';
import { Status } from '../transport/smpp/command-status';
import { MessageStore } from './message-store';
import { SmscSession } from './smsc-session';
import type { SessionHost } from './smsc-session';
import { CellBroadcastCentre } from './cell-broadcast-centre';
import { PreciseWakeup } from './precise-wakeup';
import type { DecodedPdu } from '../transport/smpp/pdu/pdu-codec';
import type { ReceiptOutcome, SandboxFaults, SandboxOptions, StoredMessage } from './types';
import type { EncodedTlv } from '../tlv/custom-tlv';
import { describeTlv, inboundTlvs } from '../tlv/inbound-tlv';
import { parseSmppTime } from '../transport/smpp/pdu/smpp-time';
import type { MessageStateName } from '../transport/smpp/sent/message-state';
import { ScheduledMessages } from './scheduled-messages';
import { SentMessageDesk } from './sent-message-desk';

const STATE_OF_OUTCOME: Record<ReceiptOutcome, MessageStateName> = { DELIVRD: 'DELIVERED', UNDELIV: 'UNDELIVERABLE', EXPIRED: 'EXPIRED', REJECTD: 'REJECTED' };

const DEFAULT_FAULTS: SandboxFaults = {
  throttleRatio: 0,
  failRatio: 0,
  failStatus: Status.systemError,
  failDestinations: [],
  failParts: [],
  dropAfterSubmits: 0,
  stalled: false,
  latencyMs: 0,
};

export interface SandboxEvents {
  message: [message: StoredMessage];
  receipt: [message: StoredMessage];
  bound: [info: { systemId: string; mode: string }];
}

export interface InjectMoOptions {
  from: string;
  to: string;
  text: string;
  concat?: 'udh8' | 'udh16' | 'sar';
  systemId?: string;
  /** TLVs every part of the message carries (as a carrier adds an operator or a DLT id). */
  tlvs?: EncodedTlv[];
}

/**
 * A real SMSC for tests, the demo and benchmarks: binds with credentials, answers submit_sm
 * after a latency, records what it received, sends receipts, injects MO messages, and can be
 * told to throttle, fail, drop or stall.
 */
export class SandboxSmsc extends EventEmitter<SandboxEvents> implements SessionHost {
  readonly store: MessageStore;
  readonly faults: SandboxFaults;
  private server: net.Server | null = null;
  private readonly sessions = new Set<SmscSession>();
  private nextId = 1;
  private dropCountdown = 0;
  private readonly pendingDeliveries = new Map<string, Array<(s: SmscSession) => void>>();
  /** SMPP 5.0 cell broadcast (broadcast_sm, query_broadcast_sm, cancel_broadcast_sm); see cell-broadcast-centre.ts. */
  readonly cellBroadcast = new CellBroadcastCentre();
  /** Messages with a schedule_delivery_time still to come: on the phone only at their time, unless cancelled. */
  readonly scheduled = new ScheduledMessages((message, n) => this.release(message, n));
  /** query_sm, cancel_sm and replace_sm (see sent-message-desk.ts). */
  readonly sentMessages = new SentMessageDesk({
    scheduled: this.scheduled,
    delivered: (id) => this.store.get(id),
    stateOf: (message) => this.stateOf(message),
  });
  readonly stats = { binds: 0, bindFailures: 0, submits: 0, accepted: 0, throttled: 0, failed: 0, drops: 0, receiptsSent: 0, moSent: 0, enquireLinks: 0 };
  private readonly receiptTimers = new Set<NodeJS.Timeout>();
  private readonly recordFd: number | null;
  private readonly wakeup: PreciseWakeup | null;
  /** Present in benchmark mode only (see SandboxOptions.preciseLatency); sessions use timers otherwise. */
  readonly wakeAt?: (at: number) => void;

  constructor(readonly options: SandboxOptions = {}) {
    super();
    this.wakeup = options.preciseLatency ? new PreciseWakeup(() => this.sessions.forEach((s) => s.flushHeld())) : null;
    if (this.wakeup) {
      const wakeup = this.wakeup;
      this.wakeAt = (at) => wakeup.wakeAt(at);
    }
    this.store = new MessageStore(options.maxStoredMessages ?? 200_000);
    this.faults = { ...DEFAULT_FAULTS, ...options.faults };
    this.dropCountdown = this.faults.dropAfterSubmits;
    this.recordFd = options.recordFile ? fs.openSync(options.recordFile, 'a') : null;
  }

  async start(): Promise<{ port: number }> {
    const onConnection = (socket: net.Socket): void => {
      const session = new SmscSession(new SmppSocket(socket), this);
      session.number = ++this.sessionsOpened;
      this.sessions.add(session);
    };
    this.server = this.options.tls
      ? tls.createServer({ key: this.options.tls.key, cert: this.options.tls.cert }, onConnection)
      : net.createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 2775, this.options.host ?? '127.0.0.1', () => resolve());
    });
    return { port: this.port };
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  setFaults(faults: Partial<SandboxFaults>): SandboxFaults {
    Object.assign(this.faults, faults);
    if (faults.dropAfterSubmits !== undefined) this.dropCountdown = faults.dropAfterSubmits;
    if (faults.stalled === false) for (const s of this.sessions) s.flushHeld();
    return { ...this.faults };
  }

  /** Closes client connections abruptly (a network drop): every one, or the first `limit` (one bind of several). */
  dropConnections(limit = Infinity): number {
    let n = 0;
    for (const s of this.sessions) {
      if (n >= limit) break;
      s.socket.destroy('sandbox dropped the connection');
      n++;
    }
    this.stats.drops += n;
    return n;
  }

  /** Maintenance: asks every bound session to unbind, answering what each already took (see SmscSession.unbind). */
  unbindSessions(): number {
    let n = 0;
    for (const s of this.sessions) if (s.unbind()) n++;
    return n;
  }

  /** Bound sessions that can still carry PDUs (one that is ending after an unbind no longer counts). */
  get sessionCount(): number {
    return [...this.sessions].filter((s) => s.bind && s.socket.isOpen).length;
  }

  /** Each bound session: its account, submits taken and peak of answers outstanding (its client's window). */
  boundSessions(): Array<{ systemId: string; submits: number; maxOutstanding: number }> {
    return [...this.sessions].filter((s) => s.bind).map((s) => ({ systemId: s.systemId, submits: s.submits, maxOutstanding: s.maxOutstanding }));
  }

  /** Most sessions ever bound at once (checks a cap on binds across processes). */
  /** Connections opened so far (numbers each session). */
  private sessionsOpened = 0;
  peakSessionCount = 0;
  private deliveryTurn = 0;

  /**
   * Largest number of submits one session ever had unanswered at the server: a client's window as
   * the SMSC sees it, per bind. At latency 0 each is answered as it is read, so it sees one.
   */
  get maxOutstanding(): number {
    return Math.max(0, ...[...this.sessions].map((s) => s.maxOutstanding), this.closedMaxOutstanding);
  }
  private closedMaxOutstanding = 0;

  // ---- SessionHost ----
  onGeneric(session: SmscSession, pdu: DecodedPdu): Buffer | null {
    return this.sentMessages.handle(session, pdu) ?? this.cellBroadcast.handle(session, pdu);
  }

  authenticate(systemId: string, password: string): number {
    const accounts = this.options.accounts ?? [{ systemId: 'sandbox', password: 'sandbox' }];
    const account = accounts.find((a) => a.systemId === systemId);
    const ok = account !== undefined && account.password === password;
    if (ok) this.stats.binds++;
    else this.stats.bindFailures++;
    return ok ? 0 : Status.invalidPassword;
  }

  responseDelayMs(): number {
    return this.faults.latencyMs;
  }

  onEnquireLink(): void {
    this.stats.enquireLinks++;
  }

  isStalled(): boolean {
    return this.faults.stalled;
  }

  onBound(session: SmscSession): void {
    this.peakSessionCount = Math.max(this.peakSessionCount, this.sessionCount);
    this.emit('bound', { systemId: session.systemId, mode: session.bind ?? '' });
    if (session.canReceive) {
      const waiting = this.pendingDeliveries.get(session.systemId) ?? [];
      this.pendingDeliveries.delete(session.systemId);
      for (const deliver of waiting) deliver(session);
    }
  }

  onClosed(session: SmscSession): void {
    this.closedMaxOutstanding = Math.max(this.closedMaxOutstanding, session.maxOutstanding);
    this.sessions.delete(session);
  }

  onSubmit(session: SmscSession, pdu: MessagePdu): { status: number; messageId?: string; drop?: boolean } {
    this.stats.submits++;
    // When the bytes were read, not when this turn got to them: a TPS meter counts arrivals.
    if (this.options.recordMode !== 'none') this.store.submitTimes.push(performance.timeOrigin + (session.socket.lastReadAt || performance.now()));
    if (this.dropCountdown > 0 && --this.dropCountdown === 0) {
      // The SMSC took the message but the link died before the answer: the client must resend it
      // as a possible duplicate.
      this.accept(session, pdu);
      this.stats.drops++;
      return { status: 0, drop: true };
    }
    if (this.faults.throttleRatio > 0 && Math.random() < this.faults.throttleRatio) {
      this.stats.throttled++;
      return { status: Status.throttled };
    }
    if (
      this.faults.failDestinations.includes(pdu.destination.addr) ||
      (this.faults.failParts.length > 0 && this.faults.failParts.includes(partNumber(pdu))) ||
      (this.faults.failRatio > 0 && Math.random() < this.faults.failRatio)
    ) {
      this.stats.failed++;
      return { status: this.faults.failStatus };
    }
    return { status: 0, messageId: this.accept(session, pdu) };
  }

  private formatId(n: number): string {
    return this.options.messageIdFormat === 'decimal' ? String(n) : n.toString(16);
  }

  private accept(session: SmscSession, pdu: MessagePdu): string {
    const n = this.nextId++;
    const id = this.formatId(n);
    const now = Date.now();
    this.stats.accepted++;
    if (this.options.recordMode === 'none') return id;
    this.store.countDestination(`${pdu.destination.addr}|${pdu.shortMessage.toString('latin1')}|${pdu.tlvs.sar?.seqNum ?? ''}`, now);
    if (this.recordFd !== null) fs.writeSync(this.recordFd, `${pdu.destination.addr}\n`);
    if (this.options.recordMode === 'count') return id;
    const decoded = decodeSubmit(pdu);
    const message: StoredMessage = {
      id,
      systemId: session.systemId,
      session: session.number,
      from: pdu.source.addr,
      to: pdu.destination.addr,
      sourceTon: pdu.source.ton,
      sourceNpi: pdu.source.npi,
      destTon: pdu.destination.ton,
      destNpi: pdu.destination.npi,
      text: decoded.text,
      encoding: decoded.encoding,
      dataCoding: pdu.dataCoding,
      esmClass: pdu.esmClass,
      registeredDelivery: pdu.registeredDelivery,
      priority: pdu.priorityFlag,
      messageClass: decoded.messageClass,
      concat: decoded.concat,
      receivedAt: now,
      direction: 'mt',
    };
    if (pdu.serviceType) message.serviceType = pdu.serviceType;
    const tlvs = inboundTlvs(pdu.tlvs.received);
    if (tlvs.length > 0) message.tlvs = tlvs;
    const dueAt = pdu.scheduleDeliveryTime ? parseSmppTime(pdu.scheduleDeliveryTime, new Date(now))?.getTime() : undefined;
    if (dueAt !== undefined && dueAt > now) {
      // Held until its time: it has an ID (query, replace, cancel) but is not on the phone yet.
      message.scheduledFor = dueAt;
      this.scheduled.hold(message, n, dueAt);
      return id;
    }
    this.release(message, n);
    return id;
  }

  /** The message reaches the phone (the inbox, GET /api/messages) and its receipt is on its way. */
  private release(message: StoredMessage, n: number): void {
    this.store.add(message);
    this.emit('message', message);
    if (this.receiptWanted(message)) this.scheduleReceipt(message, n);
  }

  private outcomeOf(message: StoredMessage): ReceiptOutcome {
    const options = this.options.receipt;
    return options?.undeliveredTo?.includes(message.to) ? 'UNDELIV' : (options?.outcome ?? 'DELIVRD');
  }

  /** registered_delivery asks for a receipt (2: for failures only). */
  private receiptWanted(message: StoredMessage): boolean {
    const asked = message.registeredDelivery & 0x03;
    return asked !== 0 && !(asked === 2 && this.outcomeOf(message) === 'DELIVRD');
  }

  /** What query_sm answers for a message on the phone: its receipt's state, ENROUTE while the receipt is due, else its fate. */
  private stateOf(message: StoredMessage): { state: MessageStateName; at: number | null } {
    if (message.delivery) return { state: STATE_OF_OUTCOME[message.delivery.status as ReceiptOutcome] ?? 'UNKNOWN', at: message.delivery.at };
    if (this.receiptWanted(message)) return { state: 'ENROUTE', at: null };
    return { state: STATE_OF_OUTCOME[this.outcomeOf(message)], at: message.receivedAt };
  }

  private scheduleReceipt(message: StoredMessage, n: number): void {
    const options = this.options.receipt;
    const outcome = this.outcomeOf(message);
    const delayMs = options?.delayMs ?? 50;
    if (options?.intermediate) this.receiptAfter(delayMs, () => this.sendReceipt(message, n, options.intermediate!, false));
    this.receiptAfter(options?.intermediate ? delayMs * 2 : delayMs, () => this.sendReceipt(message, n, outcome, true));
  }

  private receiptAfter(delayMs: number, send: () => void): void {
    const timer = setTimeout(() => {
      this.receiptTimers.delete(timer);
      send();
    }, delayMs);
    this.receiptTimers.add(timer);
  }

  private sendReceipt(message: StoredMessage, n: number, stat: ReceiptOutcome | 'ENROUTE' | 'ACCEPTD', final: boolean): void {
    const format = this.options.receiptIdFormat ?? 'same';
    const textId = format === 'hex' ? n.toString(16) : format === 'decimal' ? String(n) : message.id;
    const text = formatReceiptText({
      id: textId,
      stat,
      submitDate: new Date(message.receivedAt),
      doneDate: new Date(),
      err: stat === 'DELIVRD' || !final ? '000' : '001',
      text: message.text,
    });
    const pdu = blankMessagePdu();
    pdu.source = { ton: message.destTon, npi: message.destNpi, addr: message.to };
    pdu.destination = { ton: message.sourceTon, npi: message.sourceNpi, addr: message.from };
    pdu.esmClass = final ? 0x04 : 0x20; // SMSC delivery receipt, or intermediate delivery notification
    pdu.shortMessage = Buffer.from(text, 'latin1');
    pdu.tlvs = { receiptedMessageId: message.id, messageState: MESSAGE_STATE[stat] };
    if (this.options.receipt?.tlvs?.length) pdu.tlvs.other = this.options.receipt.tlvs;
    if (final) message.delivery = { status: stat, at: Date.now() };
    void this.deliverTo(message.systemId, pdu).then((ok) => {
      if (ok && final) {
        this.stats.receiptsSent++;
        this.emit('receipt', message);
      }
    });
  }

  /** Delivers a deliver_sm to a receiving session of systemId, waiting for one to bind if none is. */
  deliverTo(systemId: string, pdu: MessagePdu, attempt = 1): Promise<boolean> {
    const receivers = [...this.sessions].filter((s) => s.systemId === systemId && s.canReceive && s.socket.isOpen);
    // Carriers deliver to any receiving bind of the account: the first, or each in turn when asked to.
    const session = this.options.spreadDeliveries ? receivers[this.deliveryTurn++ % Math.max(1, receivers.length)] : receivers[0];
    const send = async (s: SmscSession): Promise<boolean> => {
      const status = await s.deliver((seq) => encodeMessagePdu(CommandId.deliverSm, seq, pdu));
      if (status === 0) return true;
      if (attempt >= 5) return false;
      await new Promise((r) => setTimeout(r, 200 * attempt));
      return this.deliverTo(systemId, pdu, attempt + 1);
    };
    if (session) return send(session);
    return new Promise((resolve) => {
      const list = this.pendingDeliveries.get(systemId) ?? [];
      list.push((s) => void send(s).then(resolve));
      this.pendingDeliveries.set(systemId, list);
    });
  }

  /** Injects a mobile-originated message, as if the phone `from` texted `to`; resolves when the ESME acknowledged every part. */
  async injectMo(options: InjectMoOptions): Promise<{ parts: number; delivered: boolean }> {
    const systemId = options.systemId ?? this.options.accounts?.[0]?.systemId ?? 'sandbox';
    const encoded = encodeMessage(options.text, { concat: options.concat ?? 'udh8', maxParts: 255 });
    const now = Date.now();
    const record: StoredMessage = {
      id: `mo-${this.nextId++}`,
      systemId,
      from: options.from.replace(/^\+/, ''),
      to: options.to.replace(/^\+/, ''),
      sourceTon: 1,
      sourceNpi: 1,
      destTon: 1,
      destNpi: 1,
      text: options.text,
      encoding: encoded.encoding,
      dataCoding: encoded.dataCoding,
      esmClass: 0,
      registeredDelivery: 0,
      priority: 0,
      receivedAt: now,
      direction: 'mo',
    };
    if (options.tlvs?.length) record.tlvs = options.tlvs.map((t) => describeTlv(t.tag, t.value));
    this.store.add(record);
    this.emit('message', record);
    const results = await Promise.all(
      encoded.parts.map((part) => {
        const pdu = blankMessagePdu();
        pdu.source = { ton: 1, npi: 1, addr: record.from };
        pdu.destination = { ton: /^\d{3,8}$/.test(record.to) ? 0 : 1, npi: 1, addr: record.to };
        pdu.esmClass = part.udhi ? 0x40 : 0;
        pdu.dataCoding = part.dataCoding;
        pdu.shortMessage = part.shortMessage;
        pdu.tlvs = { sar: part.sar, messagePayload: part.messagePayload };
        if (options.tlvs?.length) pdu.tlvs.other = options.tlvs;
        return this.deliverTo(systemId, pdu);
      }),
    );
    this.stats.moSent++;
    return { parts: encoded.parts.length, delivered: results.every(Boolean) };
  }

  async stop(): Promise<void> {
    await this.wakeup?.close();
    for (const t of this.receiptTimers) clearTimeout(t);
    this.receiptTimers.clear();
    this.scheduled.clear();
    this.pendingDeliveries.clear();
    for (const s of this.sessions) s.socket.destroy('sandbox stopped');
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function decodeSubmit(pdu: MessagePdu): ReturnType<typeof decodeMessage> {
  return decodeMessage({
    dataCoding: pdu.dataCoding,
    esmClass: pdu.esmClass,
    shortMessage: pdu.shortMessage,
    messagePayload: pdu.tlvs.messagePayload,
    sar: pdu.tlvs.sar,
  });
}

/** Which part of a long message a submit carries (1 for a message of one part). */
function partNumber(pdu: MessagePdu): number {
  return decodeSubmit(pdu).concat?.seq ?? 1;
}
