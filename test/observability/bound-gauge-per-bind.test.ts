/**
 * Attack: sms_gateway_smpp_bound against the real link state.
 * 1. A credential with 2 binds: one bind drops and cannot rebind; the other is up and sending.
 * 2. Two n8n credentials with the same name (n8n allows it) on different accounts: one closes.
 */
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { connectionStatuses, gatewayMetrics } from '../../src/observability';
import { simpleSubmit } from '../support/messages';
import { startSandbox, waitFor } from '../support/sandbox';

describe('attack: bound gauge', () => {
  let smsc: SandboxSmsc;
  let other: SandboxSmsc | undefined;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ accounts: [{ systemId: 'acct', password: 'pw1' }] });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
    await other?.stop();
    other = undefined;
  });
  const cfg = (port: number, name: string, extra: Partial<SmppConnectionConfig> = {}): SmppConnectionConfig => ({
    host: '127.0.0.1',
    port,
    systemId: 'acct',
    password: 'pw1',
    enquireLinkMs: 0,
    reconnectBaseMs: 50,
    reconnectMaxMs: 200,
    credentialName: name,
    ...extra,
  });

  it('binds: 2, one bind down: the gauge says the credential is down while it is bound and sending', async () => {
    const name = `pool-${Date.now()}`;
    const lease = await acquireSmppTransport(cfg(smsc.port, name, { binds: 2 }));
    const pool = lease.resource;
    await waitFor(() => pool.boundCount === 2, 'both binds up');
    smsc.options.accounts = [{ systemId: 'acct', password: 'changed' }]; // rebinds refused
    expect(smsc.dropConnections(1)).toBe(1);
    await waitFor(() => pool.boundCount === 1, 'one bind down');
    await new Promise((r) => setTimeout(r, 500));
    // Sends still work through the other bind.
    const r = await pool.submit(simpleSubmit('447700900001', 'still up'));
    console.log('submit result', JSON.stringify(r).slice(0, 120), 'pool.state', pool.state, 'gauge', gatewayMetrics().smppBound.get(name));
    const status = connectionStatuses().find((s) => s.credential === name);
    expect(status?.up).toBe(true);
    expect(gatewayMetrics().smppBound.get(name)).toBe(1);
    await lease.release();
  });

  it("two credentials with the same name on two accounts: closing one wipes the other's bound series", async () => {
    other = await startSandbox({ accounts: [{ systemId: 'acct', password: 'pw1' }] });
    const name = `SMPP account`;
    const a = await acquireSmppTransport(cfg(smsc.port, name));
    const b = await acquireSmppTransport(cfg(other.port, name));
    expect(gatewayMetrics().smppBound.get(name)).toBe(1);
    await a.release();
    await waitFor(() => a.resource.state === 'closed', 'a closed');
    // b is still bound and in use.
    expect(b.resource.state).toBe('bound');
    const series = gatewayMetrics()
      .smppBound.samples()
      .filter((s) => s.labels.credential === name);
    console.log('bound series for the still-bound credential after the other closed:', JSON.stringify(series));
    expect(series).toEqual([{ labels: { credential: name }, value: 1 }]);
    await b.release();
  });
});
