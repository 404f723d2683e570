/**
 * Receipts for the applications that submit to the SMS Trigger's SMPP server. When a submit asks
 * for one (registered_delivery), the trigger remembers the request under the message id our
 * server returned; the workflow later reports the outcome (Send SMS forwarding it, or an explicit
 * status) and the receipt goes back to the application's bind. In one process the request and the
 * server are at hand (MemoryApplicationReceipts); in queue mode the workflow runs on a worker, so
 * requests and outcomes go through Redis (RedisApplicationReceipts), and the trigger's process
 * relays them to its server (application-receipt-relay.ts).
 */
import type Redis from 'ioredis';
import { processWide } from '../process-wide/shared-resource-pool';
import { RECEIPT_HOLD_MS, wantsReceipt } from '../transport/smpp/server/client-receipt';
import type { ClientReceiptOutcome, ClientReceiptRequest } from '../transport/smpp/server/client-receipt';
import { isFinalStatus } from '../transport/smpp/receipt-format/receipt-status';

/** What reporting an outcome did: queued for the application, or nothing (it asked for no receipt, or the id is unknown here). */
export type ReportResult = 'queued' | 'not_requested';

/** Where a request's receipt goes in this process: the server the application submitted to. */
export type ReceiptSender = (request: ClientReceiptRequest, outcome: ClientReceiptOutcome) => Promise<void>;

export interface ApplicationReceipts {
  /** Keeps a request until its validity ends; `send` reaches the server it came in on (in this process). */
  remember(request: ClientReceiptRequest, send: ReceiptSender): Promise<void>;
  report(messageId: string, outcome: ClientReceiptOutcome): Promise<ReportResult>;
}

const MAX_REMEMBERED = 100_000;

/** Requests of this process, with the server each came in on (regular mode, no Redis). */
export class MemoryApplicationReceipts implements ApplicationReceipts {
  private readonly requests = new Map<string, { request: ClientReceiptRequest; send: ReceiptSender }>();

  /** holdMs: how long past the validity period a report is still taken (outcomes come late: EXPIRED always does). */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly holdMs = RECEIPT_HOLD_MS,
  ) {}

  async remember(request: ClientReceiptRequest, send: ReceiptSender): Promise<void> {
    const now = this.now();
    for (const [id, entry] of this.requests) {
      if (entry.request.validUntil + this.holdMs > now && this.requests.size < MAX_REMEMBERED) break;
      this.requests.delete(id);
    }
    this.requests.set(request.messageId, { request, send });
  }

  async report(messageId: string, outcome: ClientReceiptOutcome): Promise<ReportResult> {
    const entry = this.requests.get(messageId.trim());
    if (!entry || entry.request.validUntil + this.holdMs <= this.now() || !wantsReceipt(entry.request.registeredDelivery, outcome.status))
      return 'not_requested';
    if (isFinalStatus(outcome.status)) this.requests.delete(entry.request.messageId);
    // Delivery may wait for the application to bind; the server keeps it, so we do not wait here.
    void entry.send(entry.request, outcome).catch(() => undefined);
    return 'queued';
  }
}

/** The process-wide registry of regular mode. */
export function memoryApplicationReceipts(): MemoryApplicationReceipts {
  return processWide('applicationReceipts', () => new MemoryApplicationReceipts());
}

/** Where an application's receipts go: the listener its messages came in on, and its system_id there. */
export interface ReceiptRoute {
  listener: string;
  systemId: string;
}

/**
 * Redis keys (prefix P, the SMS Gateway Redis credential's): `P appdlr:req:<id>` requests,
 * `P appdlr:out:<listener>|<system_id>` a stream of receipts to send, one per listener and
 * application: the same system_id on another port or another n8n instance has its own.
 */
export function applicationReceiptKeys(prefix: string): { request: (id: string) => string; outbox: (route: ReceiptRoute) => string } {
  return {
    request: (id) => `${prefix}appdlr:req:${id}`,
    outbox: (route) => `${prefix}appdlr:out:${route.listener}|${route.systemId}`,
  };
}

/** Requests and outcomes in Redis, shared by the main (the trigger) and the workers (the workflows). */
export class RedisApplicationReceipts implements ApplicationReceipts {
  private readonly keys: ReturnType<typeof applicationReceiptKeys>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = applicationReceiptKeys(prefix);
  }

  async remember(request: ClientReceiptRequest): Promise<void> {
    // Kept for the hold window past the validity: outcomes come late (EXPIRED always does), and the receipt then waits that long for the application.
    const ttlMs = Math.max(1000, request.validUntil - this.now() + RECEIPT_HOLD_MS);
    await this.redis.set(this.keys.request(request.messageId), JSON.stringify(request), 'PX', ttlMs);
  }

  async report(messageId: string, outcome: ClientReceiptOutcome): Promise<ReportResult> {
    const key = this.keys.request(messageId.trim());
    const stored = await this.redis.get(key);
    const request = stored ? (JSON.parse(stored) as ClientReceiptRequest) : null;
    if (!request || !wantsReceipt(request.registeredDelivery, outcome.status)) return 'not_requested';
    const pipeline = this.redis
      .multi()
      .xadd(this.keys.outbox({ listener: request.listener ?? '', systemId: request.systemId }), '*', 'q', stored!, 'o', JSON.stringify(outcome));
    // After the final outcome the request is done: a second report (a retried execution) finds nothing.
    if (isFinalStatus(outcome.status)) pipeline.del(key);
    await pipeline.exec();
    return 'queued';
  }
}
