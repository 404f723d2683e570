import type { MessagePdu } from '../pdu/message-pdu';
import type { SentDataCodingLog } from '../types';

/** Added to a recorded data_coding (one octet) when the message was one part of a long one. */
export const PART_OF_LONG = 0x100;

const ESM_UDHI = 0x40;

/** True when `pdu` is one part of a concatenated message: SAR TLVs, or a UDH with a concatenation element (0x00 or 0x08). */
export function isPartOfLong(pdu: Pick<MessagePdu, 'esmClass' | 'shortMessage' | 'tlvs'>): boolean {
  if (pdu.tlvs.sar) return true;
  if ((pdu.esmClass & ESM_UDHI) === 0) return false;
  const udh = pdu.shortMessage;
  const end = Math.min(udh.length, 1 + (udh[0] ?? 0));
  for (let i = 1; i + 1 < end; i += 2 + udh[i + 1]) if (udh[i] === 0x00 || udh[i] === 0x08) return true;
  return false;
}

/** What was recorded of a sent message. */
export interface SentCoding {
  dataCoding: number;
  partOfLong: boolean;
}

/** Reads a recorded value (see PART_OF_LONG). */
export function sentCodingOf(recorded: number): SentCoding {
  return { dataCoding: recorded & 0xff, partOfLong: (recorded & PART_OF_LONG) !== 0 };
}

/**
 * `id` trimmed as String.prototype.trim does. An ID whose ends are printable ASCII (no
 * whitespace) is returned as is without calling trim(): that call cost ~119 instructions per
 * record on the State Store Redis path, this check ~64 (callgrind, 3,000,000 records).
 */
function trimmedId(id: string): string {
  const first = id.charCodeAt(0);
  const last = id.charCodeAt(id.length - 1);
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f ? id : id.trim();
}

/** How many message IDs one carrier account keeps (oldest forgotten first): ~10 MB at most. */
const MAX_KEPT = 100_000;

/**
 * The data_coding of messages this process sent, by message ID, for replace_sm: it carries no
 * data_coding, so the carrier reads the new text in the original's, and the new text must be
 * written in that alphabet. Every message is kept, GSM-7 too: a carrier that hands out an ID
 * again (an SMSC restarted) overwrites the entry, so the old message's alphabet is not used for
 * the new one. A part of a long message is marked (PART_OF_LONG): replace_sm cannot replace it.
 * A message not found is read as "not sent by this process" (see prepareReplacement).
 */
export class SentDataCodings implements SentDataCodingLog {
  /**
   * The last `maxKept` records, a ring: the message ID and the recorded value of record k are at
   * slot k % maxKept. A record is two array writes: every accepted part of a broadcast records
   * one, and a Map by ID written per record (set, and delete of the ID leaving) cost ~1.2 µs per
   * message on the send path, for a lookup only Replace Sent Message makes.
   */
  private readonly ids: Array<string | undefined> = [];
  private readonly values: number[] = [];
  private records = 0;
  /**
   * Message ID -> slot of its latest record, built on the first lookup and kept up to date while
   * lookups go on; dropped once a whole ring's worth of records passed without one (then the send
   * path writes only the ring again). Never consulted without being complete: see index().
   */
  private byId: Map<string, number> | null = null;
  /** `records` at the last lookup. */
  private lookedUpAt = 0;
  /** Also told of each one, its ID trimmed (the registry shares them through Redis with State Store Redis). */
  onRecord: ((messageId: string, dataCoding: number) => void) | null = null;

  constructor(private readonly maxKept = MAX_KEPT) {}

  /**
   * Records `messageId` as get() looks it up, trimmed (a carrier may pad the IDs of its
   * submit_sm_resp with spaces): the index by ID and onRecord take it trimmed. The ring keeps it
   * as given and is trimmed when the index is built: trim() on every record of a broadcast cost
   * ~126 instructions per record (callgrind, 3,000,000 records), for a lookup only Replace makes.
   */
  record(messageId: string, dataCoding: number, partOfLong = false): void {
    const recorded = dataCoding | (partOfLong ? PART_OF_LONG : 0);
    const slot = this.records % this.maxKept;
    if (this.byId) {
      if (this.records - this.lookedUpAt >= this.maxKept) {
        this.byId = null;
      } else {
        // The ID recorded maxKept records ago leaves, unless it was recorded again since (a
        // reused ID goes to the back: the oldest forgotten first).
        const leaving = this.ids[slot] === undefined ? undefined : trimmedId(this.ids[slot]);
        if (leaving !== undefined && this.byId.get(leaving) === slot) this.byId.delete(leaving);
        this.byId.set(trimmedId(messageId), slot);
      }
    }
    this.ids[slot] = messageId;
    this.values[slot] = recorded;
    this.records++;
    this.onRecord?.(trimmedId(messageId), recorded); // not evaluated without a listener (no State Store Redis)
  }

  /** What was recorded for `messageId` (data_coding, plus PART_OF_LONG) when this process sent it; else undefined. */
  get(messageId: string): number | undefined {
    const slot = this.index().get(messageId.trim());
    this.lookedUpAt = this.records;
    return slot === undefined ? undefined : this.values[slot];
  }

  /** How many message IDs are kept now. */
  get size(): number {
    return this.index().size;
  }

  /** The index by ID, built from the ring (oldest record first, so the latest of a reused ID wins) when there is none. */
  private index(): Map<string, number> {
    if (this.byId) return this.byId;
    const byId = new Map<string, number>();
    for (let k = Math.max(0, this.records - this.maxKept); k < this.records; k++) {
      const slot = k % this.maxKept;
      byId.set(trimmedId(this.ids[slot] as string), slot);
    }
    this.lookedUpAt = this.records;
    return (this.byId = byId);
  }
}
