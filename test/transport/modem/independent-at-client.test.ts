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

describeWithGammu.each(VENDOR_PROFILE_IDS)('gammu against the %s profile', (profile) => {
  let sim: SimulatedModem;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    sim = await startSimulatedModem({ profile });
    // gammu, like a user, starts on a modem that has finished starting up.
    await waitFor(() => !sim.simulator.session.starting, 'the modem start-up', 15_000);
    dir = mkdtempSync(join(tmpdir(), 'gammu-'));
    config = join(dir, 'gammurc');
    writeFileSync(config, `[gammu]\ndevice = ${sim.path}\nconnection = at\nlogfile = ${join(dir, 'gammu.log')}\nlogformat = textall\n`);
  });
  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const gammuRun = async (...args: string[]): Promise<string> => {
    try {
      const { stdout } = await run(gammu as string, ['-c', config, ...args], { timeout: 60_000 });
      return stdout;
    } catch (err) {
      const failed = err as Error & { stdout?: string; stderr?: string };
      throw new Error(`gammu ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    }
  };

  it('initialises and reads the identity the profile gives', async () => {
    const out = await gammuRun('identify');
    const { manufacturer, revision, imei, model } = sim.simulator.profile;
    expect(out).toMatch(new RegExp(`^Manufacturer\\s+: ${manufacturer}$`, 'mi'));
    expect(out).toMatch(new RegExp(`^Model\\s+: .*${model}`, 'm'));
    expect(out).toMatch(new RegExp(`^Firmware\\s+: ${revision}$`, 'm'));
    expect(out).toMatch(new RegExp(`^IMEI\\s+: ${imei}$`, 'm'));
  });

  it('sends a single and a concatenated SMS that reach the network as typed', async () => {
    await gammuRun('sendsms', 'TEXT', '+447911123456', '-text', 'Water supply restored at 14:00');
    const long = 'Road closed between Mill Road and Station Street until 18:00; use the bypass. '.repeat(3).trim();
    await gammuRun('sendsms', 'TEXT', '+447911123457', '-len', String(long.length), '-text', long);
    const sent = sim.simulator.sent;
    expect(sent.filter((s) => s.submit.destination.address === '+447911123456').map((s) => s.text)).toEqual(['Water supply restored at 14:00']);
    const parts = sent.filter((s) => s.submit.destination.address === '+447911123457');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((s) => s.concat?.seq)).toEqual(parts.map((_, i) => i + 1));
    expect(parts.map((s) => s.text).join('')).toBe(long);
  });

  it('reads the received messages (single and concatenated) and deletes them', async () => {
    sim.simulator.receiveSms({ from: '+4915112345678', text: 'Meet at the north gate' });
    const long = 'Casualties: two, minor. Need one more ambulance at the junction. '.repeat(4).trim();
    sim.simulator.receiveSms({ from: '+4915112345679', text: long, reference: 41 });
    const used = sim.simulator.storage.used;
    expect(used).toBeGreaterThanOrEqual(3);
    const listed = await gammuRun('getallsms');
    expect(listed).toContain('Meet at the north gate');
    expect(listed).toContain('+4915112345679');
    expect(listed).toMatch(new RegExp(`${used} SMS parts in ${used} SMS sequences`));
    // Every part's text is in the listing, in order.
    const bodies = listed.split(/\n\n+/).map((b) => b.replace(/^\n+|\n+$/g, ''));
    const partTexts = bodies.filter((b) => long.includes(b) && b.length > 20);
    expect(partTexts.join('')).toBe(long);
    await gammuRun('deleteallsms', '1');
    expect(sim.simulator.storage.used).toBe(0);
    expect(await gammuRun('getallsms')).toMatch(/0 SMS parts in 0 SMS sequences/);
  });
});
