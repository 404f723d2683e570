import { EventEmitter } from 'events';
import { backoffDelay } from './backoff';
import type { DecodedPdu } from './pdu/pdu-codec';
import { PoolQueue } from './pool-queue';
import { SmppTransport } from './smpp-transport';
import { SmppBindError, SmppSubmitError } from './types';
import type {
  InboundHandler,
  SmppTransportOptions,
  SubmitOptions,
  SubmitRequest,
  SubmitReceiver,
  SubmitResult,
  TransportEvents,
  TransportMetrics,
  TransportState,
} from './types';

/** A bind slot of the account, held while a bind of this process may be open (see src/registry/bind-slots.ts). */
export interface BindSlot {
  readonly index: number;
  /** Resolves when the slot was lost (not renewed in time): the bind must close before another process takes it. */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/** Limits binds across n8n processes: a bind opens only once it holds a slot. */
export interface BindSlots {
  readonly cap: number;
  /** Waits for a free slot; resolves null when `signal` aborts first. */
  take(signal: AbortSignal): Promise<BindSlot | null>;
}

export interface BindPoolOptions extends SmppTransportOptions {
  /** Binds this process opens for the credential (default 1). */
  binds?: number;
  /** Caps binds across processes (Redis leases); absent: each process opens its `binds`. */
  slots?: BindSlots;
  /** How long start() waits for a free slot before failing (default 20 s). */
  slotWaitMs?: number;
}

/** The options of one bind: the pool's own settings left out. */
function memberOptions(options: BindPoolOptions): SmppTransportOptions {
  const copy: BindPoolOptions = { ...options };
  delete copy.binds;
  delete copy.slots;
  delete copy.slotWaitMs;
  return copy;
}

interface Seat {
  member: SmppTransport | null;
  slot: BindSlot | null;
  /** Slots that could not be asked for in a row (Redis away, the host not resolving): the backoff. */
  slotFailures: number;
  /**
   * Why this seat has given up since it was last bound: its bind gave up reconnecting, or it
   * failed to bind more than `reconnectAttempts` times in a row. The pool gives up when every
   * seat has (see giveUpWhenEverySeatHas).
   */
  gaveUpWith: Error | null;
}

/**
 * The binds of one credential in this process: N SmppTransports (each with its own window,
 * reconnect and rebind) behind the one API of a transport. Submits wait in a PoolQueue and go
 * to whichever bind has room; the TPS throttle in the options is shared, so the cap holds for
 * the credential. Inbound handlers are on every bind: a receipt or MO message arrives on one
 * bind, so each is handled once, whichever carries it. With one bind and no slots, submits go
 * straight to it.
 */
export class SmppBindPool extends EventEmitter<TransportEvents> {
  readonly options: SmppTransport['options'] & { binds: number; slotWaitMs?: number };
  private readonly seats: Seat[];
  private readonly queue: PoolQueue;
  private readonly handlers: Array<{ handler: InboundHandler; options: { receiptsOnly?: boolean }; removers: Map<SmppTransport, () => void> }> = [];
  private stateValue: TransportState = 'idle';
  /** Members between their 'bound' and 'disconnected' events (a member still says bound while it reports its drop). */
  private readonly bound = new Set<SmppTransport>();
  private startPromise: Promise<void> | null = null;
  private readonly stop = new AbortController();
  private gaveUpReason: string | null = null;
  private turn = 0;
  private readonly slots: BindSlots | undefined;

  constructor(options: BindPoolOptions) {
    super();
    const binds = options.binds ?? 1;
    if (!Number.isInteger(binds) || binds < 1) throw new RangeError(`binds must be a whole number of at least 1 (got ${options.binds})`);
    this.slots = options.slots;
    // The defaults a transport fills in, for readers of options (status board, registry).
    this.options = { ...new SmppTransport(memberOptions(options)).options, binds, slotWaitMs: options.slotWaitMs };
    this.seats = Array.from({ length: binds }, () => ({ member: null, slot: null, slotFailures: 0, gaveUpWith: null }));
    this.queue = new PoolQueue(
      () => [...this.bound],
      () => ({ maxQueued: this.options.maxQueued ?? 100_000, maxAttempts: this.options.maxAttempts }),
      () => !this.closedOrClosing,
    );
    this.on('error', () => undefined);
  }

  /** Bound unless every bind is down (then reconnecting); the pool's own state before start and once closing. */
  get state(): TransportState {
    if (this.stateValue !== 'bound' && this.stateValue !== 'reconnecting') return this.stateValue;
    return this.bound.size > 0 ? 'bound' : 'reconnecting';
  }

