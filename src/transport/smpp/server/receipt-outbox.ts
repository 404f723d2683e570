import { clientReceiptPdu, receiptDeadline, RECEIPT_HOLD_MS } from './client-receipt';
import type { ClientReceiptOutcome, ClientReceiptRequest } from './client-receipt';
import type { MessagePdu } from '../pdu/message-pdu';

/** A bound application connection that can take deliver_sm. */
export interface ReceiptTarget {
  /** Resolves with the deliver_sm_resp command_status; rejects when the connection closed first. */
  deliver(pdu: MessagePdu): Promise<number>;
}

export interface ReceiptOutboxHost {
  /** Receiving (receiver or transceiver) connections of an application's system_id, bound now. */
  targets(systemId: string): ReceiptTarget[];
  /** 'hold' while our submit_sm_resp for the id is not written yet, 'drop' when we refused that submit. */
  stateOf(messageId: string): 'ready' | 'hold' | 'drop';
}

interface Entry {
  request: ClientReceiptRequest;
  outcome: ClientReceiptOutcome;
  /** Let go after this (see receiptDeadline). */
  deadline: number;
  attempts: number;
  settle: (error?: Error) => void;
}

/** The receipt will never be delivered (expired, or the submit or the receipt was refused): a relay may forget it. */
export class ReceiptDropped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiptDropped';
  }
}

const ESME_RX_T_APPN = 0x64;
const ESME_RTHROTTLED = 0x58;
const MAX_REFUSALS = 5;

/**
 * Receipts waiting to go to the applications bound to our server, one queue per system_id. A
 * receipt goes on a receiving connection of that application; while none is bound it waits, and
 * goes when one binds (a reconnect), until the message's validity period ends. One lost with its
 * connection (no deliver_sm_resp) is sent again; the application may see it twice, never not at all.
 */
export class ReceiptOutbox {
  private readonly queues = new Map<string, Entry[]>();
  private readonly flushing = new Set<string>();
  private retryTimer: NodeJS.Timeout | null = null;
  /** Connections whose last deliver_sm got no answer (timed out), with when: tried last. */
  private readonly stalled = new WeakMap<ReceiptTarget, number>();

  /** Receipts let go without delivery (expired, refused, over the quota), each also reported to onDropped. */
  dropped = 0;

  constructor(
    private readonly host: ReceiptOutboxHost,
    private readonly options: {
      maxPerApplication?: number;
      retryMs?: number;
      holdMs?: number;
      now?: () => number;
      onDropped?: (error: ReceiptDropped, request: ClientReceiptRequest) => void;
    } = {},
  ) {}

  /** Resolves once the application acknowledged the receipt; rejects with ReceiptDropped when it expired or was refused for good, with another error when the server closed first. */
  send(request: ClientReceiptRequest, outcome: ClientReceiptOutcome): Promise<void> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(request.systemId);
      if (!queue) this.queues.set(request.systemId, (queue = []));
      const settle = (error?: Error): void => {
        if (error instanceof ReceiptDropped) {
          this.dropped++;
          this.options.onDropped?.(error, request);
        }
        if (error) reject(error);
        else resolve();
      };
      if (queue.length >= (this.options.maxPerApplication ?? 100_000)) {
        settle(new ReceiptDropped(`receipt for ${request.messageId} not queued: ${queue.length} receipts already wait for ${request.systemId}`));
        return;
      }
      const now = (this.options.now ?? Date.now)();
      queue.push({ request, outcome, deadline: receiptDeadline(request, outcome, now, this.options.holdMs ?? RECEIPT_HOLD_MS), attempts: 0, settle });
      this.flush(request.systemId);
    });
  }

  /** Receipts waiting for an application (tests, metrics). */
  waiting(systemId: string): number {
    return this.queues.get(systemId)?.length ?? 0;
  }

  /** Something changed for this application (it bound, a submit_sm_resp went out): try its queue now. */
  flush(systemId: string): void {
    if (this.flushing.has(systemId)) return;
    this.flushing.add(systemId);
    void this.drain(systemId).finally(() => this.flushing.delete(systemId));
  }

  flushAll(): void {
    for (const systemId of this.queues.keys()) this.flush(systemId);
  }

  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const queue of this.queues.values())
      for (const entry of queue.splice(0)) entry.settle(new Error('the SMPP server closed before the receipt was delivered'));
  }

  private async drain(systemId: string): Promise<void> {
    const queue = this.queues.get(systemId);
    while (queue && queue.length > 0) {
      const now = (this.options.now ?? Date.now)();
      const index = queue.findIndex((e) => e.deadline <= now || this.host.stateOf(e.request.messageId) !== 'hold');
      if (index < 0) return; // all held until their submit_sm_resp is written
      const entry = queue[index];
      if (entry.deadline <= now || this.host.stateOf(entry.request.messageId) === 'drop') {
        queue.splice(index, 1);
        entry.settle(
          new ReceiptDropped(
            entry.deadline <= now
              ? `receipt for ${entry.request.messageId} expired before ${systemId} bound to take it`
              : `submit ${entry.request.messageId} was refused, so no receipt is sent`,
          ),
        );
        continue;
      }
      const target = this.pick(this.host.targets(systemId));
      if (!target) return; // sent when the application binds
      const status = await target.deliver(clientReceiptPdu(entry.request, entry.outcome)).catch(() => null);
      if (status === null) this.stalled.set(target, (this.options.now ?? Date.now)());
      else this.stalled.delete(target);
      if (status === 0) {
        queue.splice(queue.indexOf(entry), 1);
        entry.settle();
        continue;
      }
      if (status !== null && status !== ESME_RX_T_APPN && status !== ESME_RTHROTTLED && ++entry.attempts >= MAX_REFUSALS) {
        queue.splice(queue.indexOf(entry), 1);
        entry.settle(
          new ReceiptDropped(`${systemId} refused the receipt for ${entry.request.messageId} ${MAX_REFUSALS} times (command_status 0x${status.toString(16)})`),
        );
        continue;
      }
      this.retryLater();
      return;
    }
    if (queue && queue.length === 0) this.queues.delete(systemId);
  }

  /**
   * The connection to try: one that answered its last deliver_sm first, else the one that stalled
   * longest ago. A bind that never reads must not hold up what the application's other bind takes.
   */
  private pick(targets: ReceiptTarget[]): ReceiptTarget | undefined {
    let best: ReceiptTarget | undefined;
    let bestSince = Infinity;
    for (const target of targets) {
      const since = this.stalled.get(target) ?? -1;
      if (since < bestSince) {
        best = target;
        bestSince = since;
      }
    }
    return best;
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flushAll();
    }, this.options.retryMs ?? 1000);
    this.retryTimer.unref();
  }
}
