/**
 * An AT client we did not write, gammu (Debian's package), drives the simulator in every modem
 * profile over the real pseudo-terminal: it must initialise, identify the modem, send a single
 * and a concatenated SMS, read the received messages and delete them. If gammu accepts the
 * simulator, the simulator answers as modems do, not only as our transport expects.
 */
import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { VENDOR_PROFILE_IDS, startSimulatedModem } from '../../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../../src/transport/modem/simulator';
import { waitFor } from './modem-fixture';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the same setup script npm test runs
const { ensureGammu } = require('../../../scripts/ensure-gammu') as { ensureGammu: () => string | undefined };

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
      outputs = stdout.split(/^-+\nExecuting batch .* - command \d+: .*$/m).slice(1).map((o) => o.trim());
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
