/**
 * Attack: the status operation is meant for "Schedule Trigger every minute, Slack when a link is
 * down". A link that gave up reconnecting (the worst state) is taken off the board on 'closed',
 * so Get Gateway Status returns no item for it: the alert workflow sees nothing to alert on.
 */
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { connectionStatuses, gatewayMetrics } from '../../src/observability';
import { resetGatewayLog } from '../../src/observability/gateway-log';
import { ArrayLogger } from '../support/gateway-observer';
import { startSandbox, waitFor } from '../support/sandbox';

describe('attack: status after give-up', () => {
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

  it('a credential whose link gave up still has an item with up: false', async () => {
    const name = `gaveup-${Date.now()}`;
    const lease = await acquireSmppTransport({
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
    expect(connectionStatuses().filter((s) => s.credential === name)).toHaveLength(1);
    smsc.options.accounts = [{ systemId: 'acct', password: 'changed' }];
    smsc.dropConnections();
    await waitFor(() => logger.lines.some((l) => l.fields?.event === 'smpp.gaveUp'), 'gave up', 20_000);
    console.log(logger.lines.map((l) => `${l.level} ${l.message}`).join('\n'));
    console.log('gauge', gatewayMetrics().smppBound.get(name), 'status items', JSON.stringify(connectionStatuses().filter((s) => s.credential === name)));
    expect(gatewayMetrics().smppBound.get(name)).toBe(0); // the metric keeps the alert
    expect(connectionStatuses().filter((s) => s.credential === name)).toEqual([expect.objectContaining({ up: false })]);
    await lease.release();
  });

  it('each failed reconnect line names its own attempt number', async () => {
    const name = `attempts-${Date.now()}`;
    const lease = await acquireSmppTransport({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'acct',
      password: 'pw1',
      enquireLinkMs: 0,
      reconnectBaseMs: 20,
      reconnectMaxMs: 50,
      reconnectAttempts: 3,
      credentialName: name,
    });
    smsc.options.accounts = [{ systemId: 'acct', password: 'changed' }];
    smsc.dropConnections();
    await waitFor(() => logger.lines.some((l) => l.fields?.event === 'smpp.gaveUp'), 'gave up', 20_000);
    const attempts = logger.lines.filter((l) => l.fields?.event === 'smpp.bindFailed').map((l) => l.fields?.attempt);
    const reconnecting = logger.lines.filter((l) => l.fields?.event === 'smpp.reconnecting').map((l) => l.fields?.attempt);
    console.log('reconnecting attempts', reconnecting, 'bindFailed attempts', attempts);
    expect(attempts).toEqual(reconnecting);
    await lease.release();
  });
});
