import type Redis from 'ioredis';
import { processWide } from '../process-wide/shared-resource-pool';
import { ackAndDelete, StreamGroupReader } from '../redis/redis-stream-group';
import type { ClientReceiptOutcome, ClientReceiptRequest } from '../transport/smpp/server/client-receipt';
import { ReceiptDropped } from '../transport/smpp/server/receipt-outbox';
import { applicationReceiptKeys } from './application-receipts';
import type { ReceiptRoute, ReceiptSender } from './application-receipts';

const GROUP = 'smpp-server';
// One consumer name for every start of the trigger's process: a restarted main reads on from the
// receipts it had taken but not delivered (its pending entries) instead of leaving them behind.
const CONSUMER = 'n8n-main';

export interface RelayOptions {
  blockMs?: number;
  /** Receipts taken from Redis and not yet delivered or let go, at most (default 1,000); the rest wait in the stream. */
  maxInFlight?: number;
  onError?: (error: Error) => void;
}

/**
 * Moves receipts the workers reported (RedisApplicationReceipts.report) to this process's SMPP
 * server: a consumer group on the application's outbox stream, each entry acknowledged (and
 * deleted) only once the application took the receipt, or it expired. Entries taken and not yet
 * delivered when the process stops are read again by the next start.
 */
class ApplicationReceiptRelay {
  private readonly reader: StreamGroupReader;
  private readonly key: string;
  /** Entries handed to the server and not settled: reading pauses at maxInFlight (backpressure). */
  private inFlight = 0;
  private wakeReader: (() => void) | null = null;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    route: ReceiptRoute,
    private readonly send: ReceiptSender,
    private readonly options: RelayOptions,
  ) {
    this.key = applicationReceiptKeys(prefix).outbox(route);
    this.reader = new StreamGroupReader(
      redis,
      { key: this.key, group: GROUP, consumer: CONSUMER, startAt: '0', blockMs: options.blockMs, onError: options.onError, canRead: () => this.room() },
      (id, fields) => this.deliver(id, fields),
    );
  }

  stop(): void {
    this.reader.stop();
    this.wakeReader?.();
  }

  /** Resolves once fewer than maxInFlight receipts are in hand. */
  private room(): Promise<void> {
    if (this.inFlight < (this.options.maxInFlight ?? 1000)) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeReader = resolve;
    });
  }

  private settled(): void {
    this.inFlight--;
    if (this.wakeReader && this.inFlight < (this.options.maxInFlight ?? 1000)) {
      const wake = this.wakeReader;
      this.wakeReader = null;
      wake();
    }
  }

  private deliver(id: string, fields: string[]): void {
    const field = (name: string): string | undefined => fields[fields.indexOf(name) + 1];
    let request: ClientReceiptRequest;
    let outcome: ClientReceiptOutcome;
    try {
      request = JSON.parse(field('q') ?? '') as ClientReceiptRequest;
      outcome = JSON.parse(field('o') ?? '') as ClientReceiptOutcome;
    } catch {
      // Not ours to read: kept beside the stream for a person to look at, never acknowledged away unseen.
      void this.redis
        .xadd(`${this.key}:dead`, 'MAXLEN', '~', 10_000, '*', 'id', id, ...fields)
        .then(() => this.done(id))
        .then(() => this.options.onError?.(new Error(`entry ${id} of ${this.key} is not a readable receipt: kept in ${this.key}:dead`)))
        .catch(() => undefined); // left pending: read again by the next start
      return;
    }
    this.inFlight++;
    void this.send(request, outcome)
      .then(
        () => this.done(id),
        (err: Error) => {
          // Expired or refused for good: nothing more will come of it. Anything else (the server
          // closing with the process) leaves the entry pending, for the next start to deliver.
          if (!(err instanceof ReceiptDropped)) return;
          this.options.onError?.(err);
          return this.done(id);
        },
      )
      .finally(() => this.settled());
  }

  private async done(id: string): Promise<void> {
    await ackAndDelete(this.redis, this.key, GROUP, id).catch(() => undefined);
  }
}

/**
 * Starts relaying an application's receipts to `send` (one relay per Redis, prefix, listener and
 * system_id in this process, shared by the triggers that listen there for it); returns the function that stops it.
 */
export function relayApplicationReceipts(
  redis: Redis,
  identity: string,
  prefix: string,
  route: ReceiptRoute,
  send: ReceiptSender,
  options: RelayOptions = {},
): () => void {
  const relays = processWide('applicationReceiptRelays', () => new Map<string, { relay: ApplicationReceiptRelay; users: number }>());
  const key = `${identity}|${prefix}|${route.listener}|${route.systemId}`;
  let entry = relays.get(key);
  if (!entry) relays.set(key, (entry = { relay: new ApplicationReceiptRelay(redis, prefix, route, send, options), users: 0 }));
  entry.users++;
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    const current = relays.get(key);
    if (!current || --current.users > 0) return;
    relays.delete(key);
    current.relay.stop();
  };
}
