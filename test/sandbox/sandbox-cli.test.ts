import { EventEmitter } from 'events';
import * as net from 'net';
import { runSandboxCli, sandboxOptionsFromEnv, startSandboxServices } from '../../src/sandbox/cli';
import type { SandboxServices } from '../../src/sandbox/cli';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { SmppBindError } from '../../src/transport/smpp/types';
import { simpleSubmit } from '../support/messages';
import { canConnect } from '../support/tcp';

function transportFor(port: number, systemId: string, password: string): SmppTransport {
  return new SmppTransport({ host: '127.0.0.1', port, systemId, password, reconnectAttempts: 1, connectTimeoutMs: 2000, enquireLinkMs: 0 });
}

describe('sandboxOptionsFromEnv', () => {
  it('defaults to SMPP 2775, HTTP 8025, 127.0.0.1 and the sandbox/sandbox account', () => {
    expect(sandboxOptionsFromEnv({})).toEqual({ smppPort: 2775, httpPort: 8025, host: '127.0.0.1', accounts: [{ systemId: 'sandbox', password: 'sandbox' }] });
  });

  it('reads ports, account and latency from the environment', () => {
    const env = {
      SANDBOX_SMPP_PORT: '12775',
      SANDBOX_HTTP_PORT: '0',
      SANDBOX_SYSTEM_ID: 'acme',
      SANDBOX_PASSWORD: 's3cret',
      SANDBOX_LATENCY_MS: '40',
      SANDBOX_HOST: '0.0.0.0',
    };
    expect(sandboxOptionsFromEnv(env)).toEqual({
      smppPort: 12775,
      httpPort: 0,
      host: '0.0.0.0',
      accounts: [{ systemId: 'acme', password: 's3cret' }],
      latencyMs: 40,
    });
  });

  it.each([
    [{ SANDBOX_SMPP_PORT: '70000' }, /SANDBOX_SMPP_PORT must be a TCP port from 0 to 65535, got "70000"/],
    [{ SANDBOX_HTTP_PORT: 'eighty' }, /SANDBOX_HTTP_PORT must be a TCP port/],
    [{ SANDBOX_LATENCY_MS: '-3' }, /SANDBOX_LATENCY_MS must be a whole number of milliseconds/],
    [{ SANDBOX_SYSTEM_ID: 'a-very-long-system-id' }, /SANDBOX_SYSTEM_ID must be 1 to 15 characters/],
    [{ SANDBOX_PASSWORD: 'ninechars' }, /SANDBOX_PASSWORD must be at most 8 characters \(SMPP password\), got 9/],
  ])('rejects %p with a clear message', (env, message) => {
    expect(() => sandboxOptionsFromEnv(env)).toThrow(message);
  });

  it('never puts the password value in its error', () => {
    expect(() => sandboxOptionsFromEnv({ SANDBOX_PASSWORD: 'topsecret1' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('topsecret1') }),
    );
  });
});

describe('startSandboxServices', () => {
  let services: SandboxServices | null = null;
  afterEach(async () => {
    await services?.stop();
    services = null;
  });

  it('starts the SMSC and the inbox on free ports with the given account and latency', async () => {
    services = await startSandboxServices({ smppPort: 0, httpPort: 0, accounts: [{ systemId: 'acme', password: 'pw' }], latencyMs: 15 });
    expect(services.smsc.faults.latencyMs).toBe(15);
    expect(services.inboxUrl).toBe(`http://127.0.0.1:${services.http!.port}/`);
    const page = await fetch(services.inboxUrl!);
    expect(await page.text()).toContain('<title>SMS Sandbox');
    const t = transportFor(services.smppPort, 'acme', 'pw');
    await t.start();
    await t.submit(simpleSubmit('447700900001'));
    await t.close(100);
    expect(services.smsc.store.list().map((m) => m.to)).toEqual(['447700900001']);
    await expect(transportFor(services.smppPort, 'sandbox', 'sandbox').start()).rejects.toBeInstanceOf(SmppBindError);
  });

  it('runs without an HTTP server when httpPort is null', async () => {
    services = await startSandboxServices({ smppPort: 0, httpPort: null });
    expect(services.http).toBeNull();
    expect(services.inboxUrl).toBeNull();
    expect(await canConnect(services.smppPort)).toBe(true);
  });

  it('stops the SMSC again when the HTTP port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await startSandboxServices({ smppPort: 0, httpPort: taken }).catch((e: unknown) => e);
      expect((err as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    } finally {
      blocker.close();
    }
  });
});

/** runSandboxCli returns null only for --help. */
function started(services: SandboxServices | null): SandboxServices {
  if (!services) throw new Error('the sandbox did not start');
  return services;
}

describe('runSandboxCli (npm run sandbox)', () => {
  it('prints where both servers listen without the password, and stops cleanly on SIGTERM', async () => {
    const signals = new EventEmitter();
    const lines: string[] = [];
    let exitCode: number | null = null;
    let onExit: () => void = () => undefined;
    const exited = new Promise<void>((resolve) => (onExit = resolve));
    const services = await runSandboxCli({
      env: { SANDBOX_SMPP_PORT: '0', SANDBOX_HTTP_PORT: '0', SANDBOX_SYSTEM_ID: 'acme', SANDBOX_PASSWORD: 'hush123' },
      log: (line) => lines.push(line),
      signals,
      exit: (code) => {
        exitCode = code;
        onExit();
      },
    }).then(started);
    const output = lines.join('\n');
    expect(output).toContain(`127.0.0.1:${services.smppPort}   system_id "acme", password from SANDBOX_PASSWORD`);
    expect(output).toContain(`Phone inbox http://127.0.0.1:${services.http!.port}/`);
    expect(output).not.toContain('hush123');
    expect(await canConnect(services.http!.port)).toBe(true);

    signals.emit('SIGTERM');
    await exited;
    expect(exitCode).toBe(0);
    expect(lines).toContain('SIGTERM: stopping the sandbox');
    expect(await canConnect(services.smppPort)).toBe(false);
    expect(await canConnect(services.http!.port)).toBe(false);
  });

  it('shows the default password, since it is public', async () => {
    const signals = new EventEmitter();
    const lines: string[] = [];
    const services = started(
      await runSandboxCli({ env: { SANDBOX_SMPP_PORT: '0', SANDBOX_HTTP_PORT: '0' }, log: (l) => lines.push(l), signals, exit: () => undefined }),
    );
    try {
      expect(lines.join('\n')).toContain('system_id "sandbox", password "sandbox" (default)');
    } finally {
      await services.stop();
    }
  });
});
