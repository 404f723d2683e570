/**
 * Brings a freshly opened modem into the state GsmModem needs: answering, no echo, verbose
 * errors, SIM unlocked, PDU mode, optional SMSC, storage, and new-message / status-report
 * indications. Runs again after every reconnect (a re-plugged modem has forgotten it all).
 */
import { AtCommandError, AtTimeoutError } from './at/at-errors';
import type { AtChannel } from './at/at-channel';
import { ModemInitError } from './modem-init-error';

export interface ModemInitOptions {
  /** For messages: "/dev/ttyUSB2 at 115200 baud". */
  device: string;
  pin?: string;
  smsc?: string;
  storage?: string;
  log?: (line: string) => void;
  /** Wait for each of the 3 AT probes (default 2 000 ms). */
  probeTimeoutMs?: number;
  /** Waits between SIM polls (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

export type StatusReportRouting = 'direct' | 'stored' | 'none';

export interface ModemInitResult {
  statusReports: StatusReportRouting;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** +CNMI settings, best first: <mt>=1 (store, announce with +CMTI), <ds>=1 (+CDS) or 2 (+CDSI). */
const CNMI_CHOICES: Array<{ setting: string; statusReports: StatusReportRouting }> = [
  { setting: '2,1,0,1,0', statusReports: 'direct' },
  { setting: '2,1,0,2,0', statusReports: 'stored' },
  { setting: '1,1,0,0,0', statusReports: 'none' },
];

async function probe(channel: AtChannel, device: string, timeoutMs: number): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await channel.run('AT', { timeoutMs });
      return;
    } catch (err) {
      if (!(err instanceof AtTimeoutError)) return; // an ERROR is still an answer
    }
  }
  throw new ModemInitError(`no answer to AT from ${device}: is this the modem's AT port (USB modems expose several; try the others) and is the baud rate right?`, 'no_answer');
}

async function optional(channel: AtChannel, command: string, log?: (line: string) => void): Promise<boolean> {
  try {
    await channel.run(command);
    return true;
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    log?.(`${command} not supported: ${err.message}`);
    return false;
  }
}

async function simState(channel: AtChannel, sleep: (ms: number) => Promise<void>): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const lines = await channel.run('AT+CPIN?');
      const state = lines.find((l) => l.startsWith('+CPIN:'))?.slice(6).trim();
      if (state) return state.toUpperCase();
      throw new ModemInitError(`the modem gave no SIM state in answer to AT+CPIN? (got ${JSON.stringify(lines.join(' '))})`, 'init_failed');
    } catch (err) {
      if (!(err instanceof AtCommandError) || err.kind !== 'cme') throw err;
      if (err.code === 10) throw new ModemInitError('no SIM card in the modem (+CME ERROR 10: SIM not inserted)', 'sim_missing');
      if (err.code === 13 || err.code === 15) throw new ModemInitError(`the SIM card does not work (${err.meaning})`, 'sim_failure');
      // SIM busy (14) or still starting up: try again for a few seconds.
      if (attempt >= 10) throw new ModemInitError(`the SIM card did not become ready: ${err.message}`, 'sim_failure');
      await sleep(500);
    }
  }
}

async function unlockSim(channel: AtChannel, options: ModemInitOptions, sleep: (ms: number) => Promise<void>): Promise<void> {
  const state = await simState(channel, sleep);
  if (state === 'READY') return;
  if (state === 'SIM PUK') throw new ModemInitError('the SIM card is locked and needs its PUK (too many wrong PINs); unlock it in a phone first', 'puk_required');
  if (state !== 'SIM PIN') throw new ModemInitError(`the modem asks for "${state}", which this node cannot enter; unlock the modem/SIM in a phone or with the vendor tool`, 'pin_required');
  if (!options.pin) throw new ModemInitError('the SIM card asks for a PIN: enter it in the credential', 'pin_required');
  if (!/^\d{4,8}$/.test(options.pin)) throw new ModemInitError('the PIN in the credential must be 4 to 8 digits; it was not sent to the SIM', 'pin_wrong');
  try {
    await channel.run(`AT+CPIN="${options.pin}"`, { label: 'AT+CPIN=<PIN>' });
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    throw new ModemInitError(
      `the SIM card rejected the PIN (${err.meaning}); check the PIN in the credential. It is not retried: after 3 wrong PINs the SIM locks and needs the PUK`,
      'pin_wrong',
    );
  }
  // The SIM takes a moment after the PIN; wait until it says READY.
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await simState(channel, sleep)) === 'READY') return;
    await sleep(250);
  }
  throw new ModemInitError('the SIM card accepted the PIN but did not become ready', 'sim_failure');
}

export async function initializeModem(channel: AtChannel, options: ModemInitOptions): Promise<ModemInitResult> {
  const sleep = options.sleep ?? defaultSleep;
  await probe(channel, options.device, options.probeTimeoutMs ?? 2000);
  await optional(channel, 'ATE0', options.log);
  if (!(await optional(channel, 'AT+CMEE=2', options.log))) await optional(channel, 'AT+CMEE=1', options.log);
  await unlockSim(channel, options, sleep);
  try {
    await channel.run('AT+CMGF=0');
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    throw new ModemInitError(`the modem refused PDU mode (AT+CMGF=0): ${err.message}`, 'init_failed');
  }
  if (options.smsc) {
    const smsc = options.smsc.replace(/[\s-]/g, '');
    if (!/^\+?\d{3,20}$/.test(smsc)) throw new ModemInitError(`SMSC number ${JSON.stringify(options.smsc)} must be digits with an optional leading +`, 'init_failed');
    try {
      await channel.run(`AT+CSCA="${smsc}",${smsc.startsWith('+') ? 145 : 129}`);
    } catch (err) {
      if (!(err instanceof AtCommandError)) throw err;
      throw new ModemInitError(`the modem refused the SMSC number ${smsc}: ${err.message}`, 'init_failed');
    }
  }
  const storage = options.storage ?? 'SM';
  await optional(channel, `AT+CPMS="${storage}","${storage}","${storage}"`, options.log);
  for (const choice of CNMI_CHOICES) {
    if (await optional(channel, `AT+CNMI=${choice.setting}`, options.log)) return { statusReports: choice.statusReports };
  }
  options.log?.('the modem accepts no AT+CNMI setting: incoming messages are read only at start-up');
  return { statusReports: 'none' };
}
