/**
 * A GSM modem as an SMS transport: opens the serial device, initialises it (PIN, PDU mode,
 * indications), sends parts with AT+CMGS (`submit()` is a PartSender, like SmppTransport's),
 * receives messages and status reports (see inbound-reader.ts), and reconnects with backoff when
 * the device disappears (USB modems re-enumerate) or stops answering.
 */
import { EventEmitter } from 'events';
import { existsSync } from 'fs';
import { backoffDelay } from '../smpp/backoff';
import type { MessagePdu } from '../smpp/pdu/message-pdu';
import { SmppSubmitError } from '../smpp/types';
import type { SubmitResult } from '../smpp/types';
import { AtChannel } from './at/at-channel';
import type { ByteLink } from './at/byte-link';
import { InboundReader } from './inbound-reader';
import type { MemoryChoice, ModemIdentity } from './modem-capabilities';
import { parseOperator, parseSignalQuality, readRegistration } from './modem-health';
import { initializeModem } from './modem-init';
import { ModemInitError } from './modem-init-error';
import { PartQueue } from './part-queue';
import { PduError, buildSmsSubmit } from './pdu';
import { openSerialLink } from './serial-link';
import { submitOptionsFromSmpp, submitsOfRequest } from './submit-from-smpp';
import type {
  GsmModemEvents, GsmModemOptions, ModemInboundHandler, ModemSendRequest, ModemSendResult, ModemState, ModemTextHandler,
  OperatorInfo, Registration, SignalQuality, StatusReportRouting,
} from './types';

export class GsmModem extends EventEmitter<GsmModemEvents> {
  private stateValue: ModemState = 'idle';
  private link: ByteLink | null = null;
  private channel: AtChannel | null = null;
  private openPromise: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private statusReportRouting: StatusReportRouting = 'none';
  private identityValue: ModemIdentity = {};
  private memoryChoice: MemoryChoice;
  private readonly parts: PartQueue;
  private readonly inbound: InboundReader;
  private readonly now: () => number;

  constructor(readonly options: GsmModemOptions) {
    super();
    this.now = options.now ?? Date.now;
    const storage = options.storage ?? 'SM';
    this.memoryChoice = { read: storage, receive: storage, scan: [storage] };
    this.parts = new PartQueue({
      label: this.label,
      maxAttempts: options.maxAttempts ?? 3,
      retryDelayMs: options.retryDelayMs ?? 2000,
      sendTimeoutMs: options.sendTimeoutMs ?? 60_000,
      offlineLimitMs: options.offlineLimitMs ?? options.sendTimeoutMs ?? 60_000,
      channel: () => (this.stateValue === 'ready' ? this.channel : null),
    });
    this.inbound = new InboundReader(() => (this.stateValue === 'ready' ? this.channel : null), {
      device: options.path,
      memories: () => this.memoryChoice,
      concatTimeoutMs: options.concatTimeoutMs ?? 600_000,
      now: this.now,
      log: options.log,
    });
    // A failed first open leaves no listener for 'error'; keep Node from throwing on it.
    this.on('error', () => undefined);
  }

  get state(): ModemState {
    return this.stateValue;
  }

  get label(): string {
    return this.options.label ?? `GSM modem ${this.options.path}`;
  }

  /** How status reports reach us with this modem: +CDS, stored (+CDSI), or not at all. */
  get statusReports(): StatusReportRouting {
    return this.statusReportRouting;
  }

  /** Who the modem says it is (+CGMI, +CGMM, +CGMR), as read at the last initialisation. */
  get identity(): ModemIdentity {
    return this.identityValue;
  }

  /** The message memories in use: read from, received into, scanned at start-up. */
  get memories(): MemoryChoice {
    return this.memoryChoice;
  }

  /** Parts waiting to be sent (including one being sent). */
  get queuedParts(): number {
    return this.parts.size;
  }

  /** Opens and initialises the modem once; rejects with ModemOpenError / ModemInitError. */
  open(): Promise<void> {
    this.openPromise ??= this.firstOpen();
    return this.openPromise;
  }

