import type { IncomingMessage, ServerResponse } from 'http';
import type { SandboxSmsc } from '../sandbox-smsc';
import type { StoredMessage } from '../types';
import type { MoPartCounts } from './message-view';
import { ThroughputMeter } from './throughput-meter';

export interface EventStreamOptions {
  /** Stats tick period (default 1000 ms). */
  tickMs?: number;
  /** How often buffered events are written (default 100 ms). */
  flushMs?: number;
  /** Most message + receipt events sent per flush; the rest are counted in a `skipped` event. */
  maxEventsPerFlush?: number;
  /** Clock for the rates in the stats tick (tests inject one). */
  now?: () => number;
}

/** A client that stopped reading gets cut off once this much is waiting in its socket. */
const MAX_CLIENT_BACKLOG_BYTES = 4 * 1024 * 1024;

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Server-sent events for the inbox page: message, receipt, bound, faults, drop, cleared, and a
 * stats tick. During a broadcast the sandbox may accept tens of thousands of messages a second,
 * so message events are batched per flush and capped; the excess is reported as `skipped`.
 */
export class SandboxEventStream {
  private readonly clients = new Set<ServerResponse>();
  private pending: string[] = [];
  private skipped = { messages: 0, receipts: 0 };
  private flushTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private readonly meter = new ThroughputMeter();
  private readonly tickMs: number;
  private readonly flushMs: number;
  private readonly maxEventsPerFlush: number;
  private readonly now: () => number;
  private readonly listeners: {
    message: (m: StoredMessage) => void;
    receipt: (m: StoredMessage) => void;
    bound: (info: { systemId: string; mode: string }) => void;
  };

  constructor(
    private readonly smsc: SandboxSmsc,
    private readonly partCounts: MoPartCounts,
    options: EventStreamOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 1000;
    this.flushMs = options.flushMs ?? 100;
    this.maxEventsPerFlush = options.maxEventsPerFlush ?? 200;
    this.now = options.now ?? Date.now;
    this.listeners = {
      message: (m) => this.queueCapped('message', m),
      receipt: (m) => this.queueCapped('receipt', m),
      bound: (info) => this.queue('bound', { ...info, at: Date.now() }),
    };
    smsc.on('message', this.listeners.message);
    smsc.on('receipt', this.listeners.receipt);
    smsc.on('bound', this.listeners.bound);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Takes over a GET /api/events request for as long as the client stays. */
  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n\n${frame('stats', this.statsTick())}`);
    this.clients.add(res);
    req.on('close', () => this.detach(res));
    if (!this.tickTimer) {
      this.tickTimer = setInterval(() => this.broadcast(frame('stats', this.statsTick())), this.tickMs);
      this.tickTimer.unref();
    }
  }

  /** Announces a change made through the API (faults, drop, cleared). */
  announce(event: 'faults' | 'drop' | 'cleared', data: unknown): void {
    this.queue(event, data);
  }

  /** The once-a-second progress numbers: rates, counters, sessions and current faults. */
  statsTick(): Record<string, unknown> {
    const { submits, accepted, failed, throttled } = this.smsc.stats;
    return {
      ...this.meter.sample(this.now(), { submits, accepted, failed, throttled }),
      sessionCount: this.smsc.sessionCount,
      stats: { ...this.smsc.stats },
      faults: { ...this.smsc.faults },
    };
  }

  close(): void {
    this.smsc.off('message', this.listeners.message);
    this.smsc.off('receipt', this.listeners.receipt);
    this.smsc.off('bound', this.listeners.bound);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.flushTimer = this.tickTimer = null;
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private detach(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0 && this.tickTimer) {
      clearInterval(this.tickTimer);
      this.tickTimer = null;
    }
  }

  private queueCapped(event: 'message' | 'receipt', message: StoredMessage): void {
    if (this.clients.size === 0) return;
    if (this.pending.length >= this.maxEventsPerFlush) {
      if (event === 'message') this.skipped.messages++;
      else this.skipped.receipts++;
      this.scheduleFlush();
      return;
    }
    this.queue(event, this.partCounts.view(message));
  }

  private queue(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    this.pending.push(frame(event, data));
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), this.flushMs);
    this.flushTimer.unref();
  }

  private flush(): void {
    this.flushTimer = null;
    let text = this.pending.join('');
    this.pending = [];
    if (this.skipped.messages > 0 || this.skipped.receipts > 0) {
      text += frame('skipped', this.skipped);
      this.skipped = { messages: 0, receipts: 0 };
    }
    if (text) this.broadcast(text);
  }

  private broadcast(text: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_CLIENT_BACKLOG_BYTES) {
        res.destroy();
        this.detach(res);
        continue;
      }
      res.write(text);
    }
  }
}
