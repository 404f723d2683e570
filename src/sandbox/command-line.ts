/**
 * The sandbox's settings from the command line (`npx n8n-nodes-sms-gateway sandbox --smpp-port
 * 2776`) and the environment (SANDBOX_SMPP_PORT=2776, as `npm start` and `npm run sandbox` pass
 * them). A flag wins over its variable; every error names the flag or variable the bad value came
 * from. Parsing is node:util's parseArgs (strict: unknown options and missing values are errors).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SANDBOX_HTTP_PORT } from './http';
import type { SandboxAccount } from './types';

export const DEFAULT_SANDBOX_SMPP_PORT = 2775;
export const DEFAULT_SANDBOX_ACCOUNT: SandboxAccount = { systemId: 'sandbox', password: 'sandbox' };
const MAX_LATENCY_MS = 600_000;

/** What the sandbox command starts (a subset of SandboxServicesOptions, which extends it). */
export interface SandboxSettings {
  smppPort: number;
  /** null: no HTTP server (SMPP only). */
  httpPort: number | null;
  host: string;
  accounts: SandboxAccount[];
  latencyMs?: number;
}

/** Where the password came from, for the start-up banner (which never prints a given password). */
export type PasswordSource = 'default' | 'SANDBOX_PASSWORD' | '--password';

export type SandboxArguments =
  | { help: true; options?: undefined; passwordSource?: undefined }
  | { help: false; options: SandboxSettings; passwordSource: PasswordSource };

/** A mistake in what the person typed: shown with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const SANDBOX_USAGE = `Usage: n8n-nodes-sms-gateway sandbox [options]

Starts the sandbox SMSC: a real SMPP 3.4 server that accepts every message, answers with a
message id and a delivery receipt, and shows each SMS on a phone inbox web page, where you can
also reply or inject carrier faults. Point an SMPP Carrier credential at it to try workflows
without a carrier account.

Options (each also read from the environment variable in brackets):
  --smpp-port <port>   SMPP port (default ${DEFAULT_SANDBOX_SMPP_PORT}; 0 = any free port) [SANDBOX_SMPP_PORT]
  --http-port <port>   phone inbox page and HTTP API port (default ${DEFAULT_SANDBOX_HTTP_PORT}; 0 = any free port) [SANDBOX_HTTP_PORT]
  --no-http            no inbox page or HTTP API, SMPP only
  --host <address>     interface to listen on (default 127.0.0.1). The sandbox has no real security:
                       on 0.0.0.0 anyone who reaches the HTTP port reads every message and injects
                       faults; prefer one address (e.g. Docker's bridge) or --no-http [SANDBOX_HOST]
  --system-id <id>     system_id the sandbox accepts, 1-15 characters (default "${DEFAULT_SANDBOX_ACCOUNT.systemId}") [SANDBOX_SYSTEM_ID]
  --password <pw>      password it accepts, at most 8 characters (default "${DEFAULT_SANDBOX_ACCOUNT.password}") [SANDBOX_PASSWORD]
  --latency <ms>       wait this long before each answer (default 0) [SANDBOX_LATENCY_MS]
  -h, --help           show this help

Ctrl+C stops it.`;

/** A raw value and the name of where it came from (a flag or a variable), for error messages. */
interface Sourced {
  raw: string;
  label: string;
}

function pick(flagValue: string | undefined, flag: string, env: NodeJS.ProcessEnv, variable: string): Sourced | undefined {
  if (flagValue !== undefined) return { raw: flagValue, label: flag };
  const fromEnv = env[variable];
  return fromEnv === undefined ? undefined : { raw: fromEnv, label: variable };
}

function port(value: Sourced | undefined, fallback: number): number {
  const raw = value?.raw.trim();
  if (value === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw!) || Number(raw) > 65535) throw new UsageError(`${value.label} must be a TCP port from 0 to 65535, got "${value.raw}"`);
  return Number(raw);
}

function latency(value: Sourced | undefined): number | undefined {
  const raw = value?.raw.trim();
  if (value === undefined || !raw) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_LATENCY_MS) {
    throw new UsageError(`${value.label} must be a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}, got "${value.raw}"`);
  }
  return Number(raw);
}