  private async firstOpen(): Promise<void> {
    this.stateValue = 'opening';
    try {
      await this.connect();
    } catch (err) {
      this.stateValue = 'closed';
      throw err;
    }
    const sweepMs = Math.max(1000, Math.min(60_000, Math.floor((this.options.concatTimeoutMs ?? 600_000) / 4)));
    this.expiryTimer = setInterval(() => void this.inbound.expireIncomplete(), sweepMs);
    this.expiryTimer.unref();
    const keepAliveMs = this.options.keepAliveMs ?? 30_000;
    if (keepAliveMs > 0) {
      this.keepAliveTimer = setInterval(() => this.keepAlive(), keepAliveMs);
      this.keepAliveTimer.unref();
    }
    this.emit('ready');
  }

  private async connect(): Promise<void> {
    const link = await openSerialLink({ path: this.options.path, baudRate: this.options.baudRate ?? 115_200 });
    const channel = new AtChannel(link, { defaultTimeoutMs: this.options.commandTimeoutMs ?? 10_000, log: this.options.log });
    channel.on('unsolicited', (event) => this.inbound.onUnsolicited(event));
    link.onClose((reason) => this.onLinkClosed(link, reason));
    this.link = link;
    this.channel = channel;
    try {
      const result = await initializeModem(channel, {
        device: `${this.options.path} at ${this.options.baudRate ?? 115_200} baud`,
        pin: this.options.pin, smsc: this.options.smsc, storage: this.options.storage, log: this.options.log,
        probeTimeoutMs: Math.min(2000, this.options.commandTimeoutMs ?? 10_000), readyTimeoutMs: this.options.readyTimeoutMs,
      });
      this.statusReportRouting = result.statusReports;
      this.identityValue = result.identity;
      this.memoryChoice = result.memories;
    } catch (err) {
      this.link = null;
      this.channel = null;
      await link.close();
      throw err;
    }
    if (this.stateValue === 'closing' || this.stateValue === 'closed') {
      // close() ran while we were initialising: do not leave the port open behind it.
      if (this.link === link) this.link = null;
      this.channel = null;
      await link.close();
      return;
    }
    // From here on, a command without an answer means a hung modem: reset the link.
    channel.on('timeout', (error) => this.resetLink(link, error.message));
    this.stateValue = 'ready';
    this.reconnectAttempt = 0;
    this.parts.online();
    this.parts.pump();
    void this.inbound.scanStored();
  }

  /** Sends one text (all its parts, one after another); resolves with each part's reference. */
  async send(request: ModemSendRequest): Promise<ModemSendResult> {
    const { to, encoding, parts } = submitsOfRequest(request, this.options.defaultCountry);
    const messageReferences: number[] = [];
    for (const built of parts) messageReferences.push(Number((await this.enqueue(built)).messageId));
    return { to, encoding, parts: parts.length, messageReferences };
  }

  /** PartSender: sends one SMPP-style part (from src/gateway) through the modem. */
  submit(pdu: MessagePdu): Promise<SubmitResult> {
    try {
      return this.enqueue(buildSmsSubmit(submitOptionsFromSmpp(pdu, { now: this.now() })));
    } catch (err) {
      if (err instanceof PduError) return Promise.reject(new SmppSubmitError(`${this.label} cannot send this message: ${err.message}`, 'invalid'));
      return Promise.reject(err);
    }
  }

  private enqueue(built: ReturnType<typeof buildSmsSubmit>): Promise<SubmitResult> {
    if (this.stateValue === 'closing' || this.stateValue === 'closed') {
      return Promise.reject(new SmppSubmitError(`${this.label} is closed`, 'closed'));
    }
    return this.parts.enqueue(built);
  }

  /** Registers a handler for every inbound part and status report; returns its remover. */
  addInboundHandler(handler: ModemInboundHandler): () => void {
    return this.addHandler(this.inbound.inboundHandlers, handler);
  }

  /**
   * Registers a handler for status reports only (to match receipts to sent messages); returns its
   * remover. Unlike addInboundHandler, it never takes MO messages off the SIM.
   */
  addReportHandler(handler: ModemInboundHandler): () => void {
    return this.addHandler(this.inbound.reportHandlers, handler);
  }

  /** Registers a handler for whole (reassembled) inbound texts; returns its remover. */
  addTextHandler(handler: ModemTextHandler): () => void {
    return this.addHandler(this.inbound.textHandlers, handler);
  }

