/** What an in-flight entry carries for the table: its sequence number and its place in write order. */
export interface InFlightLinks<T> {
  seq: number;
  olderInFlight: T | null;
  newerInFlight: T | null;
}

/**
 * Submits written and not yet answered, by sequence number, oldest first. A `Map` did the same,
 * but one set and one delete per answer made V8 rebuild its small hash table every few answers
 * (about 200 bytes a message at window 1). This table keeps its slots: an open-addressed array
 * indexed by the sequence number (ours are consecutive, so they rarely collide), linear probing
 * with backward-shift deletion, and the write order as a list through the entries themselves
 * (the oldest answer due is the first; a dropped link requeues them in the order they left).
 */
export class InFlightTable<T extends InFlightLinks<T>> {
  private slots: Array<T | null> = new Array<T | null>(16).fill(null);
  private mask = 15;
  private count = 0;
  private oldestEntry: T | null = null;
  private newestEntry: T | null = null;

  get size(): number {
    return this.count;
  }

  /** The entry written first among those in flight. */
  get oldest(): T | null {
    return this.oldestEntry;
  }

  /** Adds `entry` under `seq` as the newest; a sequence number already in flight is replaced. */
  set(seq: number, entry: T): void {
    if (this.get(seq)) this.delete(seq);
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    entry.seq = seq;
    let i = seq & this.mask;
    while (this.slots[i] !== null) i = (i + 1) & this.mask;
    this.slots[i] = entry;
    this.count++;
    entry.olderInFlight = this.newestEntry;
    entry.newerInFlight = null;
    if (this.newestEntry) this.newestEntry.newerInFlight = entry;
    else this.oldestEntry = entry;
    this.newestEntry = entry;
  }

  get(seq: number): T | undefined {
    for (let i = seq & this.mask; ; i = (i + 1) & this.mask) {
      const entry = this.slots[i];
      if (entry === null) return undefined;
      if (entry.seq === seq) return entry;
    }
  }

  /** Removes the entry under `seq`; false when there is none. */
  delete(seq: number): boolean {
    let i = seq & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const entry = this.slots[i];
      if (entry === null) return false;
      if (entry.seq === seq) break;
    }
    this.unlink(this.slots[i] as T);
    this.slots[i] = null;
    this.count--;
    // Backward shift: move later entries of the same probe run into the hole, so lookups never
    // stop early at it (no tombstones to grow the table).
    for (let j = (i + 1) & this.mask; ; j = (j + 1) & this.mask) {
      const entry = this.slots[j];
      if (entry === null) return true;
      const home = entry.seq & this.mask;
      // The entry may fill the hole when its home is not cyclically in (i, j].
      const homeBetween = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!homeBetween) {
        this.slots[i] = entry;
        this.slots[j] = null;
        i = j;
      }
    }
  }

  /** The entries, oldest first, as a new array (for the rare scans that change the table). */
  toArray(): T[] {
    const out: T[] = [];
    for (let e = this.oldestEntry; e; e = e.newerInFlight) out.push(e);
    return out;
  }

  clear(): void {
    for (let e = this.oldestEntry; e; ) {
      const next = e.newerInFlight;
      e.olderInFlight = null;
      e.newerInFlight = null;
      e = next;
    }
    this.slots.fill(null);
    this.count = 0;
    this.oldestEntry = null;
    this.newestEntry = null;
  }

  private unlink(entry: T): void {
    if (entry.olderInFlight) entry.olderInFlight.newerInFlight = entry.newerInFlight;
    else this.oldestEntry = entry.newerInFlight;
    if (entry.newerInFlight) entry.newerInFlight.olderInFlight = entry.olderInFlight;
    else this.newestEntry = entry.olderInFlight;
    entry.olderInFlight = null;
    entry.newerInFlight = null;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Array<T | null>(old.length * 2).fill(null);
    this.mask = this.slots.length - 1;
    for (const entry of old) {
      if (entry === null) continue;
      let i = entry.seq & this.mask;
      while (this.slots[i] !== null) i = (i + 1) & this.mask;
      this.slots[i] = entry;
    }
  }
}
