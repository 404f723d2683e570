/**
 * The receiving side of a modem: reads stored messages (+CMTI, or a scan of every memory at
 * start-up), hands each part to the inbound handlers and whole texts to the text handlers, and
 * deletes a message from the SIM only after the handlers took it (a crash before that means it
 * is read again, not lost). Parts of an incomplete long message stay on the SIM until the rest
 * arrives or they expire. Status reports (+CDS, or stored with +CDSI) become receipts.
 *
 * A slot is only an address: another program (or a phone holding the SIM) can free it and a new
 * message can land there while a part waits. So a +CMTI for a slot of a waiting part is read,
 * not ignored; a slot is checked to still hold the part before it is deleted; a second copy of
 * a part (the network repeats a part whose acknowledgement was lost) is deleted, not held.
 */
import { decodeMessage } from '../../encoding';
import type { DecodedMessage } from '../../encoding';
import { LongMessageReassembler } from '../../reassembly';
import type { AssembledMessage } from '../../reassembly';
import type { AtChannel } from './at/at-channel';
import type { UnsolicitedEvent } from './at/unsolicited';
import { deliverToMessagePdu, receiptFromStatusReport, statusReportToMessagePdu } from './inbound-pdu';
import { MessageStore } from './message-store';
import { decodeModemPdu } from './pdu';
import type { SmsDeliver, SmsStatusReport } from './pdu';
import type { SmsFormat } from './sms-format';
import { textEntryToPdu } from './text-mode-codec';
import type { ModemInboundHandler, ModemInboundMessage, ModemPartHolder, ModemStorageSlot, ModemTextHandler } from './types';

interface HeldPart {
  /** Where the part is stored; undefined once its slot was found holding another message. */
  slot?: ModemStorageSlot;
  pduHex: string;
  deliver: SmsDeliver;
  decoded: DecodedMessage;
  receivedAt: Date;
  /** What the inbound handlers were given for it. */
  message: ModemInboundMessage;
}

/** Parts of one originator join; the modem has one number, so there is no recipient to tell apart. */
const readHeldPart = (part: HeldPart) => ({
  sender: part.deliver.originator.address,
  concat: part.decoded.concat,
  text: part.decoded.text,
  endsInEscape: part.decoded.endsInEscape,
  textAfterEscape: part.decoded.textAfterEscape,
});

export interface InboundReaderOptions {
  device: string;
  /** The memory messages are read from (<mem1>), and every memory the start-up scan lists. */
  memories: () => { read: string; scan: string[] };
  /** PDU or text mode, as the modem was set up. */
  format: () => SmsFormat;
  /** +CSMS service 1: a +CDS / +CMT shown directly is acknowledged with AT+CNMA. */
  acknowledge?: () => boolean;
  concatTimeoutMs: number;
  now: () => number;
  log?: (line: string) => void;
}

/** After a failed read: the first rescan, doubling up to the last. */
const RESCAN_FIRST_MS = 2000;
const RESCAN_MAX_MS = 60_000;

const where = (slot: ModemStorageSlot): string => `${slot.memory} ${slot.index}`;
const sameSlot =
  (a: ModemStorageSlot) =>
  (b: HeldPart): boolean =>
    b.slot !== undefined && a.memory === b.slot.memory && a.index === b.slot.index;

export class InboundReader {
  readonly inboundHandlers = new Set<ModemInboundHandler>();
  readonly textHandlers = new Set<ModemTextHandler>();
  /** Handlers of status reports only (a sending node waiting for receipts): they never take an MO message off the SIM. */
  readonly reportHandlers = new Set<ModemInboundHandler>();
  /** Handlers' answers to "do you still keep this part?" (see GsmModem.addInboundHandler). */
  readonly partHolders = new Set<ModemPartHolder>();
  private readonly assembler: LongMessageReassembler<HeldPart>;
  /** Long messages given up (timeout, or pushed out by newer ones), to hand out in the inbound queue. */
  private givenUp: AssembledMessage<HeldPart>[] = [];
  private readonly store: MessageStore;
  private chain: Promise<void> = Promise.resolve();
  /** A read failed (SIM busy, memory not selectable): every memory is scanned again, soon. */
  private rescanDue = false;
  private rescanTimer: NodeJS.Timeout | null = null;
  private rescanDelayMs = RESCAN_FIRST_MS;
  /**
   * Slots whose message the handlers took but which are not deleted yet, with the PDU they held:
   * if the delete is cut off (the modem restarts, is unplugged), the next scan deletes the message
   * instead of handing it out again. Lost with the process: then it is read again, never lost.
   */
  private readonly handedOut = new Map<string, string>();

