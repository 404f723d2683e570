/** One simulated message memory ("SM" on the SIM, "ME" in the modem): indexes, status, PDU hex. */

export interface StoredSms {
  index: number;
  /** 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT (TS 27.005 3.1 <stat>). */
  status: number;
  /** SMSC field + TPDU, as hex. */
  pdu: string;
  /** TPDU octets (what +CMGR / +CMGL report as <length>). */
  tpduLength: number;
}

export class SimStorage {
  private readonly slots = new Map<number, StoredSms>();

  constructor(
    readonly capacity = 30,
    readonly name = 'SM',
  ) {}

  /** Stores a PDU at the lowest free index; undefined when the memory is full. */
  store(pdu: Buffer, status = 0): StoredSms | undefined {
    for (let index = 1; index <= this.capacity; index++) {
      if (!this.slots.has(index)) {
        const stored = { index, status, pdu: pdu.toString('hex').toUpperCase(), tpduLength: pdu.length - 1 - pdu[0] };
        this.slots.set(index, stored);
        return stored;
      }
    }
    return undefined;
  }

  read(index: number): StoredSms | undefined {
    return this.slots.get(index);
  }

  delete(index: number): boolean {
    return this.slots.delete(index);
  }

  /** Messages with this <stat> (4 = all), by index. */
  list(status: number): StoredSms[] {
    return [...this.slots.values()].filter((s) => status === 4 || s.status === status).sort((a, b) => a.index - b.index);
  }

  /** AT+CMGD <delflag>: 1 read, 2 read and sent, 3 read, sent and unsent, 4 all. */
  deleteByFlag(flag: number): void {
    const doomed = flag >= 4 ? [0, 1, 2, 3] : [1, 3, 2].slice(0, flag);
    for (const stored of [...this.slots.values()]) if (doomed.includes(stored.status)) this.slots.delete(stored.index);
  }

  get full(): boolean {
    return this.slots.size >= this.capacity;
  }

  get used(): number {
    return this.slots.size;
  }
}

/**
 * "MT" (TS 27.005: "any of the storages associated with ME"): the SIM first, then the modem's own
 * memory. Its indexes run on: the SIM's 1..n, then the modem memory's as n+1.. (as several
 * modems number a combined memory).
 */
export class CombinedStorage extends SimStorage {
  constructor(private readonly parts: SimStorage[]) {
    super(
      parts.reduce((sum, p) => sum + p.capacity, 0),
      'MT',
    );
  }

  private locate(index: number): { part: SimStorage; local: number; offset: number } | undefined {
    let offset = 0;
    for (const part of this.parts) {
      if (index > offset && index <= offset + part.capacity) return { part, local: index - offset, offset };
      offset += part.capacity;
    }
    return undefined;
  }

  /** Stores in the first memory with room; the index is the combined one. */
  override store(pdu: Buffer, status = 0): StoredSms | undefined {
    let offset = 0;
    for (const part of this.parts) {
      const stored = part.store(pdu, status);
      if (stored) return { ...stored, index: stored.index + offset };
      offset += part.capacity;
    }
    return undefined;
  }

  override read(index: number): StoredSms | undefined {
    const at = this.locate(index);
    const stored = at?.part.read(at.local);
    // The real object, so reading marks it read; its combined index is computed on listing.
    return stored;
  }

  override delete(index: number): boolean {
    const at = this.locate(index);
    return at ? at.part.delete(at.local) : false;
  }

  override deleteByFlag(flag: number): void {
    for (const part of this.parts) part.deleteByFlag(flag);
  }

  override list(status: number): StoredSms[] {
    let offset = 0;
    const all: StoredSms[] = [];
    for (const part of this.parts) {
      for (const stored of part.list(status)) all.push(Object.assign(Object.create(stored) as StoredSms, { index: stored.index + offset }));
      offset += part.capacity;
    }
    return all;
  }

  override get full(): boolean {
    return this.parts.every((p) => p.full);
  }

  override get used(): number {
    return this.parts.reduce((sum, p) => sum + p.used, 0);
  }
}