function account(systemId: Sourced | undefined, password: Sourced | undefined): SandboxAccount {
  const id = systemId?.raw ?? DEFAULT_SANDBOX_ACCOUNT.systemId;
  if (id.length === 0 || id.length > 15) throw new UsageError(`${systemId!.label} must be 1 to 15 characters (SMPP system_id), got ${id.length}`);
  const secret = password?.raw ?? DEFAULT_SANDBOX_ACCOUNT.password;
  // The length only: a password never goes into a message.
  if (secret.length > 8) throw new UsageError(`${password!.label} must be at most 8 characters (SMPP password), got ${secret.length}`);
  return { systemId: id, password: secret };
}

interface FlagValues {
  'smpp-port'?: string;
  'http-port'?: string;
  'no-http'?: boolean;
  host?: string;
  'system-id'?: string;
  password?: string;
  latency?: string;
  help?: boolean;
}

function settingsFrom(flags: FlagValues, env: NodeJS.ProcessEnv): SandboxSettings {
  const settings: SandboxSettings = {
    smppPort: port(pick(flags['smpp-port'], '--smpp-port', env, 'SANDBOX_SMPP_PORT'), DEFAULT_SANDBOX_SMPP_PORT),
    httpPort: flags['no-http'] ? null : port(pick(flags['http-port'], '--http-port', env, 'SANDBOX_HTTP_PORT'), DEFAULT_SANDBOX_HTTP_PORT),
    host: pick(flags.host, '--host', env, 'SANDBOX_HOST')?.raw.trim() || '127.0.0.1',
    accounts: [account(pick(flags['system-id'], '--system-id', env, 'SANDBOX_SYSTEM_ID'), pick(flags.password, '--password', env, 'SANDBOX_PASSWORD'))],
  };
  const latencyMs = latency(pick(flags.latency, '--latency', env, 'SANDBOX_LATENCY_MS'));
  if (latencyMs !== undefined) settings.latencyMs = latencyMs;
  return settings;
}

/** Reads SANDBOX_SMPP_PORT, SANDBOX_HTTP_PORT, SANDBOX_HOST, SANDBOX_SYSTEM_ID, SANDBOX_PASSWORD and SANDBOX_LATENCY_MS. */
export function sandboxOptionsFromEnv(env: NodeJS.ProcessEnv): SandboxSettings {
  return settingsFrom({}, env);
}

/** `sandbox [options]`: the command line over the environment, or `{ help: true }`. Throws UsageError. */
export function parseSandboxArguments(argv: string[], env: NodeJS.ProcessEnv): SandboxArguments {
  let flags: FlagValues;
  try {
    const parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        'smpp-port': { type: 'string' },
        'http-port': { type: 'string' },
        'no-http': { type: 'boolean' },
        host: { type: 'string' },
        'system-id': { type: 'string' },
        password: { type: 'string' },
        latency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
    flags = parsed.values;
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(parseArgsMessage(err));
  }
  if (flags.help) return { help: true };
  refuseEmptyAndContradictory(flags);
  const passwordSource: PasswordSource = flags.password !== undefined ? '--password' : env.SANDBOX_PASSWORD !== undefined ? 'SANDBOX_PASSWORD' : 'default';
  return { help: false, options: settingsFrom(flags, env), passwordSource };
}

/**
 * `--smpp-port=` or `--host ''` is a mistake (a shell variable that was not set, a lost value),
 * not a request for the default. An empty variable in the environment stays "not set".
 */
function refuseEmptyAndContradictory(flags: FlagValues): void {
  for (const [name, value] of Object.entries(flags)) {
    if (typeof value === 'string' && value.trim() === '') throw new UsageError(`--${name} needs a value, got an empty one`);
  }
  if (flags['no-http'] && flags['http-port'] !== undefined) {
    throw new UsageError('--no-http and --http-port contradict each other: --no-http starts no HTTP server, so give one of them');
  }
}

/**
 * parseArgs's errors, in our words (its own mention "To specify a positional argument..." etc.);
 * `helpHint` follows an unknown option (e.g. "(npm run bench -- --help)"). Also used by the bench CLI.
 */
export function parseArgsMessage(err: unknown, helpHint?: string): string {
  const error = err as NodeJS.ErrnoException;
  const message = error.message ?? String(err);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option "${option}"${helpHint ? ` ${helpHint}` : ''}`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    // A value-taking option at the end, or a flag given a value (--no-http=1).
    if (/argument missing/.test(message)) return `${option} needs a value`;
    if (/ambiguous/.test(message)) return `${option} needs a value (one starting with "-" is written ${option}=-...)`;
    return `${option} takes no value`;
  }
  return message;
}
