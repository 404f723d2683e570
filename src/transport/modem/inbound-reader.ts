/**
 * The receiving side of a modem: reads stored messages (+CMTI, or AT+CMGL at start-up), hands
 * each part to the inbound handlers and whole texts to the text handlers, and deletes a message
 * from the SIM only after the handlers took it (a crash before that means it is read again, not
 * lost). Parts of an incomplete long message stay on the SIM until the rest arrives or they expire.
 * Status reports (+CDS, or stored with +CDSI) become receipts.
 */
import { decodeMessage } from '../../encoding';
import type { AtChannel } from './at/at-channel';
import type { UnsolicitedEvent } from './at/unsolicited';
import { ConcatAssembler } from './concat-assembler';
import type { AssembledMessage } from './concat-assembler';
import { deliverToMessagePdu, receiptFromStatusReport, statusReportToMessagePdu } from './inbound-pdu';
import type { SmsFormat } from './modem-init';
import { decodeModemPdu } from './pdu';
import { readStoredEntries } from './stored-entries';
import { textEntryToPdu } from './text-mode-codec';
import type { SmsDeliver, SmsStatusReport } from './pdu';
import type { ModemInboundHandler, ModemInboundMessage, ModemStorageSlot, ModemTextHandler } from './types';

interface HeldPart {
  slot: ModemStorageSlot;
  deliver: SmsDeliver;
  receivedAt: Date;
}

export interface InboundReaderOptions {
  device: string;
  /** The memory commands read from (<mem1>), and every memory the start-up scan lists. */
  memories: () => { read: string; scan: string[] };
  /** PDU or text mode, as the modem was set up. */
  format: () => SmsFormat;
  concatTimeoutMs: number;
  now: () => number;
  log?: (line: string) => void;
}

const sameSlot = (a: ModemStorageSlot) => (b: HeldPart): boolean => a.memory === b.slot.memory && a.index === b.slot.index;

