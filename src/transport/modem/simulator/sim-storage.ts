/** The simulated SIM's message memory: indexes, status (0 unread .. 3 sent), PDU hex. */

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

  constructor(readonly capacity = 30) {}

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

  get used(): number {
    return this.slots.size;
  }
}
