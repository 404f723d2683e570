import { startSandboxHttp, DEFAULT_SANDBOX_HTTP_PORT } from './http';
import type { SandboxHttpServer } from './http';
import { SandboxSmsc } from './sandbox-smsc';
import type { SandboxAccount, SandboxOptions } from './types';

export const DEFAULT_SANDBOX_SMPP_PORT = 2775;
const DEFAULT_ACCOUNT: SandboxAccount = { systemId: 'sandbox', password: 'sandbox' };

export interface SandboxServicesOptions {
  /** SMPP port (default 2775; 0 = any free port). */
  smppPort?: number;
  /** HTTP port for the API and inbox page (default 8025; 0 = any free port; null = no HTTP server). */
  httpPort?: number | null;
  /** Interface both servers listen on (default 127.0.0.1: the sandbox has no real security). */
  host?: string;
  accounts?: SandboxAccount[];
  /** Answer latency in ms (a starting fault, changeable from the page). */
  latencyMs?: number;
  /** Anything else the SMSC takes (receipt outcome, id formats, TLS, ...). */
  smsc?: Omit<SandboxOptions, 'port' | 'host' | 'accounts'>;
}

export interface SandboxServices {
  smsc: SandboxSmsc;
  http: SandboxHttpServer | null;
  smppPort: number;
  /** e.g. http://127.0.0.1:8025/, or null without an HTTP server. */
  inboxUrl: string | null;
  stop(): Promise<void>;
}

/** Starts the sandbox SMSC and, beside it, its HTTP API and phone inbox (used by `npm run sandbox` and `npm start`). */
export async function startSandboxServices(options: SandboxServicesOptions = {}): Promise<SandboxServices> {
  const host = options.host ?? '127.0.0.1';
  const faults = { ...options.smsc?.faults, ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}) };
  const smsc = new SandboxSmsc({
    ...options.smsc,
    port: options.smppPort ?? DEFAULT_SANDBOX_SMPP_PORT,
    host,
    accounts: options.accounts ?? [DEFAULT_ACCOUNT],
    faults,
  });
  await smsc.start();
  let http: SandboxHttpServer | null = null;
  if (options.httpPort !== null) {
    try {
      http = await startSandboxHttp(smsc, { port: options.httpPort ?? DEFAULT_SANDBOX_HTTP_PORT, host });
    } catch (err) {
      await smsc.stop();
      throw err;
    }
  }
  let stopping: Promise<void> | null = null;
  return {
    smsc,
    http,
    smppPort: smsc.port,
    inboxUrl: http ? `${http.url}/` : null,
    stop: () => {
      stopping ??= (async () => {
        await http?.close();
        await smsc.stop();
      })();
      return stopping;
    },
  };
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new Error(`${name} must be a TCP port from 0 to 65535, got "${raw}"`);
  return Number(raw);
}

/** Reads SANDBOX_SMPP_PORT, SANDBOX_HTTP_PORT, SANDBOX_HOST, SANDBOX_SYSTEM_ID, SANDBOX_PASSWORD and SANDBOX_LATENCY_MS. */
export function sandboxOptionsFromEnv(env: NodeJS.ProcessEnv): SandboxServicesOptions {
  const options: SandboxServicesOptions = {
    smppPort: portFrom(env, 'SANDBOX_SMPP_PORT', DEFAULT_SANDBOX_SMPP_PORT),
    httpPort: portFrom(env, 'SANDBOX_HTTP_PORT', DEFAULT_SANDBOX_HTTP_PORT),
    host: env.SANDBOX_HOST?.trim() || '127.0.0.1',
  };
  const systemId = env.SANDBOX_SYSTEM_ID ?? DEFAULT_ACCOUNT.systemId;
  if (systemId.length === 0 || systemId.length > 15) throw new Error(`SANDBOX_SYSTEM_ID must be 1 to 15 characters (SMPP system_id), got ${systemId.length}`);
  const password = env.SANDBOX_PASSWORD ?? DEFAULT_ACCOUNT.password;
  if (password.length > 8) throw new Error(`SANDBOX_PASSWORD must be at most 8 characters (SMPP password), got ${password.length}`);
  options.accounts = [{ systemId, password }];
  const latency = env.SANDBOX_LATENCY_MS?.trim();
  if (latency) {
    if (!/^\d+$/.test(latency) || Number(latency) > 600_000) throw new Error(`SANDBOX_LATENCY_MS must be a whole number of milliseconds from 0 to 600000, got "${latency}"`);
    options.latencyMs = Number(latency);
  }
  return options;
}

export interface CliIo {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Where SIGINT/SIGTERM arrive (the process, or an emitter in tests). */
  signals: Pick<NodeJS.EventEmitter, 'once'>;
  exit: (code: number) => void;
}

/** The `npm run sandbox` program: start both servers, print where they are, stop cleanly on a signal. */
export async function runSandboxCli(io: CliIo): Promise<SandboxServices> {
  const options = sandboxOptionsFromEnv(io.env);
  const services = await startSandboxServices(options);
  const account = options.accounts![0];
  const passwordNote = io.env.SANDBOX_PASSWORD === undefined ? `password "${account.password}" (default)` : 'password from SANDBOX_PASSWORD';
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  io.log('SMS sandbox is running');
  io.log(`  SMPP        ${shownHost}:${services.smppPort}   system_id "${account.systemId}", ${passwordNote}`);
  if (services.http) {
    io.log(`  Phone inbox http://${shownHost}:${services.http.port}/`);
    io.log(`  HTTP API    http://${shownHost}:${services.http.port}/api/messages, /api/mo, /api/faults, /api/drop, /api/stats, /api/events`);
  }
  if (options.latencyMs) io.log(`  Latency     ${options.latencyMs} ms per answer`);
  io.log('Press Ctrl+C to stop.');
  const onSignal = (signal: string): void => {
    io.log(`${signal}: stopping the sandbox`);
    // A second signal while stopping exits at once.
    io.signals.once('SIGINT', () => io.exit(1));
    io.signals.once('SIGTERM', () => io.exit(1));
    services.stop().then(
      () => io.exit(0),
      (err: unknown) => {
        io.log(`could not stop cleanly: ${err instanceof Error ? err.message : String(err)}`);
        io.exit(1);
      },
    );
  };
  io.signals.once('SIGINT', () => onSignal('SIGINT'));
  io.signals.once('SIGTERM', () => onSignal('SIGTERM'));
  return services;
}

if (require.main === module) {
  runSandboxCli({ env: process.env, log: (line) => console.log(line), signals: process, exit: (code) => process.exit(code) }).catch((err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? ' (the port is taken: set SANDBOX_SMPP_PORT / SANDBOX_HTTP_PORT to free ones)' : '';
    console.error(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}${hint}`);
    process.exit(1);
  });
}
