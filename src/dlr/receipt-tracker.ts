import type { InboundMessage } from '../transport/smpp/types';
import { KeptReceipts } from './kept-receipts';
import { ambiguousReadings, decimalReading, formatTaughtBy, hexReading, normaliseId, receiptKeys, tlvIdOf, waitKeys } from './receipt-ids';
import type { IdFormat, IdFormatSetting, ReceiptIds } from './receipt-ids';
import { receiptOf } from './receipt-pdu';
import type { DeliveryReceipt } from './receipt-pdu';
import type { ReceiptFeed, SharedReceiptStore } from './shared-receipt-store';

export { receiptFromPdu, isReceiptPdu } from './receipt-pdu';
export type { DeliveryReceipt } from './receipt-pdu';

export interface WaitOptions {
  /** 'final' (default): intermediate receipts (ENROUTE, ACCEPTD) do not end the wait; 'first': any receipt does. */
  settle?: 'final' | 'first';
  /** Receipts received before this belong to an earlier message with the same id (a carrier that restarted its counter). */
  notBefore?: Date;
}

export interface ReceiptTrackerOptions {
  /** How receipts write message ids (see receipt-ids.ts); default 'same'. */
  idFormat?: IdFormatSetting;
  /** Receipts shared with other processes (queue mode); without it they stay in this process. */
  store?: SharedReceiptStore;
  /** How long and how many receipts this process keeps for late waits (default 6 h, 100,000 keys). */
  keepMs?: number;
  maxKept?: number;
  /** A shared feed with no wait left is stopped after this long (default 30 s). */
  feedIdleMs?: number;
}

interface Waiter {
  id: string;
  keys: string[];
  readings: string[];
  settle: 'final' | 'first';
  notBefore: number;
  /** The latest intermediate receipt, reported when no final one comes in time. */
  last?: DeliveryReceipt;
  done: (receipt: DeliveryReceipt | null) => void;
}

const MAX_HELD = 10_000;
/** Receipts of different messages that must agree on the id format before it is used for all (see vote). */
export const LEARN_AGREEMENT = 3;

/**
 * Matches receipts to the messages we sent, for every part of a long message: the exact id first,
 * the other base only when the carrier is known to write it (see receipt-ids.ts), and never when
 * two outstanding ids could read the same. Receipts that come before anyone waits are kept, so a
 * wait that starts late still gets them; with a shared store, receipts received by any process
 * reach the waits of every process.
 */
