/**
 * `npm run bench -- --smsc host:port --system-id X --password Y --to <numbers>`: the throughput
 * rows against the user's own SMSC (or a carrier's test SMSC). Every option has an environment
 * variable (BENCH_SMSC, BENCH_SYSTEM_ID, BENCH_PASSWORD, BENCH_TO, ...); the command line wins.
 * Parsing is node:util's parseArgs (strict: unknown options and missing values are errors).
 */
import { parseArgs } from 'node:util';
import { normalizePhoneNumber, PhoneNumberError } from '../src/phone';
import { parseArgsMessage } from '../src/sandbox/command-line';

export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

export interface ExternalSmsc {
  host: string;
  port: number;
  systemId: string;
  password: string;
  /** E.164, as given: the only numbers messages go to (in turn). */
  to: string[];
  /** Messages per row (per client and window). */
  count: number;
  windows: number[];
  from: string;
  tls: boolean;
  allowSelfSigned: boolean;
  /** Skip the countdown after the warning. */
  yes: boolean;
}

export const SMSC_USAGE = `npm run bench -- --smsc <host:port> --system-id <id> --password <password> --to <numbers> [options]

Sends REAL messages through your SMSC to the numbers you give, and measures throughput and CPU
per message of this gateway's transport next to a plain client on the \`smpp\` library.

  --smsc <host:port>      your SMSC [BENCH_SMSC]
  --system-id <id>        bind system_id [BENCH_SYSTEM_ID]
  --password <password>   bind password [BENCH_PASSWORD] (never printed)
  --to <numbers>          destinations in international form, comma-separated, used in turn [BENCH_TO]
  --count <n>             messages per row (each client, each window), 1-100000, default 100 [BENCH_COUNT]
  --windows <list>        send windows, default 1,10,100 [BENCH_WINDOWS]
  --from <sender>         source address, default BENCH [BENCH_FROM]
  --tls                   SMPP over TLS [BENCH_TLS=1]
  --allow-self-signed     accept a self-signed certificate (with --tls) [BENCH_ALLOW_SELF_SIGNED=1]
  --yes                   start at once (no 10 s countdown after the warning)
  -h, --help              this text`;

const MAX_COUNT = 100_000;

interface Flags {
  smsc?: string;
  'system-id'?: string;
  password?: string;
  to?: string;
  count?: string;
  windows?: string;
  from?: string;
  tls?: boolean;
  'allow-self-signed'?: boolean;
  yes?: boolean;
  help?: boolean;
}

/**
 * The external-SMSC run asked for on the command line or in the environment; null when none was
 * (the usual run against the local sink and sandbox); `{ help: true }` for --help.
 */
export function parseSmscOptions(argv: string[], env: NodeJS.ProcessEnv): ExternalSmsc | { help: true } | null {
  let flags: Flags;
  try {
    const parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        smsc: { type: 'string' },
        'system-id': { type: 'string' },
        password: { type: 'string' },
        to: { type: 'string' },
        count: { type: 'string' },
        windows: { type: 'string' },
        from: { type: 'string' },
        tls: { type: 'boolean' },
        'allow-self-signed': { type: 'boolean' },
        yes: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (parsed.positionals.length > 0) throw new BenchUsageError(`unexpected argument "${parsed.positionals[0]}"`);
    flags = parsed.values;
  } catch (err) {
    throw err instanceof BenchUsageError ? err : new BenchUsageError(parseArgsMessage(err, '(npm run bench -- --help)'));
  }
  if (flags.help) return { help: true };
  for (const [name, value] of Object.entries(flags)) {
    if (typeof value === 'string' && value.trim() === '') throw new BenchUsageError(`--${name} needs a value, got an empty one`);
  }
  const value = (flag: keyof Flags, variable: string): string | undefined => {
    const given = flags[flag];
    if (typeof given === 'string') return given.trim();
    const fromEnv = env[variable]?.trim();
    return fromEnv ? fromEnv : undefined;
  };
  const smsc = value('smsc', 'BENCH_SMSC');
  if (!smsc) {
    const stray = (['system-id', 'password', 'to', 'count', 'windows', 'from', 'tls', 'allow-self-signed'] as const).find((f) => flags[f] !== undefined);
    if (stray) throw new BenchUsageError(`--${stray} is for a run against your own SMSC: give --smsc <host:port> too`);
    return null;
  }
  const { host, port } = hostAndPort(smsc);
  const systemId = value('system-id', 'BENCH_SYSTEM_ID');
  if (!systemId) throw new BenchUsageError('--system-id is missing: the system_id your SMSC binds (or BENCH_SYSTEM_ID)');
  if (systemId.length > 15) throw new BenchUsageError(`--system-id is ${systemId.length} characters: SMPP allows at most 15`);
  const password = flags.password ?? env.BENCH_PASSWORD;
  if (password === undefined) throw new BenchUsageError('--password is missing: the bind password (or BENCH_PASSWORD)');
  if (password.length > 8) throw new BenchUsageError(`--password is ${password.length} characters: SMPP 3.4 allows at most 8`);
  const toText = value('to', 'BENCH_TO');
  if (!toText) throw new BenchUsageError('--to is missing: the numbers to send to, in international form, comma-separated (they receive real messages)');
  const to = toText.split(',').map((n, i) => destination(n.trim(), i));
  const count = integer(value('count', 'BENCH_COUNT') ?? '100', '--count', 1, MAX_COUNT);
  const windows = (value('windows', 'BENCH_WINDOWS') ?? '1,10,100').split(',').map((w) => integer(w.trim(), '--windows', 1, 10_000));
  const from = value('from', 'BENCH_FROM') ?? 'BENCH';
  if (from.length > 20) throw new BenchUsageError(`--from is ${from.length} characters: at most 20 (11 for a name on most networks)`);
  const tls = flags.tls ?? env.BENCH_TLS === '1';
  const allowSelfSigned = flags['allow-self-signed'] ?? env.BENCH_ALLOW_SELF_SIGNED === '1';
  if (allowSelfSigned && !tls) throw new BenchUsageError('--allow-self-signed is about a TLS certificate: give --tls too');
  return { host, port, systemId, password, to, count, windows, from, tls, allowSelfSigned, yes: flags.yes === true };
}

function hostAndPort(text: string): { host: string; port: number } {
  // host:port, [IPv6]:port
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(text);
  if (!match) throw new BenchUsageError(`--smsc "${text}" is not host:port (for example smsc.example.net:2775, or [::1]:2775)`);
  const port = Number(match[3]);
  if (!(port >= 1 && port <= 65535)) throw new BenchUsageError(`--smsc port ${match[3]} is out of range (1-65535)`);
  return { host: match[1] ?? match[2], port };
}

function integer(text: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new BenchUsageError(`${flag} "${text}" is not a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new BenchUsageError(`${flag} ${n} is out of range (${min}-${max})`);
  return n;
}

/** Numbers in international form only: a default country here could send to a stranger. */
function destination(text: string, index: number): string {
  if (text === '') throw new BenchUsageError(`--to: number ${index + 1} is empty (a stray comma?)`);
  if (!/^(\+|00)/.test(text)) throw new BenchUsageError(`--to: "${text}" is not in international form (start it with + and the country code)`);
  try {
    return normalizePhoneNumber(text, { field: 'to', withoutType: true }).e164;
  } catch (err) {
    if (err instanceof PhoneNumberError) throw new BenchUsageError(`--to: ${err.message}`);
    throw err;
  }
}
