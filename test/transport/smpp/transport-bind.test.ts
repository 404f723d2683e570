import * as fs from 'fs';
import * as path from 'path';
import { SmppTransport } from '../../../src/transport/smpp/smpp-transport';
import { SmppBindError, SmppSubmitError } from '../../../src/transport/smpp/types';
import type { SandboxSmsc } from '../../../src/sandbox/sandbox-smsc';
import { sandboxTransportOptions, startSandbox, waitFor } from '../../support/sandbox';
import { simpleSubmit } from '../../support/messages';

const tlsDir = path.join(__dirname, '../../fixtures/tls');
const tlsFiles = { key: fs.readFileSync(path.join(tlsDir, 'sandbox-key.pem')), cert: fs.readFileSync(path.join(tlsDir, 'sandbox-cert.pem')) };

describe('SMPP bind', () => {
  let smsc: SandboxSmsc;
  const transports: SmppTransport[] = [];
  const make = (extra: ConstructorParameters<typeof SmppTransport>[0] | object = {}): SmppTransport => {
    const t = new SmppTransport({ ...sandboxTransportOptions(smsc), ...extra });
    transports.push(t);
    return t;
  };

  beforeEach(async () => {
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close(100)));
    await smsc.stop();
  });

  it.each(['transceiver', 'transmitter', 'receiver'] as const)('binds as %s', async (bindMode) => {
    const modes: string[] = [];
    smsc.on('bound', (info) => modes.push(info.mode));
    const t = make({ bindMode });
    await t.start();
    expect(t.state).toBe('bound');
    expect(modes).toEqual([bindMode]);
  });

  it('refuses to send on a receiver bind with a clear error', async () => {
    const t = make({ bindMode: 'receiver' });
    await t.start();
    await expect(t.submit(simpleSubmit('447700900001'))).rejects.toThrow(/bound as a receiver/);
  });

  it('reports a wrong password with the SMPP status', async () => {
    const t = make({ password: 'wrong' });
    const err = await t.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmppBindError);
    expect((err as SmppBindError).code).toBe('auth');
    expect((err as Error).message).toMatch(/ESME_RINVPASWD \(invalid password\)/);
    expect((err as Error).message).not.toContain('wrong');
    expect(t.state).toBe('closed');
  });

  it('reports a refused port', async () => {
    const port = smsc.port;
    await smsc.stop();
    const err = await make({ port })
      .start()
      .catch((e: unknown) => e);
    expect((err as SmppBindError).code).toBe('refused');
    expect((err as Error).message).toMatch(/connection refused/);
    smsc = await startSandbox();
  });

  it('closes gracefully: waits for in-flight answers, then unbinds', async () => {
    smsc.setFaults({ latencyMs: 50 });
    const t = make();
    await t.start();
    const sends = Array.from({ length: 5 }, (_, i) => t.submit(simpleSubmit(`44770090000${i}`)));
    await new Promise((r) => setTimeout(r, 5));
    await t.close(2000);
    const results = await Promise.allSettled(sends);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    await waitFor(() => smsc.sessionCount === 0, 'sandbox to see the unbind');
    await expect(t.submit(simpleSubmit('447700900009'))).rejects.toBeInstanceOf(SmppSubmitError);
  });

  it('sends enquire_link at the configured interval', async () => {
    const t = make({ enquireLinkMs: 50 });
    await t.start();
    await waitFor(() => smsc.stats.enquireLinks >= 3, 'three enquire_links');
    expect(t.state).toBe('bound');
  });

  it('declares a link dead when enquire_link goes unanswered, then reconnects', async () => {
    const t = make({ enquireLinkMs: 50, responseTimeoutMs: 200 });
    const disconnects: string[] = [];
    t.on('disconnected', (d) => disconnects.push(d.reason));
    await t.start();
    smsc.setFaults({ stalled: true });
    await waitFor(() => disconnects.length > 0, 'a disconnect');
    expect(disconnects[0]).toMatch(/enquire_link_resp/);
    smsc.setFaults({ stalled: false });
    await waitFor(() => t.state === 'bound', 'rebind');
    await expect(t.submit(simpleSubmit('447700900001'))).resolves.toMatchObject({ possibleDuplicate: false });
  });

  describe('over TLS', () => {
    let tlsSmsc: SandboxSmsc;
    beforeEach(async () => {
      tlsSmsc = await startSandbox({ tls: tlsFiles });
    });
    afterEach(() => tlsSmsc.stop());

    it('binds to a self-signed server when allowed, and sends', async () => {
      const t = make({ port: tlsSmsc.port, tls: true, allowSelfSigned: true });
      await t.start();
      await expect(t.submit(simpleSubmit('447700900001', 'over tls'))).resolves.toHaveProperty('messageId');
      expect(tlsSmsc.store.list({ to: '447700900001' })[0].text).toBe('over tls');
    });

    it('rejects a self-signed certificate by default, saying how to allow it', async () => {
      const err = await make({ port: tlsSmsc.port, tls: true })
        .start()
        .catch((e: unknown) => e);
      expect((err as SmppBindError).code).toBe('tls');
      expect((err as Error).message).toMatch(/self-signed/);
    });

    it('allow self-signed does not turn off the hostname check: a certificate for 127.0.0.1 / localhost is refused at 127.0.0.2, unless Check Hostname is off', async () => {
      const elsewhere = await startSandbox({ tls: tlsFiles, host: '127.0.0.2' });
      try {
        const err = await make({ host: '127.0.0.2', port: elsewhere.port, tls: true, allowSelfSigned: true })
          .start()
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SmppBindError);
        expect((err as SmppBindError).code).toBe('tls');
        expect((err as Error).message).toMatch(
          /^TLS handshake with 127\.0\.0\.2:\d+ failed: IP: 127\.0\.0\.2 is not in the cert's list: 127\.0\.0\.1 \(connect by the name the certificate is for, or turn off "Check Hostname"/,
        );
        const t = make({ host: '127.0.0.2', port: elsewhere.port, tls: true, allowSelfSigned: true, checkHostname: false });
        await t.start();
        await t.close(100);
      } finally {
        await elsewhere.stop();
      }
    });

    it('reports TLS to a plain port as a TLS failure, not a hang', async () => {
      const err = await make({ tls: true, allowSelfSigned: true })
        .start()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmppBindError);
      expect((err as Error).message).toMatch(/TLS|closed/);
    });
  });
});
