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
   * Message ID -> (sequence number of its latest record) * 1024 + recorded value: one number per
   * entry, no object. The oldest is found through `order`, a ring of the last `maxKept` IDs, not
   * by deleting a Map's first key: V8 leaves a hole for each deleted entry at the front, so
   * `keys().next()` after many such deletes walks them all (~60 µs per record past 100,000 sends,
   * a million-recipient broadcast ran 6 times slower).
   */
  private readonly byId = new Map<string, number>();
  private readonly order: string[] = [];
  private records = 0;
  /** Also told of each one (the registry shares them through Redis with State Store Redis). */
  onRecord: ((messageId: string, dataCoding: number) => void) | null = null;

  constructor(private readonly maxKept = MAX_KEPT) {}

  record(messageId: string, dataCoding: number, partOfLong = false): void {
    const recorded = dataCoding | (partOfLong ? PART_OF_LONG : 0);
    const slot = this.records % this.maxKept;
    // The ID recorded maxKept records ago leaves, unless it was recorded again since (a reused
    // ID goes to the back: the oldest forgotten first).
    const leaving = this.order[slot];
    if (leaving !== undefined && Math.floor((this.byId.get(leaving) ?? -1) / 1024) === this.records - this.maxKept) this.byId.delete(leaving);
    this.order[slot] = messageId;
    this.byId.set(messageId, this.records * 1024 + recorded);
    this.records++;
    this.onRecord?.(messageId, recorded);
  }

  /** What was recorded for `messageId` (data_coding, plus PART_OF_LONG) when this process sent it; else undefined. */
  get(messageId: string): number | undefined {
    const entry = this.byId.get(messageId.trim());
    return entry === undefined ? undefined : entry % 1024;
  }

  /** How many message IDs are kept now. */
  get size(): number {
    return this.byId.size;
  }
}
