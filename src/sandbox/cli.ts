import { startSandboxHttp, DEFAULT_SANDBOX_HTTP_PORT } from './http';
import type { SandboxHttpServer } from './http';
import { DEFAULT_SANDBOX_ACCOUNT, DEFAULT_SANDBOX_SMPP_PORT, parseSandboxArguments, SANDBOX_USAGE } from './command-line';
import { SandboxSmsc } from './sandbox-smsc';
import type { SandboxAccount, SandboxOptions } from './types';

export { DEFAULT_SANDBOX_SMPP_PORT, sandboxOptionsFromEnv } from './command-line';

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
    accounts: options.accounts ?? [DEFAULT_SANDBOX_ACCOUNT],
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

/** 127.0.0.0/8, ::1 and localhost: only this machine reaches the sandbox. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface CliIo {
  /** The arguments after `sandbox` (none for `npm run sandbox`). */
  argv?: string[];
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Where SIGINT/SIGTERM arrive (the process, or an emitter in tests). */
  signals: Pick<NodeJS.EventEmitter, 'once'>;
  exit: (code: number) => void;
}

/**
 * The `sandbox` command (`npx n8n-nodes-sms-gateway sandbox`, `npm run sandbox`): start both
 * servers, print where they are, stop cleanly on a signal. `--help` prints the usage and starts
 * nothing (null). Throws UsageError for a bad option, the start-up error otherwise.
 */
export async function runSandboxCli(io: CliIo): Promise<SandboxServices | null> {
  const parsed = parseSandboxArguments(io.argv ?? [], io.env);
  if (parsed.help) {
    io.log(SANDBOX_USAGE);
    io.exit(0);
    return null;
  }
  const { options, passwordSource } = parsed;
  const services = await startSandboxServices(options);
  const account = options.accounts[0];
  const passwordNote = passwordSource === 'default' ? `password "${account.password}" (default)` : `password from ${passwordSource}`;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  io.log('SMS sandbox is running');
  io.log(`  SMPP        ${shownHost}:${services.smppPort}   system_id "${account.systemId}", ${passwordNote}`);
  if (services.http) {
    io.log(`  Phone inbox http://${shownHost}:${services.http.port}/`);
    io.log(`  HTTP API    http://${shownHost}:${services.http.port}/api/messages, /api/mo, /api/faults, /api/drop, /api/stats, /api/scheduled, /api/events`);
  }
  if (options.latencyMs) io.log(`  Latency     ${options.latencyMs} ms per answer`);
  if (!isLoopback(options.host)) {
    const httpNote = services.http ? `, and read every message and inject faults through the HTTP API on port ${services.http.port}` : '';
    io.log(
      `Warning: listening on ${options.host}, not only on this machine: anyone who reaches it can bind on port ${services.smppPort}${httpNote}. Allow only what needs it (a firewall, the Docker bridge's address as --host) or add --no-http.`,
    );
  }
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
