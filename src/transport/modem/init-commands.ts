/**
 * Small steps of a modem's initialisation: commands the modem may lack, commands of the SMS
 * service retried while it is still starting, and getting in step with a modem that may still
 * be answering something from before (see AtChannel.synchronize()).
 */
import { AtCommandError, AtTimeoutError } from './at/at-errors';
import type { AtChannel } from './at/at-channel';
import { ModemInitError } from './modem-init-error';

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The probe that also undoes what a stored profile may hold: E0 (no echo), Q0 (result codes
 * on; ATQ1 would hide every OK) and V1 (words, not the digits of ATV0).
 */
export const SYNC_PROBE = 'ATE0Q0V1';

/**
 * Gets in step: writes the probe until the modem answers, then waits for quiet. Returns what
 * arrived that nobody asked for (a late "+CMGS: 7" from before a reconnect).
 */
export async function synchronizeModem(channel: AtChannel, device: string, timeoutMs: number, quietMs?: number): Promise<string[]> {
  try {
    return await channel.synchronize({ probe: SYNC_PROBE, attempts: 3, timeoutMs, quietMs });
  } catch (err) {
    if (!(err instanceof AtTimeoutError)) throw err;
    throw new ModemInitError(
      `no answer to AT from ${device}: is this the modem's AT port (USB modems expose several; try the others) and is the baud rate right?`,
      'no_answer',
    );
  }
}

/** Runs a command the modem may not have; its lines, or undefined when it answered an error. */
export async function optional(channel: AtChannel, command: string, log?: (line: string) => void): Promise<string[] | undefined> {
  try {
    return await channel.run(command);
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    log?.(`${command} not supported: ${err.message}`);
    return undefined;
  }
}

export interface SmsCommandOptions {
  readyTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A command of the SMS service, retried while the modem says the SIM/SMS service is still busy starting. */
export async function smsCommand(channel: AtChannel, command: string, options: SmsCommandOptions): Promise<string[]> {
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

/**
 * A modem left at AT+CFUN=0 (minimum) or 4 (flight mode, e.g. by ModemManager's "disable") has
 * its radio off and, at 0, its SIM too: nothing would ever register. Switched on, and said so.
 */
export async function ensureFullFunctionality(channel: AtChannel, log?: (line: string) => void): Promise<string | undefined> {
  const answer = await optional(channel, 'AT+CFUN?', log);
  const level = Number(/^\+CFUN:\s*(\d+)/.exec(answer?.find((l) => l.startsWith('+CFUN:')) ?? '')?.[1] ?? 1);
  if (level === 1) return undefined;
  try {
    await channel.run('AT+CFUN=1', { timeoutMs: 30_000 });
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    throw new ModemInitError(
      `the modem is switched to ${level === 4 ? 'flight mode' : 'minimum functionality'} (+CFUN: ${level}) and refused AT+CFUN=1 (${err.message}): switch it on with the vendor tool`,
      'init_failed',
    );
  }
  return `the modem was in ${level === 4 ? 'flight mode' : 'minimum functionality'} (+CFUN: ${level}); switched it on with AT+CFUN=1`;
}
