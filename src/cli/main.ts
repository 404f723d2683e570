#!/usr/bin/env node
/**
 * The package's command (`"bin"` in package.json): `npx n8n-nodes-sms-gateway <command>`.
 * Today one command, `sandbox`; each command parses its own options and has its own --help.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runSandboxCli } from '../sandbox/cli';
import type { SandboxServices } from '../sandbox/cli';
import { SANDBOX_USAGE, UsageError } from '../sandbox/command-line';

const BIN = 'n8n-nodes-sms-gateway';

export interface CommandLineIo {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  error: (line: string) => void;
  /** Where SIGINT/SIGTERM arrive (the process, or an emitter in tests). */
  signals: Pick<NodeJS.EventEmitter, 'once'>;
  exit: (code: number) => void;
}

interface Command {
  summary: string;
  usage: string;
  run(argv: string[], io: CommandLineIo): Promise<SandboxServices | null>;
}

const COMMANDS: Record<string, Command> = {
  sandbox: {
    summary: 'Start the sandbox SMSC (SMPP) and its phone inbox page, to try workflows without a carrier',
    usage: SANDBOX_USAGE,
    run: (argv, io) => runSandboxCli({ argv, env: io.env, log: io.log, signals: io.signals, exit: io.exit }),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const commands = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`);
  return [
    `Usage: ${BIN} <command> [options]`,
    '',
    'Commands:',
    ...commands,
    '',
    'Options:',
    "  -h, --help     show this help (and `<command> --help` for a command's options)",
    '  -v, --version  print the version',
  ].join('\n');
}

/** The version in the package.json above this file (src/cli in the clone, dist/src/cli when installed). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === BIN && manifest.version) return manifest.version;
  }
  return 'unknown';
}

/**
 * Runs one command line (without `node` and the script). Exit codes: 0 done, 1 the command
 * failed (e.g. a port taken), 2 a usage mistake. Returns a started sandbox, else null.
 */
export async function runCommandLine(argv: string[], io: CommandLineIo): Promise<SandboxServices | null> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || (name === 'help' && rest.length === 0)) {
    io.log(usage());
    io.exit(0);
    return null;
  }
  if (name === '-v' || name === '--version') {
    io.log(packageVersion());
    io.exit(0);
    return null;
  }
  const helpFor = name === 'help' ? rest[0] : undefined;
  const command = COMMANDS[helpFor ?? name];
  if (!command) {
    io.error(`${BIN}: unknown command "${helpFor ?? name}"; the commands are: ${Object.keys(COMMANDS).join(', ')} (see ${BIN} --help)`);
    io.exit(2);
    return null;
  }
  if (helpFor) {
    io.log(command.usage);
    io.exit(0);
    return null;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.error(`${BIN} ${name}: ${err.message} (see --help)`);
      io.exit(2);
      return null;
    }
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? ' (the port is taken: choose free ones with --smpp-port / --http-port)' : '';
    io.error(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}${hint}`);
    io.exit(1);
    return null;
  }
}

/** The real process: arguments, environment, console, signals and exit. */
export function runFromProcess(argv: string[]): Promise<SandboxServices | null> {
  return runCommandLine(argv, {
    env: process.env,
    log: (line) => console.log(line),
    error: (line) => console.error(line),
    signals: process,
    exit: (code) => process.exit(code),
  });
}

if (require.main === module) void runFromProcess(process.argv.slice(2));
