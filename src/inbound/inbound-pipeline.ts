import { receiptOf } from '../dlr/receipt-pdu';
import type { DeliveryReceipt } from '../dlr/receipt-pdu';
import { asksForReceipt } from '../transport/smpp/server/client-receipt';
import { decimalReading, hexReading, normaliseId, tlvIdOf } from '../dlr/receipt-ids';
import type { IdFormat } from '../dlr/receipt-ids';
import type { OptOutStore } from '../optout/opt-out-store';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { InboundMessage } from '../transport/smpp/types';
import { LongMessageReassembler } from '../reassembly';
import type { AssembledMessage } from '../reassembly';
import type { EventFilter } from './event-filter';
import { inboundAddress } from './inbound-address';
import type { InboundEvent, ReceiptEvent } from './inbound-event';
import { inboundPartFromPdu } from './inbound-part';
import type { InboundPart } from './inbound-part';
import { messageEventOf, readInboundPart } from './message-event';
import { applyOptOutKeyword } from './opt-out-keywords';
import type { OptOutKeywordOptions } from './opt-out-keywords';

export interface InboundPipelineOptions {
  /** Goes into every event's `smsc` field. */
  smsc: string;
  /** 'server': messages carry the ESME's system_id. */
  source: 'carrier' | 'server' | 'modem';
  defaultCountry?: string;
  filter: EventFilter;
  /**
   * When set, STOP/START texts update this opt-out list. Server mode (submits of an application
   * bound to us) only with `trustServerSubmits`: the application writes the sender number itself,
   * so without it any bound application could opt anyone out or back in.
   */
  optOut?: OptOutKeywordOptions & { store: OptOutStore; trustServerSubmits?: boolean };
  reassembly?: { timeoutMs?: number; maxPendingGroups?: number; now?: () => number };
  /**
   * 'elsewhere': receipt PDUs of the bind are left to the carrier's receipt tracker (which records
   * them in Redis) and come in through handleReceipt from the shared feed, whichever process received them.
   */
  receiptsFrom?: 'pdus' | 'elsewhere';
  /** How the carrier writes the text id (the SMPP Carrier credential's setting, when fixed): adds the submit id it stands for to messageIdKeys. */
  receiptIdFormat?: IdFormat;
  /** Hands an event to the workflow; the PDU is acknowledged when this resolves, refused (and redelivered) when it rejects. */
  deliver: (event: InboundEvent) => Promise<void>;
  /** Failures with no PDU left to refuse: an incomplete message given up by the timer that could not be delivered. */
  onBackgroundError?: (error: Error) => void;
}

