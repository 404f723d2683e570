// `npx n8n-nodes-sms-gateway <command>`: the dispatcher, `--help` and `--version`, and the sandbox
// command's own options. The spawned-process check of the packed bin is in the e2e tarball test.
import { EventEmitter } from 'events';
import * as net from 'net';
import { runCommandLine } from '../../src/cli/main';
import type { CommandLineIo } from '../../src/cli/main';
import { parseSandboxArguments } from '../../src/sandbox/command-line';
import { canConnect } from '../support/tcp';

interface Recorded {
  io: CommandLineIo;
  out: string[];
  err: string[];
  exits: number[];
  signals: EventEmitter;
}

function recordingIo(env: NodeJS.ProcessEnv = {}): Recorded {
  const out: string[] = [];
  const err: string[] = [];
  const exits: number[] = [];
  const signals = new EventEmitter();
  return { out, err, exits, signals, io: { env, log: (l) => out.push(l), error: (l) => err.push(l), signals, exit: (c) => exits.push(c) } };
}

describe('n8n-nodes-sms-gateway (the package bin)', () => {
  it.each([[[]], [['--help']], [['-h']], [['help']]])('%p prints the commands and exits 0', async (argv) => {
    const r = recordingIo();
    await runCommandLine(argv, r.io);
    expect(r.exits).toEqual([0]);
    const text = r.out.join('\n');
    expect(text).toMatch(/^Usage: n8n-nodes-sms-gateway <command>/);
    expect(text).toMatch(/sandbox\s+Start the sandbox SMSC/);
    expect(r.err).toEqual([]);
  });

  it('--version prints the package version', async () => {
    const r = recordingIo();
    await runCommandLine(['--version'], r.io);
    expect(r.out).toEqual([require('../../package.json').version]);
    expect(r.exits).toEqual([0]);
  });

  it('an unknown command is a usage error (exit 2) naming the command and the ones that exist', async () => {
    const r = recordingIo();
    await runCommandLine(['sandbx'], r.io);
    expect(r.exits).toEqual([2]);
    expect(r.err.join('\n')).toContain('unknown command "sandbx"; the commands are: sandbox');
  });

  it('sandbox --help prints the sandbox options and starts nothing (it used to ignore the flag and start both servers)', async () => {
    const r = recordingIo({ SANDBOX_SMPP_PORT: '0', SANDBOX_HTTP_PORT: '0' });
    const services = await runCommandLine(['sandbox', '--help'], r.io);
    expect(services).toBeNull();
    expect(r.exits).toEqual([0]);
    const text = r.out.join('\n');
    expect(text).toMatch(/^Usage: n8n-nodes-sms-gateway sandbox \[options\]/);
    for (const flag of ['--smpp-port', '--http-port', '--no-http', '--host', '--system-id', '--latency']) expect(text).toContain(flag);
    expect(text).not.toContain('SMS sandbox is running');
  });

  it('help sandbox is the same as sandbox --help', async () => {
    const a = recordingIo();
    const b = recordingIo();
    await runCommandLine(['help', 'sandbox'], a.io);
    await runCommandLine(['sandbox', '--help'], b.io);
    expect(a.out).toEqual(b.out);
  });

  it('sandbox with ports from the command line starts both servers there and stops on SIGINT', async () => {
    const r = recordingIo();
    const exited = new Promise<void>((resolve) => {
      r.io.exit = (code) => {
        r.exits.push(code);
        resolve();
      };
    });
    const services = await runCommandLine(['sandbox', '--smpp-port', '0', '--http-port=0', '--system-id', 'acme', '--latency', '5'], r.io);
    if (!services) throw new Error('the sandbox did not start');
    expect(services.smsc.faults.latencyMs).toBe(5);
    expect(r.out.join('\n')).toContain(`127.0.0.1:${services.smppPort}   system_id "acme"`);
    expect(await canConnect(services.http!.port)).toBe(true);
    r.signals.emit('SIGINT');
    await exited;
    expect(r.exits).toEqual([0]);
    expect(await canConnect(services.smppPort)).toBe(false);
  });

  it('warns when it listens beyond this machine (--host 0.0.0.0): the HTTP API reads every message and injects faults', async () => {
    const r = recordingIo();
    const services = await runCommandLine(['sandbox', '--host', '0.0.0.0', '--smpp-port', '0', '--http-port', '0'], r.io);
    if (!services) throw new Error('the sandbox did not start');
    try {
      const warning = r.out.find((line) => line.startsWith('Warning:'));
      expect(warning).toContain('listening on 0.0.0.0, not only on this machine');
      expect(warning).toContain(`read every message and inject faults through the HTTP API on port ${services.http!.port}`);
    } finally {
      await services.stop();
    }
    const local = recordingIo();
    const onLoopback = await runCommandLine(['sandbox', '--smpp-port', '0', '--no-http'], local.io);
    await onLoopback!.stop();
    expect(local.out.join('\n')).not.toContain('Warning:');
  });

  it('a bad option value exits 2 with a message naming the option, no stack trace, nothing started', async () => {
    const r = recordingIo();
    const services = await runCommandLine(['sandbox', '--smpp-port', '99999'], r.io);
    expect(services).toBeNull();
    expect(r.exits).toEqual([2]);
    expect(r.err.join('\n')).toBe('n8n-nodes-sms-gateway sandbox: --smpp-port must be a TCP port from 0 to 65535, got "99999" (see --help)');
  });

  it('an unknown option exits 2 naming it', async () => {
    const r = recordingIo();
    await runCommandLine(['sandbox', '--smtp-port', '25'], r.io);
    expect(r.exits).toEqual([2]);
    expect(r.err.join('\n')).toMatch(/unknown option "--smtp-port"/);
  });

  it('a port already taken is reported without a stack trace (exit 1)', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const r = recordingIo();
      await runCommandLine(['sandbox', '--smpp-port', String(taken), '--no-http'], r.io);
      expect(r.exits).toEqual([1]);
      expect(r.err.join('\n')).toMatch(
        new RegExp(`sandbox failed to start: .*${taken}.*\\(the port is taken: choose free ones with --smpp-port / --http-port\\)`),
      );
      expect(r.err.join('\n')).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});

describe('parseSandboxArguments', () => {
  it('takes the environment as defaults and the command line over it', () => {
    const env = { SANDBOX_SMPP_PORT: '12775', SANDBOX_SYSTEM_ID: 'fromenv', SANDBOX_LATENCY_MS: '40' };
    expect(parseSandboxArguments(['--smpp-port', '2776', '--host', '0.0.0.0'], env)).toEqual({
      help: false,
      options: { smppPort: 2776, httpPort: 8025, host: '0.0.0.0', accounts: [{ systemId: 'fromenv', password: 'sandbox' }], latencyMs: 40 },
      passwordSource: 'default',
    });
  });

  it('--no-http runs the SMSC alone', () => {
    expect(parseSandboxArguments(['--no-http'], {}).options?.httpPort).toBeNull();
  });

  it.each([
    [['--http-port', 'eighty'], /--http-port must be a TCP port from 0 to 65535, got "eighty"/],
    [['--latency=-3'], /--latency must be a whole number of milliseconds from 0 to 600000, got "-3"/],
    [['--latency', '-3'], /--latency needs a value \(one starting with "-" is written --latency=-...\)/],
    [['--no-http=1'], /--no-http takes no value/],
    [['--system-id', 'a-very-long-system-id'], /--system-id must be 1 to 15 characters \(SMPP system_id\), got 21/],
    [['--password', 'ninechars'], /--password must be at most 8 characters \(SMPP password\), got 9/],
    [['extra'], /unexpected argument "extra"/],
    [['--smpp-port'], /--smpp-port needs a value/],
  ])('rejects %p with a message naming the option', (argv, message) => {
    expect(() => parseSandboxArguments(argv, {})).toThrow(message);
  });

  it.each([
    [['--smpp-port='], '--smpp-port'],
    [['--http-port', ''], '--http-port'],
    [['--host', ''], '--host'],
    [['--host', '  '], '--host'],
    [['--password', ''], '--password'],
    [['--system-id='], '--system-id'],
    [['--latency='], '--latency'],
  ])('refuses the empty value in %p, naming %s (an empty flag used to mean "the default" silently)', (argv, flag) => {
    expect(() => parseSandboxArguments(argv, {})).toThrow(`${flag} needs a value, got an empty one`);
  });

  it('an empty variable in the environment still means "not set" (npm start passes them through)', () => {
    expect(parseSandboxArguments([], { SANDBOX_SMPP_PORT: '', SANDBOX_HOST: '' }).options).toMatchObject({ smppPort: 2775, host: '127.0.0.1' });
  });

  it.each([[['--no-http', '--http-port', '8026']], [['--http-port=0', '--no-http']]])('refuses %p as contradictory, naming both flags', (argv) => {
    expect(() => parseSandboxArguments(argv, {})).toThrow(
      '--no-http and --http-port contradict each other: --no-http starts no HTTP server, so give one of them',
    );
  });

  it('--no-http wins over SANDBOX_HTTP_PORT (a flag over the environment)', () => {
    expect(parseSandboxArguments(['--no-http'], { SANDBOX_HTTP_PORT: '8026' }).options?.httpPort).toBeNull();
  });

  it('never puts a password in its error', () => {
    expect(() => parseSandboxArguments(['--password', 'topsecret1'], {})).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('topsecret1') }),
    );
  });
});
