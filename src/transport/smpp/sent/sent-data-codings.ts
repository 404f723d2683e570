import type { SentDataCodingLog } from '../types';

/** How many message IDs one carrier account keeps (oldest forgotten first): ~10 MB at most. */
const MAX_KEPT = 100_000;

/**
 * The data_coding of messages this process sent, by message ID, for replace_sm: it carries no
 * data_coding, so the carrier reads the new text in the original's, and the new text must be
 * written in that alphabet. Only messages not in the SMSC default alphabet (data_coding 0) are
 * kept, so the GSM-7 parts of a broadcast (most of them) add no map entry to the submit path; a
 * message not found is read as "GSM-7, or not sent by this process" (see prepareReplacement).
 */
export class SentDataCodings implements SentDataCodingLog {
  private readonly byId = new Map<string, number>();
  /** Also told of each one (the registry shares them through Redis with State Store Redis). */
  onRecord: ((messageId: string, dataCoding: number) => void) | null = null;

  constructor(private readonly maxKept = MAX_KEPT) {}

  record(messageId: string, dataCoding: number): void {
    this.byId.set(messageId, dataCoding);
    this.onRecord?.(messageId, dataCoding);
    if (this.byId.size > this.maxKept) this.byId.delete(this.byId.keys().next().value as string);
  }

  /** The data_coding `messageId` was sent with, when it was not 0 and this process sent it; else undefined. */
  get(messageId: string): number | undefined {
    return this.byId.get(messageId.trim());
  }
}