export class InboundReader {
  readonly inboundHandlers = new Set<ModemInboundHandler>();
  readonly textHandlers = new Set<ModemTextHandler>();
  /** Handlers of status reports only (a sending node waiting for receipts): they never take an MO message off the SIM. */
  readonly reportHandlers = new Set<ModemInboundHandler>();
  private readonly assembler: ConcatAssembler<HeldPart>;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly channel: () => AtChannel | null, private readonly options: InboundReaderOptions) {
    this.assembler = new ConcatAssembler<HeldPart>(options.concatTimeoutMs, options.now);
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
    const run = this.chain.then(task).catch((err: Error) => this.options.log?.(`inbound: ${err.message}`));
    this.chain = run;
    return run;
  }

  onUnsolicited(event: UnsolicitedEvent): void {
    if (event.type === 'statusReport' || event.type === 'messageDelivered') {
      // +CDS / +CMT carry the PDU itself; nothing is stored, so nothing to delete.
      void this.enqueue(() => this.handlePdu(event.pdu, undefined));
    } else if (event.type === 'statusReportText') {
      const format = this.options.format();
      const entry = textEntryToPdu(`"REC UNREAD",${event.fields}`, undefined, format.mode === 'text' ? format.charset : 'IRA');
      if (entry) void this.enqueue(() => this.handlePdu(entry.pduHex, undefined));
    } else if ((event.type === 'messageStored' && this.listening) || (event.type === 'statusReportStored' && this.wantsReports)) {
      const slot = { memory: event.memory || this.options.memories().read, index: event.index };
      void this.enqueue(() => this.readSlot(slot));
    }
  }

  /** Reads everything waiting in every memory (start-up, reconnect, first handler added). */
  scanStored(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.wantsReports) return;
      for (const memory of this.options.memories().scan) {
        const all = this.options.format().mode === 'pdu' ? 'AT+CMGL=4' : 'AT+CMGL="ALL"';
        const lines = await this.withMemory(memory, (channel) => channel.run(all));
        await this.handleListing(memory, lines);
      }
    });
  }

  private async handleListing(memory: string, lines: string[]): Promise<void> {
    for (const entry of readStoredEntries(lines, '+CMGL:', this.options.format())) {
      const slot = { memory, index: entry.index ?? -1 };
      // <stat> 2/3 are our own stored drafts/sent messages; parts already held wait for the rest.
      if (entry.status > 1 || this.assembler.holds(sameSlot(slot))) continue;
      await this.handlePdu(entry.pduHex, slot);
    }
  }

  /** Hands out long messages whose missing parts did not come in time. */
  expireIncomplete(): Promise<void> {
    return this.enqueue(async () => {
      for (const message of this.assembler.expire()) await this.deliverText(message);
    });
  }

  private requireChannel(): AtChannel {
    const channel = this.channel();
    if (!channel) throw new Error(`${this.options.device} is not connected`);
    return channel;
  }

  /** Runs `task` with <mem1> switched to `memory` (a +CMTI/+CDSI can name another memory), then back. */
  private async withMemory<T>(memory: string, task: (channel: AtChannel) => Promise<T>): Promise<T> {
    const channel = this.requireChannel();
    const read = this.options.memories().read;
    if (memory === read) return task(channel);
    await channel.run(`AT+CPMS="${memory}"`);
    try {
      return await task(channel);
    } finally {
      await channel.run(`AT+CPMS="${read}"`).catch(() => undefined);
    }
  }

  private async readSlot(slot: ModemStorageSlot): Promise<void> {
    if (this.assembler.holds(sameSlot(slot))) return;
    const lines = await this.withMemory(slot.memory, (channel) => channel.run(`AT+CMGR=${slot.index}`));
    const [entry] = readStoredEntries(lines, '+CMGR:', this.options.format());
    if (entry) await this.handlePdu(entry.pduHex, slot); // none: an empty slot
  }

  private async deleteSlots(slots: ModemStorageSlot[]): Promise<void> {
    for (const slot of slots) await this.withMemory(slot.memory, (channel) => channel.run(`AT+CMGD=${slot.index}`));
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
      this.options.log?.(`unreadable PDU${slot ? ` at ${slot.memory} ${slot.index}` : ''} kept on the modem: ${(err as Error).message}`);
      return;
    }
    const receivedAt = new Date(this.options.now());
    if (decoded.type === 'statusReport') await this.handleReport(decoded, slot, receivedAt);
    // With only report handlers, an MO message stays on the SIM for the SMS Trigger to take later.
    else if (decoded.type === 'deliver' && this.listening) await this.handleDeliver(decoded, slot, receivedAt);
  }

  private async handleReport(report: SmsStatusReport, slot: ModemStorageSlot | undefined, receivedAt: Date): Promise<void> {
    const receipt = receiptFromStatusReport(report, receivedAt);
    const message: ModemInboundMessage = {
      pdu: statusReportToMessagePdu(report),
      receivedAt,
      modem: { kind: 'statusReport', device: this.options.device, report, receipt, ...(slot ? { storage: slot } : {}) },
    };
    if ((await this.runHandlers(message, [...this.inboundHandlers, ...this.reportHandlers])) && slot) await this.deleteSlots([slot]);
  }

  private async handleDeliver(deliver: SmsDeliver, slot: ModemStorageSlot | undefined, receivedAt: Date): Promise<void> {
    const pdu = deliverToMessagePdu(deliver);
    const decoded = decodeMessage({ dataCoding: pdu.dataCoding, esmClass: pdu.esmClass, shortMessage: pdu.shortMessage });
    const message: ModemInboundMessage = {
      pdu, receivedAt,
      modem: { kind: 'message', device: this.options.device, deliver, decoded, ...(slot ? { storage: slot } : {}) },
    };
    if (!(await this.runHandlers(message))) return; // stays on the SIM: read again at the next start
    const whole = this.assembler.add({ from: deliver.originator.address, decoded, token: { slot: slot ?? { memory: '', index: -1 }, deliver, receivedAt } });
    if (whole) await this.deliverText(whole);
  }

  private async deliverText(message: AssembledMessage<HeldPart>): Promise<void> {
    const first = message.parts[0].token;
    const text = {
      device: this.options.device,
      from: message.from,
      fromAlphanumeric: first.deliver.originator.ton === 5,
      text: message.text,
      parts: message.parts.length,
      totalParts: message.totalParts,
      complete: message.complete,
      encoding: message.parts[0].decoded.encoding,
      sentAt: first.deliver.serviceCentreTime.date,
      ...(first.deliver.smsc ? { smsc: first.deliver.smsc.address } : {}),
      receivedAt: message.parts[message.parts.length - 1].token.receivedAt,
    };
    const results = await Promise.allSettled([...this.textHandlers].map(async (handler) => handler(text)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      this.options.log?.(`text handler failed, message kept on the modem: ${(failed.reason as Error)?.message ?? failed.reason}`);
      return;
    }
    await this.deleteSlots(message.parts.map((p) => p.token.slot).filter((s) => s.index >= 0));
  }
}