  get label(): string {
    return this.options.label ?? `${this.options.systemId}@${this.options.host}:${this.options.port}`;
  }

  /** The binds open now (bound or reconnecting). */
  get members(): SmppTransport[] {
    const out: SmppTransport[] = [];
    for (const seat of this.seats) if (seat.member) out.push(seat.member);
    return out;
  }

  get boundCount(): number {
    return this.bound.size;
  }

  private get closedOrClosing(): boolean {
    return this.stateValue === 'closing' || this.stateValue === 'closed';
  }

  unusableReason(): string | null {
    if (this.closedOrClosing) return this.gaveUpReason ?? `the SMPP connection ${this.label} was closed`;
    return this.everySeatGaveUp();
  }

  /**
   * Why every seat has given up, or null while one may still bind: the one rule both for this
   * pool's own give-up (giveUpWhenEverySeatHas) and for a broadcast asking whether to go on. A
   * bind that gives up fails what it held before its seat records it (the 'gaveUp' event comes
   * after), so a seat whose bind has given up counts already: a broadcast told of those failures
   * must hear "stop" now, not feed the closed bind.
   */
  private everySeatGaveUp(): string | null {
    let reason: string | null = null;
    for (const seat of this.seats) {
      const why = seat.gaveUpWith?.message ?? seat.member?.gaveUpBecause ?? null;
      if (why === null) return null;
      reason ??= why;
    }
    return reason;
  }

  /** Opens every bind; resolves once one is bound, rejects with the first error when none could bind. */
  start(): Promise<void> {
    this.startPromise ??= this.firstBind();
    return this.startPromise;
  }

  private firstBind(): Promise<void> {
    this.stateValue = 'connecting';
    return new Promise<void>((resolve, reject) => {
      let failed = 0;
      let firstError: Error | null = null;
      const onFirst = (err: Error | null): void => {
        if (!err) {
          if (this.stateValue === 'connecting') this.stateValue = 'bound';
          resolve();
          return;
        }
        firstError ??= err;
        if (++failed === this.seats.length && this.stateValue === 'connecting') {
          void this.close(0).finally(() => reject(firstError));
        }
      };
      this.seats.forEach((seat, i) => void this.occupy(seat, i, onFirst));
    });
  }

  /** Keeps one seat bound for the pool's life: takes a slot, binds, and starts over when the bind gives up or the slot is lost. */
  private async occupy(seat: Seat, index: number, onFirst: (err: Error | null) => void): Promise<void> {
    let first: ((err: Error | null) => void) | null = onFirst;
    const report = (err: Error | null): void => {
      first?.(err);
      first = null;
    };
    let failures = 0;
    while (!this.stop.signal.aborted) {
      if (this.slots && !(await this.takeSlot(seat, report))) continue;
      if (this.stop.signal.aborted) break;
      const member = this.createMember(index);
      seat.member = member;
      try {
        await member.start();
      } catch (err) {
        seat.member = null;
        await this.freeSlot(seat);
        report(err as Error);
        this.emit('error', err as Error);
        const limit = this.options.reconnectAttempts ?? 0;
        failures++;
        if (limit > 0 && failures > limit)
          seat.gaveUpWith ??= new SmppBindError(`gave up binding to ${this.label} after ${failures} attempts: ${(err as Error).message}`, 'network');
        if (this.giveUpWhenEverySeatHas(seat.gaveUpWith)) return;
        await this.pause(backoffDelay(failures, this.options.reconnectBaseMs, this.options.reconnectMaxMs));
        continue;
      }
      if (this.stop.signal.aborted) {
        // The pool gave up (or closed) while this bind was opening: it must not stay open, holding
        // one of the carrier's binds (and a slot) for a pool that no longer sends.
        seat.member = null;
        await member.close(0);
        await this.freeSlot(seat);
        break;
      }
      failures = 0;
      seat.gaveUpWith = null;
      report(null);
      this.queue.feed();
      const ended = await this.untilEnded(member, seat.slot);
      if (ended.kind === 'lost') await member.close(1000);
      seat.member = null;
      for (const entry of this.handlers) entry.removers.delete(member);
      await this.freeSlot(seat);
      // A bind that gave up gives the pool up only when every other seat has too: a seat that is
      // pausing between attempts, or waiting for a slot, may still bind.
      if (ended.kind === 'gaveUp') seat.gaveUpWith = ended.error;
      if (this.giveUpWhenEverySeatHas(ended.kind === 'gaveUp' ? ended.error : null)) return;
      if (ended.kind === 'gaveUp') await this.pause(this.options.reconnectMaxMs);
    }
  }