function iso(date: Date | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

/**
 * From PDUs to workflow events: receipt or message, reassembly of long messages, opt-out
 * keywords, then the node's filter. One pipeline per trigger; parts of a long message are
 * acknowledged as they are buffered, the part that completes it only after delivery.
 */
export class InboundPipeline {
  private readonly reassembler: LongMessageReassembler<InboundPart>;
  private closed = false;

  constructor(private readonly options: InboundPipelineOptions) {
    this.reassembler = new LongMessageReassembler<InboundPart>({
      ...options.reassembly,
      read: readInboundPart,
      onIncomplete: (message) => {
        if (this.closed) return;
        this.emitMessage(message).catch((err: Error) => this.options.onBackgroundError?.(err));
      },
    });
  }

  get pendingGroups(): number {
    return this.reassembler.pendingGroups;
  }

  /** An InboundHandler for SmppTransport and GsmModem: a deliver_sm-shaped PDU (MO message or delivery receipt). */
  readonly handleDeliver = (message: InboundMessage): Promise<void> => {
    if (this.closed) return Promise.resolve();
    const receipt = receiptOf(message);
    if (receipt) return this.options.receiptsFrom === 'elsewhere' ? Promise.resolve() : this.handleReceipt(receipt);
    return this.handleMessagePdu(message.pdu, message.receivedAt, '');
  };

  /** A delivery receipt (from a PDU of this bind, or recorded by any process); resolves once the workflow took it. */
  handleReceipt(receipt: DeliveryReceipt): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.deliverIfWanted(this.receiptEvent(receipt));
  }

  /** A submit_sm from an application bound to our SMPP server; `messageId` is what our submit_sm_resp gives it. */
  handleSubmit(pdu: MessagePdu, receivedAt: Date, systemId: string, messageId?: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    const part = inboundPartFromPdu(pdu, receivedAt, { defaultCountry: this.options.defaultCountry, scope: systemId });
    if (messageId !== undefined) part.submitted = { messageId, receiptRequested: asksForReceipt(pdu.registeredDelivery) };
    return this.handlePart(part);
  }

  /** One decoded part: buffered (resolves at once) or, when it completes a message, delivered. */
  async handlePart(part: InboundPart): Promise<void> {
    if (this.closed) return;
    const whole = this.reassembler.add(part);
    if (whole) await this.emitMessage(whole);
  }

  /** Stops the reassembly timer; returns how many unfinished long messages were dropped. */
  close(): number {
    this.closed = true;
    return this.reassembler.drain().length;
  }

  /** Exposed for tests with an injected clock. */
  expireIncomplete(): void {
    this.reassembler.expire();
  }

  private async handleMessagePdu(pdu: MessagePdu, receivedAt: Date, scope: string): Promise<void> {
    await this.handlePart(inboundPartFromPdu(pdu, receivedAt, { defaultCountry: this.options.defaultCountry, scope }));
  }

  private async emitMessage(message: AssembledMessage<InboundPart>): Promise<void> {
    const event = messageEventOf(message, this.options);
    // Opt-out applies whatever the filter says: a STOP must be honoured even if this workflow ignores it.
    const optOut = this.options.optOut;
    if (optOut && (this.options.source !== 'server' || optOut.trustServerSubmits === true)) await applyOptOutKeyword(event, optOut.store, optOut);
    await this.deliverIfWanted(event);
  }

  private receiptEvent(receipt: DeliveryReceipt): ReceiptEvent {
    const address = (addr: string, ton: number | undefined) => inboundAddress({ ton: ton ?? 0, npi: 1, addr }, this.options.defaultCountry);
    const event: ReceiptEvent = {
      type: 'receipt',
      messageId: receipt.messageId,
      messageIdKeys: this.matchKeys(receipt),
      status: receipt.status,
      final: receipt.final,
      // A receipt travels back: its destination is the original sender, its source the phone.
      from: address(receipt.from, receipt.fromTon),
      to: address(receipt.to, receipt.toTon),
      receivedAt: receipt.receivedAt.toISOString(),
      smsc: this.options.smsc,
    };
    if (receipt.carrierStatus !== undefined) event.carrierStatus = receipt.carrierStatus;
    if (receipt.error !== undefined) event.error = receipt.error;
    const submittedAt = iso(receipt.submittedAt);
    const doneAt = iso(receipt.doneAt);
    if (submittedAt) event.submittedAt = submittedAt;
    if (doneAt) event.doneAt = doneAt;
    if (receipt.tlvs) event.tlvs = receipt.tlvs;
    return event;
  }

  /**
   * The ids a workflow may match Send SMS's messageIds against: the exact one, and the submit id a
   * text id stands for only when the credential says the carrier writes the other base. Every
   * re-reading offered at once made the receipt of "10" match message "16" (0x10).
   */
  private matchKeys(receipt: DeliveryReceipt): string[] {
    if (receipt.messageId.trim() === '') return [];
    const keys = [normaliseId(receipt.messageId)];
    const format = this.options.receiptIdFormat;
    if (tlvIdOf(receipt.ids ?? {}) === undefined && (format === 'hex' || format === 'decimal')) {
      const submitId = format === 'hex' ? decimalReading(keys[0]) : hexReading(keys[0]);
      if (submitId !== null && submitId !== keys[0]) keys.push(submitId);
    }
    return keys;
  }

  private async deliverIfWanted(event: InboundEvent): Promise<void> {
    if (!this.options.filter(event)) return;
    await this.options.deliver(event);
  }
}
