/** The SMS Trigger's SMPP server (server mode) in the logs, metrics and status board. */
import type { SmppServer } from '../transport/smpp/server/smpp-server';
import { registerConnection } from './connection-board';
import { reportEvent } from './gateway-log';
import { gatewayMetrics } from './gateway-metrics';

/** `name` labels it (the listening address: ours, not a carrier's). */
export function observeSmppServer(server: SmppServer, name: string): () => void {
  const binds = gatewayMetrics().serverBinds;
  server.on('bound', (info) => {
    binds.child(name, 'bound').value++;
    reportEvent({ type: 'server.bound', credential: name, systemId: info.systemId, remote: info.remote });
  });
  server.on('bindRefused', (info) => {
    binds.child(name, info.reason).value++;
    reportEvent({ type: 'server.bindRefused', credential: name, systemId: info.systemId, remote: info.remote, reason: info.reason, lockedNow: info.lockedNow });
  });
  return registerConnection({
    credential: name,
    kind: 'smppServer',
    describe: () => ({ credential: name, kind: 'smppServer', state: 'listening', up: true, port: server.port, ...server.stats, openConnections: server.openConnections }),
  });
}