  constructor(
    private readonly channel: () => AtChannel | null,
    private readonly options: InboundReaderOptions,
  ) {
    // At most 1000 waiting (the default); no timer of its own: expiry runs in the inbound queue
    // (expireIncomplete), in order with reading the SIM and deleting from it.
    this.assembler = new LongMessageReassembler<HeldPart>({
      read: readHeldPart,
      timeoutMs: options.concatTimeoutMs,
      now: options.now,
      ownTimer: false,
      keepWaiting: (parts) => parts.some((part) => this.stillHeld(part)),
      onIncomplete: (message) => this.givenUp.push(message),
    });
    this.store = new MessageStore(options.format, options.log);
  }

  /** Someone takes MO messages: they may be read, handed out and deleted from the SIM. */
  get listening(): boolean {
    return this.inboundHandlers.size > 0 || this.textHandlers.size > 0;
  }

  private get wantsReports(): boolean {
    return this.listening || this.reportHandlers.size > 0;
  }

  /** Runs `task` after every earlier inbound task, so messages are handled in order. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task).catch((err: Error) => {
      this.options.log?.(`inbound: ${err.message}`);
      this.rescanLater();
    });
    this.chain = run;
    return run;
  }

  /** Something could not be read: scan every memory again after a pause (longer each time it fails again). */
  private rescanLater(): void {
    this.rescanDue = true;
    if (this.rescanTimer) return;
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = null;
      if (this.rescanDue && this.channel()) void this.scanStored();
    }, this.rescanDelayMs);
    this.rescanTimer.unref();
    this.rescanDelayMs = Math.min(RESCAN_MAX_MS, this.rescanDelayMs * 2);
  }

  /** The modem is closed: no more rescans. */
  stop(): void {
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = null;
  }

  /** The modem was (re)initialised: it has the read memory selected; read what waits. */
  linkReady(): Promise<void> {
    this.store.reset(this.options.memories().read);
    return this.scanStored();
  }

  onUnsolicited(event: UnsolicitedEvent): void {
    if (event.type === 'statusReport' || event.type === 'messageDelivered') {
      // +CDS / +CMT carry the PDU itself; nothing is stored, so nothing to delete.
      this.acknowledge();
      void this.enqueue(() => this.handlePdu(event.pdu, undefined));
    } else if (event.type === 'statusReportText') {
      this.acknowledge();
      const format = this.options.format();
      const entry = textEntryToPdu(`"REC UNREAD",${event.fields}`, undefined, format.mode === 'text' ? format.charset : 'IRA');
      if (entry) void this.enqueue(() => this.handlePdu(entry.pduHex, undefined));
    } else if ((event.type === 'messageStored' && this.listening) || (event.type === 'statusReportStored' && this.wantsReports)) {
      const slot = { memory: event.memory || this.options.memories().read, index: event.index };
      void this.enqueue(() => this.readSlot(slot));
    }
  }

  /** With +CSMS service 1 the modem waits for AT+CNMA, and stops showing reports without it. */
  private acknowledge(): void {
    if (this.options.acknowledge?.())
      this.channel()
        ?.run('AT+CNMA')
        .catch((err: Error) => this.options.log?.(`AT+CNMA: ${err.message}`));
  }

  /** Reads everything waiting in every memory (start-up, reconnect, first handler added, after a failed read). */
  scanStored(): Promise<void> {
    return this.enqueue(() => this.scan());
  }

  private async scan(): Promise<void> {
    if (!this.wantsReports) return;
    this.rescanDue = false;
    for (const memory of this.options.memories().scan) {
      for (const entry of await this.store.list(this.requireChannel(), memory)) {
        // <stat> 2/3 are our own stored drafts/sent messages.
        if (entry.status > 1 || entry.index === undefined) continue;
        await this.handleStored({ memory, index: entry.index }, entry.pduHex);
      }
    }
    if (!this.rescanDue) this.rescanDelayMs = RESCAN_FIRST_MS;
  }

  /** Hands out long messages whose missing parts did not come in time; scans again after a failed read. */
  expireIncomplete(): Promise<void> {
    return this.enqueue(async () => {
      if (this.rescanDue) await this.scan();
      this.assembler.expire();
      await this.deliverGivenUp();
    });
  }

  private requireChannel(): AtChannel {
    const channel = this.channel();
    if (!channel) throw new Error(`${this.options.device} is not connected`);
    return channel;
  }

  private async readSlot(slot: ModemStorageSlot): Promise<void> {
    const entry = await this.store.read(this.requireChannel(), slot);
    if (entry) await this.handleStored(slot, entry.pduHex); // none: an empty slot
  }

  private async handleStored(slot: ModemStorageSlot, pduHex: string): Promise<void> {
    if (pduHex === '') {
      this.options.log?.(`the entry at ${where(slot)} cannot be read; it stays there`);
      return;
    }
    const taken = this.handedOut.get(where(slot));
    if (taken === pduHex) {
      this.options.log?.(`${where(slot)} holds a message already handed out whose delete was cut off: deleted now`);
      await this.deleteTaken(this.requireChannel(), slot);
      return;
    }
    if (taken !== undefined) this.handedOut.delete(where(slot)); // another message in that slot now
    const held = this.assembler.find(sameSlot(slot));
    if (held) {
      if (held.pduHex === pduHex) return; // the part waiting for the rest of its message
      this.options.log?.(`${where(slot)} holds another message now: the waiting part that was there is gone from it`);
      held.slot = undefined;
    }
    await this.handlePdu(pduHex, slot);
  }

  private async runHandlers(message: ModemInboundMessage, handlers: Iterable<ModemInboundHandler> = this.inboundHandlers): Promise<boolean> {
    const results = await Promise.allSettled([...handlers].map(async (handler) => handler(message)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const f of failed) this.options.log?.(`inbound handler failed: ${(f.reason as Error)?.message ?? f.reason}`);
    return failed.length === 0;
  }

  private async handlePdu(hex: string, slot: ModemStorageSlot | undefined): Promise<void> {
    let decoded;
    try {
      decoded = decodeModemPdu(hex);
    } catch (err) {
      this.options.log?.(`unreadable PDU${slot ? ` at ${where(slot)}` : ''} kept on the modem: ${(err as Error).message}`);
      return;
    }
    const receivedAt = new Date(this.options.now());
    if (decoded.type === 'statusReport') await this.handleReport(decoded, slot, hex, receivedAt);
    // With only report handlers, an MO message stays on the SIM for the SMS Trigger to take later.
    else if (decoded.type === 'deliver' && this.listening) await this.handleDeliver(decoded, slot, hex, receivedAt);
  }

  private async handleReport(report: SmsStatusReport, slot: ModemStorageSlot | undefined, pduHex: string, receivedAt: Date): Promise<void> {
    const receipt = receiptFromStatusReport(report, receivedAt);
    const message: ModemInboundMessage = {
      pdu: statusReportToMessagePdu(report),
      receivedAt,
      modem: { kind: 'statusReport', device: this.options.device, report, receipt, ...(slot ? { storage: slot } : {}) },
    };
    if (!(await this.runHandlers(message, [...this.inboundHandlers, ...this.reportHandlers])) || !slot) return;
    this.handedOut.set(where(slot), pduHex);
    await this.deleteTaken(this.requireChannel(), slot);
  }

  /** Deletes a slot whose message was handed out, and forgets it once the delete went through. */
  private async deleteTaken(channel: AtChannel, slot: ModemStorageSlot): Promise<void> {
    await this.store.delete(channel, slot);
    this.handedOut.delete(where(slot));
  }

  private async handleDeliver(deliver: SmsDeliver, slot: ModemStorageSlot | undefined, pduHex: string, receivedAt: Date): Promise<void> {
    const pdu = deliverToMessagePdu(deliver);
    const decoded = decodeMessage({ dataCoding: pdu.dataCoding, esmClass: pdu.esmClass, shortMessage: pdu.shortMessage });
    const message: ModemInboundMessage = {
      pdu,
      receivedAt,
      modem: { kind: 'message', device: this.options.device, deliver, decoded, ...(slot ? { storage: slot } : {}) },
    };
    const part: HeldPart = { slot, pduHex, deliver, decoded, receivedAt, message };
    if (this.assembler.isRepeat(part)) {
      // The network sent this part twice (its acknowledgement was lost): the held copy, or the message it completed, stands for both.
      this.options.log?.(`a second copy of a part${slot ? ` at ${where(slot)}` : ''} was dropped`);
      if (slot) await this.store.delete(this.requireChannel(), slot);
      return;
    }
    if (!(await this.runHandlers(message))) return; // stays on the SIM: read again at the next start
    const outcome = this.assembler.offer(part);
    await this.deliverGivenUp(); // a message this part pushed out
    if (outcome.kind === 'complete') await this.deliverText(outcome.message);
  }

  private async deliverGivenUp(): Promise<void> {
    const messages = this.givenUp;
    this.givenUp = [];
    for (const message of messages) await this.deliverText(message);
  }

  private async deliverText(message: AssembledMessage<HeldPart>): Promise<void> {
    const first = message.parts[0];
    const text = {
      device: this.options.device,
      from: first.deliver.originator.address,
      fromAlphanumeric: first.deliver.originator.ton === 5,
      text: message.text,
      parts: message.parts.length,
      totalParts: message.totalParts,
      complete: message.missingParts.length === 0,
      encoding: first.decoded.encoding,
      sentAt: first.deliver.serviceCentreTime.date,
      ...(first.deliver.smsc ? { smsc: first.deliver.smsc.address } : {}),
      receivedAt: message.parts[message.parts.length - 1].receivedAt,
    };
    const results = await Promise.allSettled([...this.textHandlers].map(async (handler) => handler(text)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      this.options.log?.(`text handler failed, message kept on the modem: ${(failed.reason as Error)?.message ?? failed.reason}`);
      return;
    }
    // A message given up: a part an inbound handler still keeps (its own long message not delivered
    // yet) stays on the SIM; read again at the next scan, it goes to that handler as a copy.
    const parts = message.missingParts.length === 0 ? message.parts : message.parts.filter((part) => !this.stillHeld(part));
    if (parts.length < message.parts.length)
      this.options.log?.(
        `${message.parts.length - parts.length} part(s) of an unfinished long message left on the modem: an inbound handler has not delivered them yet`,
      );
    for (const part of parts) if (part.slot) this.handedOut.set(where(part.slot), part.pduHex);
    await this.deleteParts(parts, message.parts.length > 1);
  }

  private stillHeld(part: HeldPart): boolean {
    for (const holds of this.partHolders) if (holds(part.message)) return true;
    return false;
  }

  /** Deletes the parts' slots; parts that waited are deleted only if their slot still holds them. */
  private async deleteParts(parts: HeldPart[], waited: boolean): Promise<void> {
    const channel = this.requireChannel();
    for (const part of parts) {
      if (!part.slot) continue;
      if (waited && (await this.store.read(channel, part.slot))?.pduHex !== part.pduHex) {
        this.options.log?.(`${where(part.slot)} no longer holds the delivered part; left as it is`);
        this.handedOut.delete(where(part.slot));
        continue;
      }
      await this.deleteTaken(channel, part.slot);
    }
  }
}
