import { BenchUsageError, parseSmscOptions } from '../../bench/smsc-options';
import type { ExternalSmsc } from '../../bench/smsc-options';
import { smscWarning } from '../../bench/external-smsc-bench';

/**
 * `npm run bench -- --smsc ...` sends real messages: every mistake must stop it before it binds,
 * with an error naming the option, and it must send only to numbers given in full.
 */
const base = ['--smsc', 'smsc.example.net:2775', '--system-id', 'acme', '--password', 's3cret', '--to', '+447911123456'];
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}): ExternalSmsc => parseSmscOptions(argv, env) as ExternalSmsc;
const refused = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
  try {
    parseSmscOptions(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(BenchUsageError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
};

describe('bench against your SMSC: options', () => {
  it('no --smsc and no BENCH_SMSC: the usual local run', () => {
    expect(parseSmscOptions([], {})).toBeNull();
  });

  it('reads every option, with defaults', () => {
    expect(parse(base)).toEqual({
      host: 'smsc.example.net',
      port: 2775,
      systemId: 'acme',
      password: 's3cret',
      to: ['+447911123456'],
      count: 100,
      windows: [1, 10, 100],
      from: 'BENCH',
      tls: false,
      allowSelfSigned: false,
      yes: false,
    });
    const more = parse([
      ...base.slice(0, 7),
      '+447911123456, +4915112345678',
      '--count',
      '20',
      '--windows',
      '5,50',
      '--from',
      'ACME',
      '--tls',
      '--allow-self-signed',
      '--yes',
    ]);
    expect(more).toMatchObject({
      to: ['+447911123456', '+4915112345678'],
      count: 20,
      windows: [5, 50],
      from: 'ACME',
      tls: true,
      allowSelfSigned: true,
      yes: true,
    });
    expect(parse(['--smsc', '[::1]:2775', ...base.slice(2)])).toMatchObject({ host: '::1', port: 2775 });
  });

  it('takes the environment, the command line first', () => {
    const env = { BENCH_SMSC: '10.0.0.5:2776', BENCH_SYSTEM_ID: 'envid', BENCH_PASSWORD: 'envpw', BENCH_TO: '+447911123456', BENCH_COUNT: '7' };
    expect(parse([], env)).toMatchObject({ host: '10.0.0.5', port: 2776, systemId: 'envid', password: 'envpw', count: 7 });
    expect(parse(['--system-id', 'cli'], env).systemId).toBe('cli');
  });

  it.each([
    [['--smsc', 'smsc.example.net:2775', '--password', 'pw', '--to', '+447911123456'], /--system-id is missing/],
    [['--smsc', 'smsc.example.net:2775', '--system-id', 'acme', '--to', '+447911123456'], /--password is missing/],
    [base.slice(0, 6), /--to is missing/],
    [['--smsc', 'smsc.example.net', ...base.slice(2)], /--smsc "smsc.example.net" is not host:port/],
    [['--smsc', 'smsc.example.net:70000', ...base.slice(2)], /port 70000 is out of range/],
    [['--smsc', 'smsc.example.net:0', ...base.slice(2)], /port 0 is out of range/],
    [[...base.slice(0, 7), '07911123456'], /"07911123456" is not in international form/],
    [[...base.slice(0, 7), '+44123'], /--to: "\+44123" is not a valid phone number/],
    [[...base.slice(0, 7), '+447911123456,,+447911123457'], /--to: number 2 is empty/],
    [[...base, '--count', '0'], /--count 0 is out of range/],
    [[...base, '--count', '1e6'], /--count "1e6" is not a whole number/],
    [[...base, '--count', '100001'], /--count 100001 is out of range/],
    [[...base, '--windows', '10,x'], /--windows "x" is not a whole number/],
    [[...base, '--allow-self-signed'], /--allow-self-signed .* give --tls too/],
    [[...base, '--smsc-port', '1'], /unknown option "--smsc-port"/],
    [[...base, '--count'], /--count needs a value/],
    [[...base, '--from', ''], /--from needs a value, got an empty one/],
    [[...base, 'extra'], /unexpected argument "extra"/],
    [['--system-id', 'acme', '--to', '+447911123456'], /--system-id is for a run against your own SMSC: give --smsc/],
    [
      ['--smsc', 'smsc.example.net:2775', '--system-id', 'much-too-long-system-id', '--password', 'pw', '--to', '+447911123456'],
      /--system-id is 23 characters/,
    ],
  ])('refuses %j', (argv, message) => {
    expect(refused(argv as string[])).toMatch(message);
  });

  it('never repeats the password in an error or in the warning', () => {
    const secret = 'Pa55w0rd';
    for (const argv of [
      ['--smsc', 'x:1', '--system-id', 'a', '--password', secret],
      ['--smsc', 'x:1', '--system-id', 'a', '--password', secret, '--to', '123'],
    ]) {
      expect(refused(argv)).not.toContain(secret);
    }
    const warning = smscWarning(
      parse(['--smsc', 'x:1', '--system-id', 'a', '--password', secret, '--to', '+447911123456', '--count', '5', '--windows', '1,10']),
    );
    expect(warning).not.toContain(secret);
    expect(warning).toMatch(/REAL SMS/);
    expect(warning).toContain('20 messages in all');
    expect(warning).toContain('+447911123456');
  });
});
