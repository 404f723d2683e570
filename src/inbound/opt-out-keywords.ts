import type { OptOutStore } from '../optout/opt-out-store';
import type { MessageEvent } from './inbound-event';

export const DEFAULT_STOP_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
export const DEFAULT_START_KEYWORDS = ['START', 'UNSTOP'];

export interface OptOutKeywordOptions {
  /** Opt-out list name shared with Send SMS and Bulk Alert Broadcast (default 'default'). */
  list: string;
  stopKeywords: string[];
  startKeywords: string[];
}

function canonical(text: string): string {
  // "Stop." and " stop! " count; "stop sending me offers" does not (the keyword must be the whole text).
  return text
    .trim()
    .replace(/[\s.!?,;:]+$/u, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();
}

/** 'optOut' for a STOP-like text, 'optIn' for a START-like text, null otherwise. */
export function optOutIntent(text: string, options: Pick<OptOutKeywordOptions, 'stopKeywords' | 'startKeywords'>): 'optOut' | 'optIn' | null {
  const t = canonical(text);
  if (t === '') return null;
  if (options.stopKeywords.some((k) => canonical(k) === t)) return 'optOut';
  if (options.startKeywords.some((k) => canonical(k) === t)) return 'optIn';
  return null;
}

/**
 * Updates the opt-out list for a STOP/START message and marks the event. Only E.164 senders
 * are recorded (Send SMS checks recipients in E.164). A store failure propagates, so the
 * carrier redelivers the message instead of the opt-out being lost.
 */
export async function applyOptOutKeyword(event: MessageEvent, store: OptOutStore, options: OptOutKeywordOptions): Promise<void> {
  if (event.incomplete || !event.from.startsWith('+')) return;
  const intent = optOutIntent(event.text, options);
  if (intent === 'optOut') {
    await store.optOut(options.list, event.from);
    event.optOut = 'added';
    event.optOutList = options.list;
  } else if (intent === 'optIn') {
    await store.optIn(options.list, event.from);
    event.optOut = 'removed';
    event.optOutList = options.list;
  }
}