  /**
   * Gives the pool up when every seat has given up (see Seat.gaveUpWith). Without it, a pool of
   * several binds whose binds gave up at different times never did: a seat that was opening a
   * fresh bind when the last bound one gave up kept the pool "alive", failing to connect with
   * backoff for good, and a broadcast waited for ever with nothing bound (reconnectAttempts was
   * ignored). True when it gave up.
   */
  private giveUpWhenEverySeatHas(error: Error | null): boolean {
    if (this.closedOrClosing) return false;
    const reason = this.everySeatGaveUp();
    if (reason === null) return false;
    this.giveUp(error ?? new SmppBindError(reason, 'network'));
    return true;
  }

  private async takeSlot(seat: Seat, report: (err: Error | null) => void): Promise<boolean> {
    const slots = this.slots as BindSlots;
    const waited = new AbortController();
    const timer = setTimeout(
      () =>
        report(
          new SmppBindError(
            `all ${slots.cap} binds allowed for ${this.label} across n8n processes are in use (Max Binds Across Processes); no bind was opened`,
            'rejected',
          ),
        ),
      this.options.slotWaitMs ?? 20_000,
    );
    timer.unref();
    const onStop = (): void => waited.abort();
    this.stop.signal.addEventListener('abort', onStop, { once: true });
    try {
      seat.slot = await slots.take(waited.signal);
      seat.slotFailures = 0;
    } catch (err) {
      // Redis cannot be asked, or the account cannot be named (its host did not resolve): no bind
      // may open until it can (a first start fails with the reason at once), retried with backoff.
      const error = new SmppBindError(`cannot count the binds of ${this.label} (Max Binds Across Processes): ${(err as Error).message}`, 'network');
      report(error);
      this.emit('error', error);
      await this.pause(backoffDelay(++seat.slotFailures, this.options.reconnectBaseMs, this.options.reconnectMaxMs));
    } finally {
      clearTimeout(timer);
      this.stop.signal.removeEventListener('abort', onStop);
    }
    return seat.slot !== null;
  }

  private async freeSlot(seat: Seat): Promise<void> {
    const slot = seat.slot;
    seat.slot = null;
    await slot?.release().catch(() => undefined);
  }

  private untilEnded(member: SmppTransport, slot: BindSlot | null): Promise<{ kind: 'gaveUp'; error: Error } | { kind: 'closed' | 'lost' }> {
    return new Promise((resolve) => {
      member.once('gaveUp', (error) => resolve({ kind: 'gaveUp', error }));
      member.once('closed', () => resolve({ kind: 'closed' }));
      void slot?.lost.then(() => resolve({ kind: 'lost' }));
    });
  }

