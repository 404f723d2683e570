import { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import type { SandboxOptions } from '../../src/sandbox/types';
import type { SmppTransportOptions } from '../../src/transport/smpp/types';

/** Starts a sandbox SMSC on a free port; stop it in afterEach/afterAll. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxSmsc> {
  const smsc = new SandboxSmsc({ port: 0, ...options });
  await smsc.start();
  return smsc;
}

/** Transport options pointing at a sandbox, with short timers suited to tests. */
export function sandboxTransportOptions(smsc: SandboxSmsc, extra: Partial<SmppTransportOptions> = {}): SmppTransportOptions {
  return {
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'sandbox',
    password: 'sandbox',
    reconnectBaseMs: 20,
    reconnectMaxMs: 200,
    connectTimeoutMs: 2000,
    responseTimeoutMs: 2000,
    enquireLinkMs: 0,
    ...extra,
  };
}

/** Waits until check() is true, polling; fails with `what` after timeoutMs. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
