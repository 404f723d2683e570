/**
 * AT clients we did not write, gammu and smstools' smsd (Debian's packages), drive the simulator
 * in every modem profile over the real pseudo-terminal: each must initialise, send a single and a
 * concatenated SMS, read the received messages and delete them (gammu also identifies the modem).
 * If they accept the simulator, the simulator answers as modems do, not only as our transport
 * expects.
 */
import { execFile, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { VENDOR_PROFILE_IDS, startSimulatedModem } from '../../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../../src/transport/modem/simulator';
import { waitFor } from './modem-fixture';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the same setup script npm test runs
const { ensureGammu, ensureSmsd } = require('../../../scripts/ensure-gammu') as { ensureGammu: () => string | undefined; ensureSmsd: () => string | undefined };

const run = promisify(execFile);
const gammu = ensureGammu();
if (!gammu) console.warn('independent AT client check skipped: gammu cannot be installed here (apt-get install gammu)');
const describeWithGammu = gammu ? describe : describe.skip;

const SINGLE = 'Water supply restored at 14:00';
const LONG_OUT = 'Road closed between Mill Road and Station Street until 18:00, use the bypass. '.repeat(3).trim();
const LONG_IN = 'Casualties: two, minor. Need one more ambulance at the junction. '.repeat(4).trim();

describeWithGammu.each(VENDOR_PROFILE_IDS)('gammu against the %s profile', (profile) => {
  let sim: SimulatedModem;
  let dir: string;
  /** What gammu printed for each command of its session, in order. */
  let outputs: string[];
  let storedBefore: number;

  // One gammu session per profile (gammu's "batch" mode: one initialisation, several commands),
  // as a user would run it on a modem that has finished starting up and holds received messages.
  beforeAll(async () => {
    sim = await startSimulatedModem({ profile });
    await waitFor(() => !sim.simulator.session.starting, 'the modem start-up', 15_000);
    sim.simulator.receiveSms({ from: '+4915112345678', text: 'Meet at the north gate' });
    sim.simulator.receiveSms({ from: '+4915112345679', text: LONG_IN, reference: 41 });
    storedBefore = sim.simulator.storage.used;
    dir = mkdtempSync(join(tmpdir(), 'gammu-'));
    const config = join(dir, 'gammurc');
    writeFileSync(config, `[gammu]\ndevice = ${sim.path}\nconnection = at\nlogfile = ${join(dir, 'gammu.log')}\nlogformat = textall\n`);
    const commands = [
      'identify',
      `sendsms TEXT +447911123456 -text "${SINGLE}"`,
      `sendsms TEXT +447911123457 -len ${LONG_OUT.length} -text "${LONG_OUT}"`,
      'getallsms',
      'deleteallsms 1',
      'getallsms',
    ];
    writeFileSync(join(dir, 'batch'), `${commands.join('\n')}\n`);
    try {
      const { stdout } = await run(gammu as string, ['-c', config, 'batch', join(dir, 'batch')], { timeout: 120_000 });
      outputs = stdout
        .split(/^-+\nExecuting batch .* - command \d+: .*$/m)
        .slice(1)
        .map((o) => o.trim());
    } catch (err) {
      const failed = err as Error & { stdout?: string; stderr?: string };
      throw new Error(`gammu failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    }
  }, 150_000);
  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('initialises and reads the identity the profile gives', () => {
    expect(outputs).toHaveLength(6);
    const { manufacturer, revision, imei, model } = sim.simulator.profile;
    expect(outputs[0]).toMatch(new RegExp(`^Manufacturer\\s+: ${manufacturer}$`, 'mi'));
    expect(outputs[0]).toMatch(new RegExp(`^Model\\s+: .*${model}`, 'm'));
    expect(outputs[0]).toMatch(new RegExp(`^Firmware\\s+: ${revision}$`, 'm'));
    expect(outputs[0]).toMatch(new RegExp(`^IMEI\\s+: ${imei}$`, 'm'));
  });

  it('sends a single and a concatenated SMS that reach the network as typed', () => {
    const sent = sim.simulator.sent;
    expect(outputs[1]).toMatch(/OK, message reference=\d+/);
    expect(sent.filter((s) => s.submit.destination.address === '+447911123456').map((s) => s.text)).toEqual([SINGLE]);
    const parts = sent.filter((s) => s.submit.destination.address === '+447911123457');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((s) => s.concat?.seq)).toEqual(parts.map((_, i) => i + 1));
    expect(parts.map((s) => s.text).join('')).toBe(LONG_OUT);
  });

  it('reads the received messages (single and concatenated) and deletes them', () => {
    expect(storedBefore).toBeGreaterThanOrEqual(3);
    const listed = outputs[3];
    expect(listed).toContain('Meet at the north gate');
    expect(listed).toContain('+4915112345679');
    expect(listed).toMatch(new RegExp(`${storedBefore} SMS parts in ${storedBefore} SMS sequences`));
    // Every part's text is in the listing, in order.
    const bodies = listed.split(/\n\n+/).map((b) => b.replace(/^\n+|\n+$/g, ''));
    expect(bodies.filter((b) => LONG_IN.includes(b) && b.length > 20).join('')).toBe(LONG_IN);
    expect(sim.simulator.storage.used).toBe(0);
    expect(outputs[5]).toMatch(/0 SMS parts in 0 SMS sequences/);
  });
});

const smsd = ensureSmsd();
if (!smsd) console.warn('second independent AT client check skipped: smstools cannot be installed here (apt-get install smstools)');
const describeWithSmsd = smsd ? describe : describe.skip;

describeWithSmsd.each(VENDOR_PROFILE_IDS)('smstools smsd against the %s profile', (profile) => {
  let sim: SimulatedModem;
  let dir: string;
  const spool = (name: string): string => join(dir, name);

  // smsd as it runs in production: a daemon polling the modem, sending what is in its outgoing
  // spool and writing what it receives to its incoming spool (deleting it from the SIM).
  beforeAll(async () => {
    sim = await startSimulatedModem({ profile });
    await waitFor(() => !sim.simulator.session.starting, 'the modem start-up', 15_000);
    sim.simulator.receiveSms({ from: '+4915112345678', text: 'Meet at the north gate' });
    sim.simulator.receiveSms({ from: '+4915112345679', text: LONG_IN, reference: 41 });
    dir = mkdtempSync(join(tmpdir(), 'smsd-'));
    for (const name of ['outgoing', 'checked', 'incoming', 'sent', 'failed']) mkdirSync(spool(name));
    writeFileSync(
      spool('smsd.conf'),
      [
        'devices = GSM1',
        ...['outgoing', 'checked', 'incoming', 'sent', 'failed'].map((name) => `${name} = ${spool(name)}`),
        `logfile = ${spool('smsd.log')}`,
        'loglevel = 7',
        `infofile = ${spool('smsd.running')}`,
        `pidfile = ${spool('smsd.pid')}`,
        'delaytime = 1',
        'delaytime_mainprocess = 1',
        '',
        '[GSM1]',
        `device = ${sim.path}`,
        'incoming = yes',
        'baudrate = 115200',
        '',
      ].join('\n'),
    );
    writeFileSync(spool('outgoing/single'), `To: 447911123456\n\n${SINGLE}\n`);
    writeFileSync(spool('outgoing/long'), `To: 447911123457\n\n${LONG_OUT}\n`);
    const daemon = spawn(smsd as string, ['-t', '-c', spool('smsd.conf')], { stdio: 'ignore' });
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    try {
      // Both spool files settled by name: smsd keeps a "<file>.LOCK" beside a file it is moving,
      // which counted as a second file while the first was still being moved.
      const settled = (): string =>
        [...readdirSync(spool('sent')), ...readdirSync(spool('failed'))]
          .filter((name) => !name.endsWith('.LOCK'))
          .sort()
          .join(',');
      await waitFor(() => settled() === 'long,single' && sim.simulator.storage.used === 0, 'smsd to send both and take every message', 90_000);
    } finally {
      daemon.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends a single and a concatenated SMS that reach the network as typed', () => {
    expect(readdirSync(spool('failed'))).toEqual([]);
    const sent = sim.simulator.sent;
    expect(sent.filter((s) => s.submit.destination.address === '+447911123456').map((s) => s.text)).toEqual([SINGLE]);
    const parts = sent.filter((s) => s.submit.destination.address === '+447911123457');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((s) => s.text).join('')).toBe(LONG_OUT);
  });

  it('reads the received messages (the concatenated one joined) and deletes them from the SIM', () => {
    const received = readdirSync(spool('incoming')).map((name) => readFileSync(spool(`incoming/${name}`), 'latin1'));
    expect(received.some((file) => /^From: 4915112345678$/m.test(file) && file.endsWith('Meet at the north gate'))).toBe(true);
    expect(received.some((file) => /^From: 4915112345679$/m.test(file) && file.includes(LONG_IN))).toBe(true);
    expect(sim.simulator.storage.used).toBe(0);
  });
});