  private addHandler<H>(handlers: Set<H>, handler: H): () => void {
    handlers.add(handler);
    if (this.stateValue === 'ready') void this.inbound.scanStored();
    return () => handlers.delete(handler);
  }

  /** Delivers long messages whose missing parts have waited past concatTimeoutMs (also runs on a timer). */
  flushIncomplete(): Promise<void> {
    return this.inbound.expireIncomplete();
  }

  async signal(): Promise<SignalQuality> {
    return parseSignalQuality(await this.command('AT+CSQ'));
  }

  /** Registered when the CS, LTE or packet domain is (+CREG, +CEREG, +CGREG, those the modem has). */
  registration(): Promise<Registration> {
    return readRegistration((command) => this.command(command));
  }

  async operator(): Promise<OperatorInfo> {
    return parseOperator(await this.command('AT+COPS?'));
  }

  /** Runs a raw AT command on the ready modem (diagnostics). */
  command(command: string): Promise<string[]> {
    const channel = this.stateValue === 'ready' ? this.channel : null;
    if (!channel) return Promise.reject(new Error(`${this.label} is not ready (state: ${this.stateValue})`));
    return channel.run(command);
  }

  /**
   * A pty or a USB port does not always report a vanished device on the read side; a periodic
   * AT on an idle modem finds it (the write fails) as well as a hung modem (no answer). While a
   * send waits for its answer, the device path is checked instead (a Unix device node goes away
   * with the device), so an unplug mid-send is not noticed only when the send times out.
   */
  private keepAlive(): void {
    const channel = this.stateValue === 'ready' ? this.channel : null;
    if (!channel || !this.link) return;
    if (this.options.path.startsWith('/') && !existsSync(this.options.path)) {
      this.resetLink(this.link, `the device ${this.options.path} disappeared`);
      return;
    }
    if (this.parts.size === 0) channel.run('AT').catch(() => undefined);
  }

  private resetLink(link: ByteLink, reason: string): void {
    if (link !== this.link) return;
    this.onLinkClosed(link, `the modem stopped answering (${reason})`);
    void link.close();
  }

  private onLinkClosed(link: ByteLink, reason: string): void {
    if (link !== this.link) return;
    this.link = null;
    this.channel?.close(reason);
    this.channel = null;
    if (this.stateValue !== 'ready') return; // closing, or still initialising (connect() reports it)
    this.stateValue = 'reconnecting';
    this.parts.offline(reason);
    this.emit('disconnected', { reason });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnectAttempt++;
    const limit = this.options.reconnectAttempts ?? 0;
    if (limit > 0 && this.reconnectAttempt > limit) {
      this.giveUp(new Error(`${this.label}: gave up reconnecting after ${limit} attempts`));
      return;
    }
    const delayMs = backoffDelay(this.reconnectAttempt, this.options.reconnectBaseMs ?? 500, this.options.reconnectMaxMs ?? 30_000);
    this.emit('reconnecting', { attempt: this.reconnectAttempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().then(
        () => {
          if (this.stateValue === 'ready') this.emit('reconnected');
        },
        (err: Error) => {
          if (this.stateValue !== 'reconnecting') return;
          this.emit('error', err);
          // Never try a wrong PIN again: three wrong PINs lock the SIM.
          if (err instanceof ModemInitError && err.permanent) this.giveUp(err);
          else this.scheduleReconnect();
        },
      );
    }, delayMs);
  }

  private giveUp(error: Error): void {
    this.stateValue = 'closed';
    this.stopTimers();
    this.parts.failAll(`${error.message}; the SMS was not sent`, 'retries_exhausted');
    this.emit('gaveUp', error);
    this.emit('closed');
  }

  private stopTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.reconnectTimer = null;
    this.expiryTimer = null;
    this.keepAliveTimer = null;
  }

  /** Stops sending (queued parts fail with reason 'closed') and closes the port. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed' || this.stateValue === 'closing') return;
    this.stateValue = 'closing';
    this.stopTimers();
    this.parts.failAll(`${this.label} was closed before the SMS was sent`, 'closed');
    const link = this.link;
    this.link = null;
    this.channel?.close('closed');
    this.channel = null;
    await link?.close();
    this.stateValue = 'closed';
    this.emit('closed');
  }
}
