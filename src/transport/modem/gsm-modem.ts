/**
 * A GSM modem as an SMS transport, on a ModemLink (open, initialise, reconnect): sends parts
 * with AT+CMGS (`submit()` is a PartSender, like SmppTransport's; see part-queue.ts), and
 * receives messages and status reports (see inbound-reader.ts).
 */
import type { MessagePdu } from '../smpp/pdu/message-pdu';
import { SmppSubmitError } from '../smpp/types';
import type { SubmitResult } from '../smpp/types';
import type { UnsolicitedEvent } from './at/unsolicited';
import { InboundReader } from './inbound-reader';
import { parseOperator, parseSignalQuality, readRegistration } from './modem-health';
import { ModemLink } from './modem-link';
import { PartQueue } from './part-queue';
import { PduError, buildSmsSubmit } from './pdu';
import { submitOptionsFromSmpp, submitsOfRequest } from './submit-from-smpp';
import type {
  GsmModemOptions,
  ModemInboundHandler,
  ModemPartHolder,
  ModemSendRequest,
  ModemSendResult,
  ModemTextHandler,
  OperatorInfo,
  Registration,
  SignalQuality,
} from './types';

/**
 * How long AT+CMGS may wait for the network: the network decides, and Quectel's EC25 manual gives
 * up to 120 s. A shorter wait would cut off sends the network is still taking.
 */
const DEFAULT_SEND_TIMEOUT_MS = 120_000;

export class GsmModem extends ModemLink {
  private expiryTimer: NodeJS.Timeout | null = null;
  private readonly parts: PartQueue;
  private readonly inbound: InboundReader;
  private readonly now: () => number;

  constructor(options: GsmModemOptions) {
    super(options);
    this.now = options.now ?? Date.now;
    this.parts = new PartQueue({
      label: this.label,
      maxAttempts: options.maxAttempts ?? 3,
      retryDelayMs: options.retryDelayMs ?? 2000,
      sendTimeoutMs: options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
      offlineLimitMs: options.offlineLimitMs ?? options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
      channel: () => (this.stateValue === 'ready' ? this.channel : null),
      format: () => this.format,
      simLost: (reason) => this.setUpAgain(reason),
    });
    this.inbound = new InboundReader(() => (this.stateValue === 'ready' ? this.channel : null), {
      device: options.path,
      memories: () => this.memories,
      format: () => this.format,
      acknowledge: () => this.acknowledgeDirect,
      concatTimeoutMs: options.concatTimeoutMs ?? 600_000,
      now: this.now,
      log: options.log,
    });
  }

  /** Parts waiting to be sent (including one being sent). */
  get queuedParts(): number {
    return this.parts.size;
  }

  protected linkReady(): void {
    this.parts.online();
    this.parts.pump();
    void this.inbound.linkReady();
  }

  protected synced(strayLines: string[]): void {
    if (strayLines.length > 0) this.options.log?.(`arrived unasked while getting in step: ${strayLines.join(' | ')}`);
    this.parts.synced(strayLines);
  }

  protected linkLost(reason: string): void {
    this.parts.offline(reason);
  }

  protected unsolicited(event: UnsolicitedEvent): void {
    this.inbound.onUnsolicited(event);
  }

  protected get busy(): boolean {
    return this.parts.size > 0;
  }

  protected failQueued(message: string, reason: 'closed' | 'retries_exhausted'): void {
    this.parts.failAll(message, reason);
  }

  protected started(): void {
    const sweepMs = Math.max(1000, Math.min(60_000, Math.floor((this.options.concatTimeoutMs ?? 600_000) / 4)));
    this.expiryTimer = setInterval(() => void this.inbound.expireIncomplete(), sweepMs);
    this.expiryTimer.unref();
  }

  protected stopped(): void {
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    this.expiryTimer = null;
    this.inbound.stop();
  }

  /**
   * Sends one text (all its parts, one after another); resolves with each part's reference, and
   * `possibleDuplicate` when a part had to be sent again after an attempt the network may have taken.
   */
  async send(request: ModemSendRequest): Promise<ModemSendResult> {
    const { to, encoding, parts } = submitsOfRequest(request, this.options.defaultCountry);
    const messageReferences: number[] = [];
    let possibleDuplicate = false;
    for (const built of parts) {
      const result = await this.enqueue(built);
      messageReferences.push(Number(result.messageId));
      possibleDuplicate ||= result.possibleDuplicate;
    }
    return { to, encoding, parts: parts.length, messageReferences, possibleDuplicate };
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

  /**
   * Registers a handler for every inbound part and status report; returns its remover. `holds`:
   * whether the handler still keeps a part it took (a part of a long message it has not delivered
   * yet); such a part stays on the SIM when the modem gives up its message.
   */
  addInboundHandler(handler: ModemInboundHandler, options: { holds?: ModemPartHolder } = {}): () => void {
    const holds = options.holds;
    if (holds) this.inbound.partHolders.add(holds);
    const remove = this.addHandler(this.inbound.inboundHandlers, handler);
    return () => {
      if (holds) this.inbound.partHolders.delete(holds);
      remove();
    };
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
}
