/**
 * Which route each message of a broadcast took (SMPP or modem), for the output: a `route` on every
 * recipient result, `from` as the modem sends it, and per-route counts in the summary.
 */
import { MODEM_SENDER } from '../../../src/gateway';
import type { SmsRoute } from '../../../src/gateway';
import type { BroadcastSummary, RecipientResult } from '../../../src/broadcast';
import type { SmsSender } from './sender-session';

/** The route of the message to `to` (E.164); SMPP when nothing was recorded. */
export function routeOf(sender: SmsSender | null, to: string): SmsRoute {
  if (!sender || sender.transport === 'smpp') return 'smpp';
  if (sender.transport === 'modem') return 'modem';
  return sender.routes.get(to.replace(/^\+/, '')) ?? 'smpp';
}

export interface RouteCounter {
  /** Messages accepted by modem so far. */
  readonly modemAccepted: number;
  /** Records an accepted message and returns its route. */
  accepted(to: string): SmsRoute;
}

export function routeCounter(sender: SmsSender | null): RouteCounter {
  let modemAccepted = 0;
  return {
    get modemAccepted() {
      return modemAccepted;
    },
    accepted(to) {
      const route = routeOf(sender, to);
      if (route === 'modem') modemAccepted++;
      return route;
    },
  };
}

type RoutedRecipient = RecipientResult & { route?: SmsRoute };

/** Adds routes to the output when the node can send by modem; SMPP-only output stays as it was. */
export function annotateRoutes(sender: SmsSender | null, summary: BroadcastSummary, results: RecipientResult[]): void {
  if (!sender || sender.transport === 'smpp') return;
  for (const result of results as RoutedRecipient[]) {
    if (result.status !== 'accepted' && result.status !== 'failed') continue;
    result.route = routeOf(sender, result.to);
    if (result.route === 'modem') result.from = MODEM_SENDER;
  }
  const counts = { smpp: 0, modem: 0 };
  if (sender.transport === 'modem') counts.modem = summary.accepted + summary.failed;
  else for (const route of sender.routes.values()) counts[route]++;
  (summary as BroadcastSummary & { routes?: typeof counts }).routes = counts;
}
