/**
 * The `sms_gateway_smpp_bound` series of each credential, kept from every SMPP link of that
 * credential in this process rather than from one transport's events: a link that gave up, or
 * whose first bind the carrier refused, closes, yet the credential is down and the alert on
 * `== 0` must keep firing. Such a link leaves a "down" mark (with a status item, up: false) until
 * a link of the same credential binds again, or DOWN_MEMORY_MS after its last failed attempt (a
 * credential deleted while down stops alerting a day later).
 */
import { processWide } from '../process-wide/shared-resource-pool';
import { registerConnection } from './connection-board';
import { gatewayMetrics } from './gateway-metrics';

/** How long a credential that failed and was not tried again stays at 0. */
const DOWN_MEMORY_MS = 24 * 3_600_000;

/** What an open SMPP link tells the gauge: how many of its binds are bound now. */
export interface OpenLink {
  readonly boundCount: number;
}

interface DownMark {
  reason: string;
  since: string;
  lastFailure: string;
  unregister: () => void;
  expiry: NodeJS.Timeout;
}

interface CredentialLinks {
  open: Set<OpenLink>;
  /** Keyed by the carrier account (system_id@host:port): two credentials of one name stay apart. */
  down: Map<string, DownMark>;
}

function links(): Map<string, CredentialLinks> {
  return processWide('observabilitySmppLinks', () => new Map<string, CredentialLinks>());
}

function entry(credential: string): CredentialLinks {
  let found = links().get(credential);
  if (!found) links().set(credential, (found = { open: new Set(), down: new Map() }));
  return found;
}

/**
 * Sets the series: 1 while any link of the credential has a bound bind, 0 while one is open but
 * none is bound or one is marked down, and no series once every link closed cleanly.
 */
export function refreshBound(credential: string): void {
  const found = links().get(credential);
  const gauge = gatewayMetrics().smppBound;
  if (!found || (found.open.size === 0 && found.down.size === 0)) {
    links().delete(credential);
    gauge.forget(credential);
    return;
  }
  let up = 0;
  for (const link of found.open) if (link.boundCount > 0) up = 1;
  gauge.set([credential], up);
}

export function linkOpened(credential: string, link: OpenLink): void {
  entry(credential).open.add(link);
  refreshBound(credential);
}

/** A link of the credential bound: the credential is no longer down (whichever account failed before under this name). */
export function linkBound(credential: string): void {
  const found = entry(credential);
  for (const mark of found.down.values()) forgetMark(mark);
  found.down.clear();
  refreshBound(credential);
}

/** The link closed; `failure` when it closed because it could not bind (gave up, or its first bind was refused). */
export function linkClosed(credential: string, link: OpenLink, account: string, failure?: string): void {
  const found = entry(credential);
  found.open.delete(link);
  if (failure !== undefined) markDown(credential, found, account, failure);
  refreshBound(credential);
}

function markDown(credential: string, found: CredentialLinks, account: string, reason: string): void {
  const now = new Date().toISOString();
  const previous = found.down.get(account);
  if (previous) forgetMark(previous);
  const mark: DownMark = {
    reason,
    since: previous?.since ?? now,
    lastFailure: now,
    unregister: registerConnection({
      credential,
      kind: 'smpp',
      describe: () => ({
        credential,
        kind: 'smpp',
        state: 'down',
        up: false,
        reason: mark.reason,
        downSince: mark.since,
        lastFailure: mark.lastFailure,
        inFlight: 0,
        queued: 0,
      }),
    }),
    expiry: setTimeout(() => {
      mark.unregister();
      if (found.down.get(account) === mark) found.down.delete(account);
      refreshBound(credential);
    }, DOWN_MEMORY_MS),
  };
  mark.expiry.unref();
  found.down.set(account, mark);
}

function forgetMark(mark: DownMark): void {
  clearTimeout(mark.expiry);
  mark.unregister();
}
