import { HttpError } from './http-io';

export interface MessageQuery {
  to?: string;
  from?: string;
  direction?: 'mt' | 'mo';
  /** Epoch milliseconds; messages received at or after this time. */
  since?: number;
  /** Newest messages to return (the store can hold 200 000). */
  limit: number;
}

export const DEFAULT_MESSAGE_LIMIT = 1000;
export const MAX_MESSAGE_LIMIT = 100_000;
const QUERY_FIELDS = ['to', 'from', 'direction', 'since', 'limit'];

function parseSince(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new HttpError(400, `since must be epoch milliseconds or an ISO 8601 date, got "${value.slice(0, 40)}"`);
  return parsed;
}

/** Reads GET /api/messages filters: ?to=&from=&direction=mt|mo&since=&limit=. Throws HttpError 400 naming the parameter. */
export function parseMessageQuery(params: URLSearchParams): MessageQuery {
  for (const key of params.keys()) {
    if (!QUERY_FIELDS.includes(key)) throw new HttpError(400, `unknown query parameter "${key.slice(0, 40)}"; known: ${QUERY_FIELDS.join(', ')}`);
  }
  const query: MessageQuery = { limit: DEFAULT_MESSAGE_LIMIT };
  const to = params.get('to')?.trim();
  if (to) query.to = to;
  const from = params.get('from')?.trim();
  if (from) query.from = from;
  const direction = params.get('direction');
  if (direction !== null && direction !== '') {
    if (direction !== 'mt' && direction !== 'mo')
      throw new HttpError(400, `direction must be "mt" (sent to phones) or "mo" (sent by phones), got "${direction.slice(0, 20)}"`);
    query.direction = direction;
  }
  const since = params.get('since');
  if (since !== null && since !== '') query.since = parseSince(since.trim());
  const limit = params.get('limit');
  if (limit !== null && limit !== '') {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_MESSAGE_LIMIT) {
      throw new HttpError(400, `limit must be a whole number from 1 to ${MAX_MESSAGE_LIMIT}, got "${limit.slice(0, 20)}"`);
    }
    query.limit = Number(limit);
  }
  return query;
}
