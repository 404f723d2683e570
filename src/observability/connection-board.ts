/**
 * The connections open in this process (SMPP binds, server-mode listeners, modems), each with a
 * function that describes it now: the status operation lists them, and the gauges of a
 * Prometheus scrape read them. A connection unregisters when it closes.
 */
import { processWide } from '../process-wide/shared-resource-pool';

export type ConnectionKind = 'smpp' | 'smppServer' | 'modem';

/** One connection as the status operation returns it (JSON-safe). */
export interface ConnectionStatus {
  credential: string;
  kind: ConnectionKind;
  /** bound | connecting | reconnecting | closed (SMPP); listening (server); ready | unregistered | ... (modem). */
  state: string;
  /** True when it can do its job now (bound, listening, registered). */
  up: boolean;
  [detail: string]: unknown;
}

export interface ConnectionSource {
  readonly credential: string;
  readonly kind: ConnectionKind;
  describe(): ConnectionStatus;
}

function board(): Set<ConnectionSource> {
  return processWide('observabilityConnections', () => new Set<ConnectionSource>());
}

/** Adds a connection; the returned function removes it. */
export function registerConnection(source: ConnectionSource): () => void {
  board().add(source);
  return () => void board().delete(source);
}

export function liveConnections(kind?: ConnectionKind): ConnectionSource[] {
  return [...board()].filter((source) => kind === undefined || source.kind === kind);
}

/** Every connection of this process, described now, ordered by kind then credential. */
export function connectionStatuses(): ConnectionStatus[] {
  return liveConnections()
    .map((source) => {
      try {
        return source.describe();
      } catch (err) {
        return { credential: source.credential, kind: source.kind, state: 'unreadable', up: false, error: (err as Error).message };
      }
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.credential.localeCompare(b.credential));
}
