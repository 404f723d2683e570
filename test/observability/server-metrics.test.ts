/**
 * The SMS Trigger's SMPP server mode in the metrics and the log: applications binding over TCP
 * with the `smpp` library's client (as a user's application would), an attacker guessing
 * passwords until locked out; binds by result and open connections read back through a real
 * prom-client Registry (n8n's /metrics), refusals logged with the source address and never the
 * password tried.
 */
import { acquireSmppServer, closeAllSmppServers } from '../../src/registry/listener-registry';
import { resetGatewayLog } from '../../src/observability/gateway-log';
import { bindOnce, connectLibraryClient } from '../inbound/support/smpp-library-client';
import type { LibraryClient } from '../inbound/support/smpp-library-client';
import { ArrayLogger, registryWithGatewayMetrics, seriesOf as series } from '../support/gateway-observer';
import { waitFor } from '../support/sandbox';

const APP = { systemId: 'shopapp', password: 'Shop-Pw-81' };
const GUESSES = ['guess-one', 'guess-two', 'guess-three'];

describe('SMS Trigger server mode in the metrics and the log', () => {
  let logger: ArrayLogger;
  const clients: LibraryClient[] = [];
  beforeEach(() => {
    logger = new ArrayLogger();
    resetGatewayLog(undefined, logger);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await closeAllSmppServers();
    resetGatewayLog();
  });

  it('counts binds by result and open connections; a lockout is logged with the address, never the password tried', async () => {
    const lease = await acquireSmppServer({ host: '127.0.0.1', port: 0, lockout: { maxFailures: 2, lockoutMs: 60_000 } });
    const server = lease.resource;
    server.subscribe({ account: { ...APP, lockout: { maxFailures: 2, lockoutMs: 60_000 } }, onSubmit: async () => undefined });
    const name = `SMPP server :${server.port}`;
    const registry = registryWithGatewayMetrics();
    expect(await series(registry, 'sms_gateway_server_connections', name)).toEqual({ '': 0 });

    for (let i = 0; i < 2; i++) {
      const client = await connectLibraryClient(server.port);
      clients.push(client);
      expect(await client.bind('transceiver', APP.systemId, APP.password)).toBe(0);
    }
    expect(await series(registry, 'sms_gateway_server_binds_total', name)).toEqual({ bound: 2 });
    expect(await series(registry, 'sms_gateway_server_connections', name)).toEqual({ '': 2 });

    // An attacker on the same address guesses the application's password: two misses lock the address out.
    const answers: number[] = [];
    for (const guess of GUESSES) answers.push(await bindOnce(server.port, APP.systemId, guess));
    expect(answers.every((status) => status !== 0)).toBe(true);
    expect(await series(registry, 'sms_gateway_server_binds_total', name)).toEqual({ bound: 2, 'wrong-credentials': 2, locked: 1 });

    await Promise.all(clients.splice(0).map((c) => c.close()));
    await waitFor(() => server.openConnections === 0, 'the connections to close');
    expect(await series(registry, 'sms_gateway_server_connections', name)).toEqual({ '': 0 });

    const refusals = logger.lines.filter((line) => line.fields?.event === 'server.bindRefused');
    expect(refusals.map((line) => [line.level, line.fields?.reason, line.fields?.lockedNow])).toEqual([
      ['warn', 'wrong-credentials', false],
      ['warn', 'wrong-credentials', true],
      // The refusal while locked out is counted (metric above) and goes into the minute's summary line.
    ]);
    expect(refusals[1].message).toMatch(
      new RegExp(
        `^SMS Gateway: SMPP server "${name}": bind of "shopapp" from .*127\\.0\\.0\\.1.* refused \\(wrong-credentials\\); that address is now locked out$`,
      ),
    );
    const everything = JSON.stringify(logger.lines);
    for (const secret of [APP.password, ...GUESSES]) expect(everything).not.toContain(secret);
    await lease.release();
  });
});
