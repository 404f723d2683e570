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

/** A given-up message whose delivery fails is tried this many times in all, the n-th retry after 2^(n-1) s. */
const GIVEN_UP_ATTEMPTS = 8;
const RETRY_BASE_MS = 1000;
/** Given-up messages waiting for a retry at most (each holds acknowledged text). */
const MAX_RETRY_MESSAGES = 1000;

/** Server mode: a copy of a held part was submitted again and given its own id; the held part lists it too. */
function addSubmittedCopy(held: InboundPart, copy: InboundPart): void {
  if (!copy.submitted || !held.submitted) return;
  const ids = (held.submitted.copyIds ??= []);
  if (copy.submitted.messageId !== held.submitted.messageId && !ids.includes(copy.submitted.messageId)) ids.push(copy.submitted.messageId);
  if (copy.submitted.receiptRequested) held.submitted.receiptRequested = true;
}

/** Two copies of one part: same sender, recipient, scope, concat header and text. */
function samePart(a: InboundPart, b: InboundPart): boolean {
  const x = a.concat;
  const y = b.concat;
  return (
    a.from === b.from &&
    a.to === b.to &&
    a.scope === b.scope &&
    a.text === b.text &&
    x !== undefined &&
    y !== undefined &&
    x.ref === y.ref &&
    x.refBits === y.refBits &&
    x.total === y.total &&
    x.seq === y.seq
  );
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
  /** Given-up messages whose delivery failed, to try again (a timer, or the next expiry). */
  private readonly retries: Array<{ message: AssembledMessage<InboundPart>; attempt: number }> = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: InboundPipelineOptions) {
    this.reassembler = new LongMessageReassembler<InboundPart>({
      ...options.reassembly,
      read: readInboundPart,
      onIncomplete: (message) => this.emitGivenUp(message, 0),
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

  /**
   * One decoded part: buffered (resolves at once) or, when it completes a message, delivered. When
   * that delivery fails, the other parts (acknowledged already: their sender will not send them
   * again) wait again, and the refused part, sent again, completes the message once more.
   */
  async handlePart(part: InboundPart): Promise<void> {
    if (this.closed) return;
    const outcome = this.reassembler.offer(part);
    if (outcome.kind === 'duplicate') {
      // Server mode: the application was given an id for this copy too and waits for its receipt.
      addSubmittedCopy(outcome.existing, part);
      return;
    }
    if (outcome.kind !== 'complete') return;
    try {
      await this.emitMessage(outcome.message);
    } catch (err) {
      if (outcome.message.parts.length > 1 && !this.closed) this.reassembler.putBack(outcome.message, part);
      throw err;
    }
  }

  /**
   * Stops the reassembly timer and hands out what still waits (acknowledged parts: their sender
   * will not send them again) as incomplete messages, in the background; a failure goes to
   * onBackgroundError. Returns how many were dropped without being handed out (0).
   */
  close(): number {
    const left = this.reassembler.drain();
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    const retries = this.retries.splice(0);
    for (const message of [...left, ...retries.map((r) => r.message)]) {
      this.emitMessage(message).catch((err: Error) => this.options.onBackgroundError?.(err));
    }
    return 0;
  }

  /**
   * Whether a part (a deliver_sm-shaped PDU, e.g. from a modem) is one this pipeline keeps and has
   * not delivered yet: waiting for the rest of its message, or in a given-up message to try again.
   */
  holds(message: InboundMessage): boolean {
    if (this.closed || receiptOf(message)) return false;
    const part = inboundPartFromPdu(message.pdu, message.receivedAt, { defaultCountry: this.options.defaultCountry, scope: '' });
    if (!part.concat) return false;
    if (this.reassembler.duplicateOf(part) !== undefined) return true;
    return this.retries.some(({ message: kept }) => kept.parts.some((p) => samePart(p, part)));
  }

  /** Gives up messages past their timeout and tries again those whose delivery failed; exposed for tests with an injected clock. */
  expireIncomplete(): void {
    this.reassembler.expire();
    this.retryFailed();
  }

  /** A message given up by the reassembler: delivered, or kept and tried again (its parts were acknowledged). */
  private emitGivenUp(message: AssembledMessage<InboundPart>, attempt: number): void {
    if (this.closed) return;
    this.emitMessage(message).catch((err: Error) => {
      if (this.closed) {
        this.options.onBackgroundError?.(err);
      } else if (attempt + 1 >= GIVEN_UP_ATTEMPTS || this.retries.length >= MAX_RETRY_MESSAGES) {
        this.options.onBackgroundError?.(new Error(`${err.message} (tried ${attempt + 1} time(s); the message is dropped)`));
      } else {
        this.retries.push({ message, attempt: attempt + 1 });
        const timer = setTimeout(
          () => {
            this.retryTimers.delete(timer);
            this.retryFailed();
          },
          RETRY_BASE_MS * 2 ** attempt,
        );
        timer.unref();
        this.retryTimers.add(timer);
      }
    });
  }

  private retryFailed(): void {
    for (const { message, attempt } of this.retries.splice(0)) this.emitGivenUp(message, attempt);
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
