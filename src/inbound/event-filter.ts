import { FieldError } from '../errors';
import { configuredAddress } from './inbound-address';
import type { InboundEvent, InboundEventType } from './inbound-event';
import { INBOUND_EVENT_TYPES } from './inbound-event';

export type KeywordMatch = 'none' | 'exact' | 'startsWith' | 'regex';

export interface EventFilterOptions {
  /** Event types to pass; empty passes none, so the node always gives at least one. */
  eventTypes: InboundEventType[];
  /** Message senders to pass (any form; compared in E.164); empty passes every sender. */
  senders?: string[];
  keywordMatch?: KeywordMatch;
  /** Keywords for 'exact' and 'startsWith'; for 'regex', one pattern in keywords[0]. */
  keywords?: string[];
  defaultCountry?: string;
}

/** A filter setting that cannot work; `field` names the node parameter. */
export class FilterSettingError extends FieldError {
  constructor(field: string, problem: string) {
    super(field, problem);
    this.name = 'FilterSettingError';
  }
}

export type EventFilter = (event: InboundEvent) => boolean;

/** Folds case and surrounding/inner whitespace so " Stop  Now" matches "stop now". */
function fold(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
}

function keywordTest(match: KeywordMatch, keywords: string[]): ((text: string) => boolean) | null {
  if (match === 'none') return null;
  if (match === 'regex') {
    const pattern = keywords[0] ?? '';
    if (pattern === '') throw new FilterSettingError('keywords', 'Keyword filter: the regular expression is empty');
    let regex: RegExp;
    try {
      regex = new RegExp(pattern, 'i');
    } catch (err) {
      throw new FilterSettingError('keywords', `Keyword filter: "${pattern}" is not a valid regular expression (${(err as Error).message})`);
    }
    return (text) => regex.test(text);
  }
  const folded = keywords.map(fold).filter((k) => k !== '');
  if (folded.length === 0) throw new FilterSettingError('keywords', `Keyword filter "${match}" needs at least one keyword`);
  if (match === 'exact') {
    const set = new Set(folded);
    return (text) => set.has(fold(text));
  }
  return (text) => {
    const t = fold(text);
    return folded.some((k) => t.startsWith(k));
  };
}

/**
 * Builds the node's event filter. Sender and keyword filters apply to messages only: a receipt
 * has no text, and its sender is our own. Keyword matching ignores case.
 */
export function compileEventFilter(options: EventFilterOptions): EventFilter {
  for (const type of options.eventTypes) {
    if (!INBOUND_EVENT_TYPES.includes(type))
      throw new FilterSettingError('events', `Unknown event type "${String(type)}" (use ${INBOUND_EVENT_TYPES.join(' or ')})`);
  }
  const types = new Set(options.eventTypes);
  const senders = new Set(
    (options.senders ?? [])
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => configuredAddress(s, options.defaultCountry).toLowerCase()),
  );
  const keyword = keywordTest(options.keywordMatch ?? 'none', options.keywords ?? []);
  return (event) => {
    if (!types.has(event.type)) return false;
    if (event.type !== 'message') return true;
    if (senders.size > 0 && !senders.has(event.from.toLowerCase())) return false;
    return keyword === null || keyword(event.text);
  };
}
