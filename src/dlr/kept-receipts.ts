import type { DeliveryReceipt } from './receipt-pdu';

/**
 * Receipts of this process by key, for a wait that starts after its receipt came (fast carriers
 * answer before the last message of a batch is out) and for "Get delivery status". Bounded in
 * time and count; a final receipt is never replaced by a late intermediate one.
 */
export class KeptReceipts {
  private readonly byKey = new Map<string, { receipt: DeliveryReceipt; at: number }>();

  constructor(
    private readonly keepMs: number,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  keep(keys: string[], receipt: DeliveryReceipt): void {
    const at = this.now();
    for (const key of keys) {
      const existing = this.byKey.get(key);
      if (existing && existing.receipt.final && !receipt.final) continue;
      // Re-inserted at the end, so the map stays in time order and pruning looks only at its head.
      this.byKey.delete(key);
      this.byKey.set(key, { receipt, at });
    }
    this.prune(at);
  }

  /** The receipt under the first key that has one, a final one preferred; null when none. */
  find(keys: string[]): DeliveryReceipt | null {
    this.prune(this.now());
    let intermediate: DeliveryReceipt | null = null;
    for (const key of keys) {
      const hit = this.byKey.get(key)?.receipt;
      if (hit?.final) return hit;
      intermediate ??= hit ?? null;
    }
    return intermediate;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.byKey) {
      if (this.byKey.size <= this.maxKeys && now - entry.at < this.keepMs) break;
      this.byKey.delete(key);
    }
  }
}
