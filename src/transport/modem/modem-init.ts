/**
 * Brings a freshly opened modem into the state GsmModem needs, asking the modem what it supports
 * instead of assuming: answering, no echo, numbered/verbose errors, who it is (+CGMI/+CGMM/+CGMR),
 * Huawei's periodic notices off, SIM unlocked (sim-unlock.ts), PDU mode, or text mode where that
 * is all the modem has (retried while the SMS service is still starting), optional SMSC, the memories +CPMS=? offers, and the +CNMI setting
 * +CNMI=? allows. Runs again after every reconnect (a re-plugged modem has forgotten it all).
 */
import { AtCommandError, AtTimeoutError } from './at/at-errors';
import type { AtChannel } from './at/at-channel';
import { chooseCnmi, chooseMemories, describeIdentity, identityValue, parseTestLists } from './modem-capabilities';
import type { MemoryChoice, ModemIdentity } from './modem-capabilities';
import { ModemInitError } from './modem-init-error';
import { unlockSim } from './sim-unlock';
import type { StatusReportRouting } from './types';

export type { StatusReportRouting } from './types';

export interface ModemInitOptions {
  /** For messages: "/dev/ttyUSB2 at 115200 baud". */
  device: string;
  pin?: string;
  smsc?: string;
  storage?: string;
  log?: (line: string) => void;
  /** Wait for each of the 3 AT probes (default 2 000 ms). */
  probeTimeoutMs?: number;
  /** How long a starting modem may keep the SIM / SMS service not ready (default 30 000 ms). */
  readyTimeoutMs?: number;
  /** Waits between polls (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

/** How messages travel over the AT port: PDU mode, or text mode in a TE character set. */
export type SmsFormat = { mode: 'pdu' } | { mode: 'text'; charset: string };

export interface ModemInitResult {
  format: SmsFormat;
  statusReports: StatusReportRouting;
  identity: ModemIdentity;
  memories: MemoryChoice;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Settings tried in order when the modem does not answer AT+CNMI=? usefully. */
const CNMI_FALLBACKS: Array<{ setting: string; statusReports: StatusReportRouting }> = [
  { setting: '2,1,0,1,0', statusReports: 'direct' },
  { setting: '2,1,0,2,0', statusReports: 'stored' },
  { setting: '1,1,0,1,0', statusReports: 'direct' },
  { setting: '1,1,0,2,0', statusReports: 'stored' },
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

/** Runs a command the modem may not have; its lines, or undefined when it answered an error. */
async function optional(channel: AtChannel, command: string, log?: (line: string) => void): Promise<string[] | undefined> {
  try {
    return await channel.run(command);
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    log?.(`${command} not supported: ${err.message}`);
    return undefined;
  }
}

async function readIdentity(channel: AtChannel, log?: (line: string) => void): Promise<ModemIdentity> {
  const value = async (command: string): Promise<string | undefined> => {
    const lines = await optional(channel, command, log);
    return lines ? identityValue(lines, command.slice(2)) : undefined;
  };
  return { manufacturer: await value('AT+CGMI'), model: await value('AT+CGMM'), revision: await value('AT+CGMR') };
}

/** A command of the SMS service, retried while the modem says the SIM/SMS service is still busy starting. */
async function smsCommand(channel: AtChannel, command: string, options: ModemInitOptions): Promise<string[]> {
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    try {
      return await channel.run(command);
    } catch (err) {
      const busy = err instanceof AtCommandError && ((err.kind === 'cms' && err.code === 314) || (err.kind === 'cme' && err.code === 14));
      if (!busy || Date.now() >= deadline) throw err;
      await sleep(250);
    }
  }
}

async function setSmsc(channel: AtChannel, raw: string): Promise<void> {
  const smsc = raw.replace(/[\s-]/g, '');
  if (!/^\+?\d{3,20}$/.test(smsc)) throw new ModemInitError(`SMSC Number ${JSON.stringify(raw)} must be digits with an optional leading +`, 'init_failed');
  try {
    await channel.run(`AT+CSCA="${smsc}",${smsc.startsWith('+') ? 145 : 129}`);
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    throw new ModemInitError(`the modem refused the SMSC Number ${smsc}: ${err.message}`, 'init_failed');
  }
}

async function chooseIndications(channel: AtChannel, log?: (line: string) => void): Promise<StatusReportRouting> {
  const test = await optional(channel, 'AT+CNMI=?', log);
  const choice = test ? chooseCnmi(test.join(' ')) : undefined;
  const candidates = choice ? [choice, ...CNMI_FALLBACKS] : CNMI_FALLBACKS;
  for (const candidate of candidates) {
    if (await optional(channel, `AT+CNMI=${candidate.setting}`, log)) return candidate.statusReports;
  }
  log?.('the modem accepts no AT+CNMI setting: incoming messages are read only at start-up');
  return 'none';
}

export async function initializeModem(channel: AtChannel, options: ModemInitOptions): Promise<ModemInitResult> {
  await probe(channel, options.device, options.probeTimeoutMs ?? 2000);
  await optional(channel, 'ATE0', options.log);
  if (!(await optional(channel, 'AT+CMEE=2', options.log))) await optional(channel, 'AT+CMEE=1', options.log);
  const identity = await readIdentity(channel, options.log);
  try {
    return await prepareSms(channel, options, identity);
  } catch (err) {
    if (err instanceof ModemInitError && (identity.manufacturer || identity.model)) err.modem = describeIdentity(identity);
    throw err;
  }
}

async function prepareSms(channel: AtChannel, options: ModemInitOptions, identity: ModemIdentity): Promise<ModemInitResult> {
  const sleep = options.sleep ?? defaultSleep;
  // Huawei sticks send ^RSSI/^MODE/^DSFLOWRPT notices at any time until told not to.
  if (/huawei/i.test(identity.manufacturer ?? '')) await optional(channel, 'AT^CURC=0', options.log);
  await unlockSim(channel, { pin: options.pin, readyTimeoutMs: options.readyTimeoutMs, sleep });
  const format = await chooseFormat(channel, options);
  if (options.smsc) await setSmsc(channel, options.smsc);
  const offered = await optional(channel, 'AT+CPMS=?', options.log);
  const memories = chooseMemories(offered?.join(' '), options.storage ?? 'SM');
  for (const command of [`AT+CPMS="${memories.read}","${memories.read}","${memories.receive}"`, `AT+CPMS="${memories.read}"`]) {
    try {
      await smsCommand(channel, command, options);
      break;
    } catch (err) {
      if (!(err instanceof AtCommandError)) throw err;
      options.log?.(`${command} not supported: ${err.message}`);
    }
  }
  return { statusReports: await chooseIndications(channel, options.log), identity, memories, format };
}

/** PDU mode when offered (everything works); text mode when it is all the modem has. */
async function chooseFormat(channel: AtChannel, options: ModemInitOptions): Promise<SmsFormat> {
  const modes = await optional(channel, 'AT+CMGF=?', options.log);
  const offered = modes ? parseTestLists(modes.join(' '))[0] : undefined;
  const text = offered !== undefined && !offered.includes('0') && offered.includes('1');
  if (offered !== undefined && !offered.includes('0') && !text) {
    throw new ModemInitError(`the modem offers neither PDU nor text mode (AT+CMGF=? answered ${JSON.stringify(modes?.join(' '))})`, 'init_failed');
  }
  try {
    await smsCommand(channel, `AT+CMGF=${text ? 1 : 0}`, options);
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    throw new ModemInitError(`the modem refused ${text ? 'text' : 'PDU'} mode (AT+CMGF=${text ? 1 : 0}): ${err.message}`, 'init_failed');
  }
  if (!text) return { mode: 'pdu' };
  // UCS2 carries every character both ways; GSM/IRA only what they have.
  const sets = parseTestLists((await optional(channel, 'AT+CSCS=?', options.log))?.join(' ') ?? '')[0] ?? [];
  const charset = ['UCS2', 'GSM', 'IRA'].find((c) => sets.includes(c)) ?? 'IRA';
  await optional(channel, `AT+CSCS="${charset}"`, options.log);
  options.log?.(`the modem offers only text mode: sending one-part messages in ${charset}, receiving each part as its own message`);
  return { mode: 'text', charset };
}