export class ReceiptTracker {
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Waiters by the hex/decimal re-readings of their id, while the format is being learned. */
  private readonly byReading = new Map<string, Set<Waiter>>();
  private readonly kept: KeptReceipts;
  /** Text-only receipts two waiters could claim, until the format is known. */
  private held: DeliveryReceipt[] = [];
  private format: IdFormat | null;
  /** While learning: the messages whose receipts showed each format (one format at a time, see vote). */
  private evidence: { format: IdFormat; ids: Set<string> } | null = null;
  private waiting = 0;
  private feed: ReceiptFeed | null = null;
  private feedIdleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ReceiptTrackerOptions = {}) {
    const setting = options.idFormat ?? 'same';
    this.format = setting === 'learn' ? null : setting;
    this.kept = new KeptReceipts(options.keepMs ?? 6 * 3_600_000, options.maxKept ?? 100_000);
  }

  /** Whether receipts are kept in a store every n8n process reads (Redis), not this process only. */
  get shared(): boolean {
    return this.options.store !== undefined;
  }

  /** The format in use: fixed by the setting or learned; null while still learning. */
  get learnedFormat(): IdFormat | null {
    return this.format;
  }

  /** An InboundHandler: feed it every deliver_sm; resolves once the receipt is recorded (shared store first). */
  readonly handle = (message: InboundMessage): Promise<void> | void => {
    const receipt = receiptOf(message);
    if (receipt) return this.record(receipt);
  };

  /** A receipt received on one of our binds: recorded in the shared store (when there is one) before it counts as taken. */
  async record(receipt: DeliveryReceipt): Promise<void> {
    if (this.options.store) await this.options.store.record(receipt);
    this.accept(receipt);
  }

  /** A receipt from our bind, a modem, or another process: learned from, kept, and offered to the waits. */
  accept(receipt: DeliveryReceipt): void {
    const ids = idsOf(receipt);
    const keys = receiptKeys(ids);
    if (keys.length === 0) return;
    this.learnFrom(ids);
    this.kept.keep(keys, receipt);
    this.offer(receipt, ids);
  }

  /** Resolves with the receipt for messageId (the last intermediate one if no final one came), or null after timeoutMs. */
  waitFor(messageId: string, timeoutMs: number, options: WaitOptions = {}): Promise<DeliveryReceipt | null> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        id: messageId,
        keys: [],
        readings: [],
        settle: options.settle ?? 'final',
        notBefore: options.notBefore?.getTime() ?? 0,
        done: (receipt) => {
          clearTimeout(timer);
          this.unregister(waiter);
          resolve(receipt);
        },
      };
      const timer = setTimeout(() => {
        waiter.done(waiter.last ?? null);
        this.reofferHeld();
      }, timeoutMs);
      timer.unref(); // a wait alone does not keep the process up
      this.register(waiter);
      const early = this.kept.find(waiter.keys);
      if (early) this.consider(waiter, early);
      const store = this.options.store;
      if (store && this.isWaiting(waiter)) {
        // The feed first, then the look-up: a receipt recorded in between reaches us by the feed.
        void this.followStore(store)
          .then(() => store.find(waiter.keys))
          .then((found) => found && this.isWaiting(waiter) && this.consider(waiter, found))
          .catch(() => undefined); // Redis away: the wait ends by its timeout, the receipt stays in Redis for later
      }
    });
  }

  /** The latest receipt for messageId, from the shared store when there is one, else from this process. */
  async latest(messageId: string): Promise<DeliveryReceipt | null> {
    const keys = waitKeys(messageId, this.format);
    if (this.options.store) {
      if (this.format === null) this.setFormat(await this.options.store.learnedFormat());
      return this.options.store.find(waitKeys(messageId, this.format));
    }
    return this.kept.find(keys);
  }

  private consider(waiter: Waiter, receipt: DeliveryReceipt): void {
    if (receipt.receivedAt.getTime() < waiter.notBefore) return;
    if (waiter.settle === 'final' && !receipt.final) {
      waiter.last = receipt;
      return;
    }
    waiter.done(receipt);
  }

  private offer(receipt: DeliveryReceipt, ids: ReceiptIds): void {
    const tlvId = tlvIdOf(ids);
    if (tlvId !== undefined) {
      // The TLV is the submit_sm_resp id: no waiter of it, no match (never the text id instead).
      const byTlv = this.waiters.get(`x:${normaliseId(tlvId)}`);
      if (byTlv && byTlv.size > 0) this.settle(byTlv, receipt);
      return;
    }
    if (!ids.textId) return;
    const text = normaliseId(ids.textId);
    const exact = this.waiters.get(`t:${text}`);
    if (this.format === null) {
      // Still learning: another outstanding id whose hex/decimal form is this text id could own it.
      if (this.byReading.get(text)?.size) {
        this.hold(receipt);
        return;
      }
      if (exact && exact.size > 0) {
        this.settle(exact, receipt);
        // An exact match of an id that would read differently in the other base shows the carrier writes ids as they are.
        if (ambiguousReadings(text).length > 0) this.vote('same', text);
      }
      return;
    }
    if (exact && exact.size > 0) this.settle(exact, receipt);
  }

  private settle(waiters: Set<Waiter>, receipt: DeliveryReceipt): void {
    for (const waiter of [...waiters]) this.consider(waiter, receipt);
  }

  private hold(receipt: DeliveryReceipt): void {
    this.held.push(receipt);
    if (this.held.length > MAX_HELD) this.held.shift();
  }

  private reofferHeld(): void {
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    for (const receipt of held) this.offer(receipt, idsOf(receipt));
  }

  private learnFrom(ids: ReceiptIds): void {
    if (this.format !== null) return;
    const taught = formatTaughtBy(ids);
    if (taught) this.vote(taught, normaliseId(ids.tlvId ?? ''));
  }

  /**
   * One receipt's evidence of the format. It is used for every receipt only once LEARN_AGREEMENT
   * receipts of different messages showed the same format with none showing another in between:
   * one odd receipt (a carrier's mistake, a forged PDU) must not change how all others match.
   */
  private vote(format: IdFormat, messageId: string): void {
    if (this.format !== null) return;
    if (!this.evidence || this.evidence.format !== format) this.evidence = { format, ids: new Set() };
    this.evidence.ids.add(messageId);
    if (this.evidence.ids.size >= LEARN_AGREEMENT) {
      this.evidence = null;
      this.adopt(format);
    }
  }

  private adopt(format: IdFormat): void {
    if (this.format !== null) return;
    this.setFormat(format);
    void this.options.store?.saveFormat(format).catch(() => undefined);
  }

  private setFormat(format: IdFormat | null): void {
    if (format === null || this.format !== null) return;
    this.format = format;
    const all = new Set<Waiter>();
    for (const set of this.waiters.values()) for (const w of set) all.add(w);
    for (const w of all) this.unregister(w);
    for (const w of all) this.register(w);
    this.reofferHeld();
  }

  private register(waiter: Waiter): void {
    waiter.keys = waitKeys(waiter.id, this.format);
    waiter.readings =
      this.format === null ? [hexReading(waiter.id), decimalReading(waiter.id)].filter((r): r is string => r !== null && r !== normaliseId(waiter.id)) : [];
    for (const key of waiter.keys) addTo(this.waiters, key, waiter);
    for (const reading of waiter.readings) addTo(this.byReading, reading, waiter);
    this.waiting++;
    if (this.feedIdleTimer) clearTimeout(this.feedIdleTimer);
    this.feedIdleTimer = null;
  }

  private unregister(waiter: Waiter): void {
    if (!this.isWaiting(waiter)) return;
    for (const key of waiter.keys) removeFrom(this.waiters, key, waiter);
    for (const reading of waiter.readings) removeFrom(this.byReading, reading, waiter);
    this.waiting--;
    if (this.waiting === 0 && this.feed) {
      this.feedIdleTimer = setTimeout(() => this.stopFeed(), this.options.feedIdleMs ?? 30_000);
      this.feedIdleTimer.unref();
    }
  }

  private isWaiting(waiter: Waiter): boolean {
    return waiter.keys.length > 0 && (this.waiters.get(waiter.keys[0])?.has(waiter) ?? false);
  }

  private followStore(store: SharedReceiptStore): Promise<void> {
    if (!this.feed) {
      const feed = store.follow((receipt) => this.accept(receipt));
      this.feed = feed;
      // A format another process learned applies here too.
      void feed.ready
        .then(() => store.learnedFormat())
        .then(
          (format) => this.setFormat(format),
          () => undefined,
        );
      feed.ready.catch(() => {
        if (this.feed === feed) this.feed = null;
      });
    }
    return this.feed.ready;
  }

  private stopFeed(): void {
    this.feedIdleTimer = null;
    if (this.waiting > 0) return;
    this.feed?.stop();
    this.feed = null;
  }

  /** Stops the shared feed (tests, and a transport closing for good). */
  close(): void {
    if (this.feedIdleTimer) clearTimeout(this.feedIdleTimer);
    this.feedIdleTimer = null;
    this.feed?.stop();
    this.feed = null;
  }
}

/** Receipts built before ids existed (modem reports) name one exact id. */
function idsOf(receipt: DeliveryReceipt): ReceiptIds {
  return receipt.ids ?? { tlvId: receipt.messageId };
}

function addTo(map: Map<string, Set<Waiter>>, key: string, waiter: Waiter): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(waiter);
}

function removeFrom(map: Map<string, Set<Waiter>>, key: string, waiter: Waiter): void {
  const set = map.get(key);
  set?.delete(waiter);
  if (set && set.size === 0) map.delete(key);
}
