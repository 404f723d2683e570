/**
 * Attack on the README alert `sms_gateway_smpp_bound == 0`: after a link gave up the series stays
 * 0 "for the alert"; the next send opens a new connection, which fails to bind (carrier still
 * refuses) and closes -> observer forgets the series -> the alert resolves while the link is down.
 * And a credential whose first bind never succeeds has no series at all.
 */
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { gatewayMetrics } from '../../src/observability';
import { resetGatewayLog } from '../../src/observability/gateway-log';
import { ArrayLogger } from '../support/gateway-observer';
import { startSandbox, waitFor } from '../support/sandbox';

describe('attack: bound series vanishes while the link is down', () => {
  let smsc: SandboxSmsc;
  let logger: ArrayLogger;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '60000';
  });
  afterAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    logger = new ArrayLogger();
    resetGatewayLog(undefined, logger);
    smsc = await startSandbox({ accounts: [{ systemId: 'acct', password: 'pw1' }] });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
    resetGatewayLog();
  });
  const cfg = (name: string) => ({
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'acct',
    password: 'pw1',
    enquireLinkMs: 0,
    reconnectBaseMs: 20,
    reconnectMaxMs: 50,
    reconnectAttempts: 2,
    credentialName: name,
  });
  const boundSeries = (name: string) =>
    gatewayMetrics()
      .smppBound.samples()
      .filter((s) => s.labels.credential === name)
      .map((s) => s.value);

  it('gave up, then the next send fails to bind: the 0 series must stay', async () => {
    const name = `vanish-${Date.now()}`;
    const lease = await acquireSmppTransport(cfg(name));
    smsc.options.accounts = [{ systemId: 'acct', password: 'changed' }];
    smsc.dropConnections();
    await waitFor(() => logger.lines.some((l) => l.fields?.event === 'smpp.gaveUp'), 'gave up', 20_000);
    expect(boundSeries(name)).toEqual([0]);
    // The next Send SMS run: a new connection, still refused.
    await expect(acquireSmppTransport(cfg(name))).rejects.toThrow(/ESME_RINVPASWD|invalid password/);
    console.log('bound series after the retry failed:', boundSeries(name));
    expect(boundSeries(name)).toEqual([0]);
    await lease.release();
  });

  it('a credential whose first bind is refused has a 0 series', async () => {
    const name = `never-${Date.now()}`;
    smsc.options.accounts = [{ systemId: 'acct', password: 'changed' }];
    await expect(acquireSmppTransport(cfg(name))).rejects.toThrow();
    console.log('bound series of a credential that never bound:', boundSeries(name));
    expect(boundSeries(name)).toEqual([0]);
  });
});
