/** The SMS Trigger's SMPP server (server mode) in the logs, metrics and status board. */
import type { SmppServer } from '../transport/smpp/server/smpp-server';
import { registerConnection } from './connection-board';
import { clientSystemId } from './gateway-events';
import { BURST_LINE_INTERVAL_MS, reportEvent } from './gateway-log';
import { gatewayMetrics } from './gateway-metrics';
import { RefusalLines } from './refusal-lines';

/** `name` labels it (the listening address: ours, not a carrier's). */
export function observeSmppServer(server: SmppServer, name: string): () => void {
  const binds = gatewayMetrics().serverBinds;
  const refusals = new RefusalLines(BURST_LINE_INTERVAL_MS, (remote, count) =>
    reportEvent({ type: 'server.bindRefusedSummary', credential: name, remote, count }),
  );
  server.on('bound', (info) => {
    binds.child(name, 'bound').value++;
    reportEvent({ type: 'server.bound', credential: name, systemId: clientSystemId(info.systemId, true), remote: info.remote });
  });
  server.on('bindRefused', (info) => {
    binds.child(name, info.reason).value++;
    // The metric counts every refusal; the log says the first of a minute per address (and lockouts).
    if (!refusals.admit(info.address, info.lockedNow)) return;
    reportEvent({
      type: 'server.bindRefused',
      credential: name,
      systemId: clientSystemId(info.systemId, info.knownSystemId),
      remote: info.remote,
      reason: info.reason,
      lockedNow: info.lockedNow,
    });
  });
  return registerConnection({
    credential: name,
    kind: 'smppServer',
    describe: () => ({
      credential: name,
      kind: 'smppServer',
      state: 'listening',
      up: true,
      port: server.port,
      ...server.stats,
      openConnections: server.openConnections,
    }),
  });
}
