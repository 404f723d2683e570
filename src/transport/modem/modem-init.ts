/**
 * Brings a freshly opened modem into the state GsmModem needs, asking the modem what it supports
 * instead of assuming: in step with us (a probe answered, then quiet: an answer still on its way
 * from before a reconnect is not taken for the answer of a new command), no echo, result codes in
 * words (ATE0Q0V1: a stored ATV0 or ATQ1 would make every answer unreadable), numbered errors
 * (AT+CMEE=1: vendors word the verbose ones their own way), who it is (+CGMI/+CGMM/+CGMR),
 * Huawei's periodic notices off, the radio on (+CFUN), SIM unlocked (sim-unlock.ts), PDU mode or
 * text mode (sms-format.ts), optional SMSC, the memories +CPMS=? offers, and the +CNMI setting
 * +CNMI=? allows. Runs again after every reconnect (a re-plugged modem has forgotten it all).
 */
import { AtCommandError } from './at/at-errors';
import type { AtChannel } from './at/at-channel';
import { defaultSleep, ensureFullFunctionality, optional, smsCommand, synchronizeModem } from './init-commands';
import { chooseCnmi, chooseMemories, describeIdentity, identityValue } from './modem-capabilities';
import type { MemoryChoice, ModemIdentity } from './modem-capabilities';
import { ModemInitError } from './modem-init-error';
import { chooseFormat } from './sms-format';
import type { SmsFormat } from './sms-format';
import { unlockSim } from './sim-unlock';
import type { StatusReportRouting } from './types';

export type { StatusReportRouting } from './types';
export type { SmsFormat, TextReading } from './sms-format';

export interface ModemInitOptions {
  /** For messages: "/dev/ttyUSB2 at 115200 baud". */
  device: string;
  /** The device path: wrong PINs are remembered per device (see pin-memory.ts). */
  devicePath?: string;
  pin?: string;
  smsc?: string;
  storage?: string;
  log?: (line: string) => void;
  /** Wait for each of the 3 AT probes (default 2 000 ms). */
  probeTimeoutMs?: number;
  /** Silence after the probe's answer before answers are trusted (default 200 ms). */
  quietMs?: number;
  /** How long a starting modem may keep the SIM / SMS service not ready (default 30 000 ms). */
  readyTimeoutMs?: number;
  /** Waits between polls (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

export interface ModemInitResult {
  format: SmsFormat;
  statusReports: StatusReportRouting;
  identity: ModemIdentity;
  memories: MemoryChoice;
  /** Lines that arrived while getting in step: a late answer to a send cut off before a reconnect. */
  strayLines: string[];
  /** What the initialisation changed that the user should know ("switched it on with AT+CFUN=1"). */
  notes: string[];
  /** +CSMS service 1: a +CDS/+CMT shown directly must be acknowledged with AT+CNMA. */
  acknowledge: boolean;
  /** The AT+CNMI setting the modem took ("2,1,0,1,0"); undefined when it took none. */
  indications?: string;
}

/** Settings tried in order when the modem does not answer AT+CNMI=? usefully. */
const CNMI_FALLBACKS: Array<{ setting: string; statusReports: StatusReportRouting }> = [
  { setting: '2,1,0,1,0', statusReports: 'direct' },
  { setting: '2,1,0,2,0', statusReports: 'stored' },
  { setting: '1,1,0,1,0', statusReports: 'direct' },
  { setting: '1,1,0,2,0', statusReports: 'stored' },
  { setting: '1,1,0,0,0', statusReports: 'none' },
];

async function readIdentity(channel: AtChannel, log?: (line: string) => void): Promise<ModemIdentity> {
  const value = async (command: string): Promise<string | undefined> => {
    const lines = await optional(channel, command, log);
    return lines ? identityValue(lines, command.slice(2)) : undefined;
  };
  return { manufacturer: await value('AT+CGMI'), model: await value('AT+CGMM'), revision: await value('AT+CGMR') };
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

async function chooseIndications(channel: AtChannel, log?: (line: string) => void): Promise<{ statusReports: StatusReportRouting; indications?: string }> {
  const test = await optional(channel, 'AT+CNMI=?', log);
  const choice = test ? chooseCnmi(test.join(' ')) : undefined;
  const candidates = choice ? [choice, ...CNMI_FALLBACKS] : CNMI_FALLBACKS;
  for (const candidate of candidates) {
    if (await optional(channel, `AT+CNMI=${candidate.setting}`, log)) return { statusReports: candidate.statusReports, indications: candidate.setting };
  }
  log?.('the modem accepts no AT+CNMI setting: incoming messages are read only at start-up');
  return { statusReports: 'none' };
}

export async function initializeModem(channel: AtChannel, options: ModemInitOptions): Promise<ModemInitResult> {
  const strayLines = await synchronizeModem(channel, options.device, options.probeTimeoutMs ?? 2000, options.quietMs);
  if (!(await optional(channel, 'AT+CMEE=1', options.log))) await optional(channel, 'AT+CMEE=2', options.log);
  const identity = await readIdentity(channel, options.log);
  try {
    return { ...(await prepareSms(channel, options, identity)), strayLines };
  } catch (err) {
    if (err instanceof ModemInitError && (identity.manufacturer || identity.model)) err.modem = describeIdentity(identity);
    throw err;
  }
}

async function prepareSms(channel: AtChannel, options: ModemInitOptions, identity: ModemIdentity): Promise<Omit<ModemInitResult, 'strayLines'>> {
  const sleep = options.sleep ?? defaultSleep;
  const notes: string[] = [];
  // Huawei sticks send ^RSSI/^MODE/^DSFLOWRPT notices at any time until told not to.
  if (/huawei/i.test(identity.manufacturer ?? '')) await optional(channel, 'AT^CURC=0', options.log);
  const switchedOn = await ensureFullFunctionality(channel, options.log);
  if (switchedOn) notes.push(switchedOn);
  await unlockSim(channel, { pin: options.pin, devicePath: options.devicePath ?? options.device, readyTimeoutMs: options.readyTimeoutMs, sleep });
  const format = await chooseFormat(channel, options);
  if (format.mode === 'text' && format.reading === 'none') {
    notes.push(`received messages cannot be read safely on this text-mode modem (character set ${format.charset}, no AT+CSDH=1) and are left on the SIM`);
  }
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
  // Service 1 wants an AT+CNMA for every +CDS within seconds, which cannot be sent while a send
  // waits for the network (up to 120 s): without it the modem turns the routing off. Service 0
  // where the modem allows it; otherwise acknowledge.
  const service = await optional(channel, 'AT+CSMS?', options.log);
  const acknowledge = /^\+CSMS:\s*1\b/.test(service?.find((l) => l.startsWith('+CSMS:')) ?? '') && !(await optional(channel, 'AT+CSMS=0', options.log));
  for (const note of notes) options.log?.(note);
  return { ...(await chooseIndications(channel, options.log)), identity, memories, format, notes, acknowledge };
}