  private pause(ms: number): Promise<void> {
    if (this.stop.signal.aborted) return Promise.resolve();
    const signal = this.stop.signal;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      // The listener goes with the pause: a seat that keeps failing to bind left one per retry.
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private createMember(index: number): SmppTransport {
    const label = this.seats.length > 1 ? `${this.label} (bind ${index + 1} of ${this.seats.length})` : this.options.label;
    const member = new SmppTransport({ ...memberOptions(this.options), label });
    for (const entry of this.handlers) entry.removers.set(member, member.addInboundHandler(entry.handler, entry.options));
    member.on('connected', (info) => this.emit('connected', info));
    member.on('bound', (info) => {
      this.bound.add(member);
      if (!this.closedOrClosing) this.stateValue = 'bound';
      this.emit('bound', info);
      this.queue.feed();
    });
    member.on('disconnected', (info) => {
      this.bound.delete(member);
      // What waits on this bind goes to the others (or waits in the pool for any bind).
      if (!this.closedOrClosing) this.queue.withdraw(member);
      this.emit('disconnected', info);
      this.queue.feed();
    });
    member.on('closed', () => this.bound.delete(member));
    member.on('reconnecting', (info) => this.emit('reconnecting', info));
    member.on('error', (err) => this.emit('error', err));
    return member;
  }

  private giveUp(error: Error): void {
    this.gaveUpReason = error.message;
    this.stateValue = 'closed';
    this.stop.abort();
    this.queue.failAll(`${error.message}; the message was not sent`, 'retries_exhausted');
    this.emit('gaveUp', error);
    this.emit('closed');
  }

  submit(pdu: SubmitRequest, options: SubmitOptions = {}): Promise<SubmitResult> {
    if (this.closedOrClosing) return Promise.reject(new SmppSubmitError(`the SMPP connection ${this.label} is closed`, 'closed'));
    if (this.options.bindMode === 'receiver') {
      return Promise.reject(
        new SmppSubmitError(`the SMPP connection ${this.label} is bound as a receiver and cannot send; use transceiver or transmitter`, 'invalid'),
      );
    }
    // One bind, no cross-process cap: nothing to choose, no second queue; but the parts of a long
    // message go through the queue, which sends the whole message again when the session that
    // took some of them ends (see PoolQueue.resendsFirst).
    const only = this.seats.length === 1 && !this.slots && !options.messageKey ? this.seats[0].member : null;
    if (only) return only.submit(pdu, options);
    return this.queue.enqueue(pdu, options);
  }

  /**
   * submit() without a promise per message when one bind takes it straight (see submit); other
   * cases go through submit()'s promise, so the receiver is then told later, never nested.
   */
  submitTo(pdu: SubmitRequest, options: SubmitOptions, receiver: SubmitReceiver): void {
    const only = !this.closedOrClosing && this.seats.length === 1 && !this.slots && !options.messageKey ? this.seats[0].member : null;
    if (only) return only.submitTo(pdu, options, receiver);
    this.submit(pdu, options).then(
      (r) => receiver.submitted(r),
      (err: SmppSubmitError) => receiver.notSubmitted(err),
    );
  }

  /** Any other request (query_sm, broadcast_sm, ...) goes to one bound member, in turn. */
  request(command: string, fields: Record<string, unknown>): Promise<DecodedPdu> {
    const bound = [...this.bound];
    if (bound.length === 0) return Promise.reject(new Error(`the SMPP connection ${this.label} is not bound`));
    return bound[this.turn++ % bound.length].request(command, fields);
  }

  /** Registers an inbound handler on every bind (now and later ones); returns its remover. */
  addInboundHandler(handler: InboundHandler, options: { receiptsOnly?: boolean } = {}): () => void {
    const entry = { handler, options, removers: new Map<SmppTransport, () => void>() };
    this.handlers.push(entry);
    for (const member of this.members) entry.removers.set(member, member.addInboundHandler(handler, options));
    return () => {
      const i = this.handlers.indexOf(entry);
      if (i >= 0) this.handlers.splice(i, 1);
      for (const remove of entry.removers.values()) remove();
      entry.removers.clear();
    };
  }

  metrics(): TransportMetrics {
    const total: TransportMetrics = {
      state: this.state,
      window: 0,
      inFlight: 0,
      queued: this.queue.length,
      sent: 0,
      acked: 0,
      failed: 0,
      retried: 0,
      throttled: 0,
      reconnects: 0,
      deliverReceived: 0,
    };
    for (const member of this.members) {
      const m = member.metrics();
      total.window += m.window;
      total.inFlight += m.inFlight;
      total.queued += m.queued;
      total.sent += m.sent;
      total.acked += m.acked;
      total.failed += m.failed;
      total.retried += m.retried;
      total.throttled += m.throttled;
      total.reconnects += m.reconnects;
      total.deliverReceived += m.deliverReceived;
    }
    return total;
  }

  /** New settings for every bind (see SmppTransport.reconfigure); rejects with the first bind's error. */
  async reconfigure(options: SmppTransportOptions): Promise<void> {
    if (this.closedOrClosing) return;
    for (const [key, value] of Object.entries(options)) {
      if (value !== undefined && key !== 'binds') (this.options as unknown as Record<string, unknown>)[key] = value;
    }
    // Cleared on purpose (a TPS limit turned off): undefined is the setting then.
    this.options.throttle = options.throttle;
    const results = await Promise.allSettled(this.members.map((m) => m.reconfigure(options)));
    this.queue.feed();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Sends what waits (bounded), then closes every bind. */
  async close(drainTimeoutMs = 5000): Promise<void> {
    if (this.stateValue === 'closed') return;
    if (this.stateValue === 'closing') {
      await new Promise<void>((resolve) => this.once('closed', () => resolve()));
      return;
    }
    this.stateValue = 'closing';
    const deadline = performance.now() + drainTimeoutMs;
    while (this.queue.length > 0 && this.boundCount > 0 && performance.now() < deadline) {
      this.queue.feed();
      await new Promise((r) => setTimeout(r, 10));
    }
    this.queue.failAll(`the SMPP connection ${this.label} was closed before the message was sent`, 'closed');
    this.stop.abort();
    await Promise.all(
      this.seats.map(async (seat) => {
        await seat.member?.close(Math.max(0, deadline - performance.now()));
        await this.freeSlot(seat);
      }),
    );
    this.stateValue = 'closed';
    this.emit('closed');
  }
}
