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
  private readonly byId = new Map<string, number>();
  /** Also told of each one (the registry shares them through Redis with State Store Redis). */
  onRecord: ((messageId: string, dataCoding: number) => void) | null = null;

  constructor(private readonly maxKept = MAX_KEPT) {}

  record(messageId: string, dataCoding: number, partOfLong = false): void {
    const recorded = dataCoding | (partOfLong ? PART_OF_LONG : 0);
    // A reused ID goes to the back: the oldest forgotten first.
    this.byId.delete(messageId);
    this.byId.set(messageId, recorded);
    this.onRecord?.(messageId, recorded);
    if (this.byId.size > this.maxKept) this.byId.delete(this.byId.keys().next().value as string);
  }

  /** What was recorded for `messageId` (data_coding, plus PART_OF_LONG) when this process sent it; else undefined. */
  get(messageId: string): number | undefined {
    return this.byId.get(messageId.trim());
  }
}
