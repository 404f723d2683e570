import type { StoredMessage } from '../types';

/** A stored message as the API and the inbox page see it: the record plus its SMS part count when known. */
export type MessageView = StoredMessage & { parts?: number };

const MAX_REMEMBERED = 10_000;

/**
 * Part counts of MO messages injected through the API (the store records MO text whole, so the
 * count is known only to whoever encoded it). Bounded: the oldest entries are forgotten.
 */
export class MoPartCounts {
  private readonly counts = new Map<string, number>();

  remember(id: string, parts: number): void {
    this.counts.set(id, parts);
    if (this.counts.size > MAX_REMEMBERED) this.counts.delete(this.counts.keys().next().value as string);
  }

  clear(): void {
    this.counts.clear();
  }

  /** MT parts come from the concat header (one stored record per part); MO parts from what the API injected. */
  view(message: StoredMessage): MessageView {
    if (message.direction === 'mt') return { ...message, parts: message.concat?.total ?? 1 };
    const parts = this.counts.get(message.id);
    return parts === undefined ? { ...message } : { ...message, parts };
  }
}
