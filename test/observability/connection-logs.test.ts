/**
 * n8n's log during a link drop and a reconnect: Send SMS runs through n8n's WorkflowExecute (its
 * `this.logger` is n8n's logger, captured here), the sandbox drops the link, and the lines name
 * the credential, say what happened, and never hold the password.
 */
import { chain, logCapture, runWorkflow } from '../harness/n8n-harness';
import type { LogEntry } from '../harness/n8n-harness';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { startSandbox, waitFor } from '../support/sandbox';
import { credentialTypes, nodeTypes, smppCredential } from '../support/node-types';

const SEND = 'n8n-nodes-sms-gateway.sendSms';
const PASSWORD = 'Qz7$kp2w';
const CREDENTIAL = 'Hospital carrier';

function gatewayLines(entries: LogEntry[]): LogEntry[] {
  return entries.filter((e) => e.message.startsWith('SMS Gateway'));
}

describe("connection lines in n8n's log", () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    // The bind stays open between runs, as in an active workflow.
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '60000';
  });
  afterAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox({ accounts: [{ systemId: 'hospital', password: PASSWORD }] });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  const send = (to: string, credential: Record<string, unknown> = {}) =>
    runWorkflow({
      nodes: [
        { name: 'Send SMS', type: SEND, parameters: { to, message: 'Ward 4: shift starts at 7' }, credentials: { smppApi: { id: 'c1', name: CREDENTIAL } } },
      ],
      connections: chain('Start', 'Send SMS'),
      nodeTypes,
      credentials: { smppApi: smppCredential(smsc, { systemId: 'hospital', password: PASSWORD, ...credential }) },
      credentialTypes,
      inputItems: [{}],
    });

  it('logs the drop, the reconnect and the bind regained, naming the credential and never the password', async () => {
    const start = logCapture.mark();
    expect((await send('+447911123001')).status).toBe('success');
    // Healthy: nothing at info or above from the gateway (the first bind is debug).
    expect(gatewayLines(logCapture.since(start)).filter((e) => e.level !== 'debug')).toEqual([]);
    expect(gatewayLines(logCapture.since(start)).map((e) => e.message)).toEqual([
      expect.stringMatching(/^SMS Gateway: SMPP "Hospital carrier" bound as transceiver to the carrier's system ".*" \(no TLS\)$/),
    ]);

    const drop = logCapture.mark();
    expect(smsc.dropConnections()).toBe(1);
    await waitFor(() => gatewayLines(logCapture.since(drop)).some((e) => e.message.includes('again after the link dropped')), 'the bind regained');
    expect((await send('+447911123002')).status).toBe('success');

    const lines = gatewayLines(logCapture.since(drop));
    expect(lines.map((e) => [e.level, e.message])).toEqual([
      ['warn', expect.stringMatching(/^SMS Gateway: SMPP "Hospital carrier" link down: /)],
      ['warn', expect.stringMatching(/^SMS Gateway: SMPP "Hospital carrier" reconnecting \(attempt 1, in 0 ms\) after: /)],
      ['info', expect.stringMatching(/^SMS Gateway: SMPP "Hospital carrier" bound as transceiver .* again after the link dropped$/)],
    ]);
    expect(lines.every((e) => e.metadata?.credential === CREDENTIAL)).toBe(true);
    expect(lines[2].metadata).toMatchObject({ event: 'smpp.bound', afterDrop: true, tls: false });
    const text = logCapture.text(start);
    expect(text).not.toContain(PASSWORD);
    // The host is not a label either: lines name the credential.
    expect(lines.some((e) => e.message.includes('127.0.0.1'))).toBe(false);
    expect(smsc.store.list()).toHaveLength(2);
  });

  it('logs each failed reconnect (the carrier refuses the password now), without the password', async () => {
    const start = logCapture.mark();
    expect((await send('+447911123001')).status).toBe('success');
    // The carrier changes the account's password: every rebind is refused.
    smsc.options.accounts = [{ systemId: 'hospital', password: 'other123' }];
    smsc.dropConnections();
    await waitFor(() => gatewayLines(logCapture.since(start)).some((e) => e.message.includes('reconnect attempt 1 failed')), 'a failed reconnect', 15_000);
    const failed = gatewayLines(logCapture.since(start)).find((e) => e.message.includes('reconnect attempt 1 failed'));
    expect(failed?.level).toBe('warn');
    expect(logCapture.text(start)).not.toContain(PASSWORD);
    expect(logCapture.text(start)).not.toContain('other123');
  });

  it('logs a bind of several the carrier refuses back while the others stay up', async () => {
    expect((await send('+447911123001', { binds: 2 })).status).toBe('success');
    await waitFor(() => smsc.sessionCount === 2, '2 binds');
    const start = logCapture.mark();
    smsc.options.accounts = [{ systemId: 'hospital', password: 'other123' }];
    expect(smsc.dropConnections(1)).toBe(1);
    await waitFor(() => gatewayLines(logCapture.since(start)).some((e) => /reconnect attempt \d+ failed/.test(e.message)), 'a failed rebind logged', 15_000);
    const failed = gatewayLines(logCapture.since(start)).find((e) => /reconnect attempt \d+ failed/.test(e.message));
    expect(failed).toMatchObject({ level: 'warn', metadata: expect.objectContaining({ credential: CREDENTIAL }) });
    expect(smsc.sessionCount).toBe(1);
    expect(logCapture.text(start)).not.toContain('other123');
  });
});
