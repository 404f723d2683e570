/**
 * Gets the SIM ready: waits while the modem is still starting ("+CPIN: NOT READY", SIM busy;
 * a SIM800 takes seconds after power-on), enters the PIN once (never again when wrong: three
 * wrong PINs lock the SIM), and says clearly when there is no SIM or it needs its PUK, with the
 * attempts left when the modem tells them (AT+CPINR, TS 27.007 8.65, or the vendor's own
 * AT+SPIC / AT^CPIN? / AT+QPINC). A PIN this SIM already rejected is not sent again, nor one
 * whose answer never came, and the last attempt is kept for a PIN known to be good
 * (pin-memory.ts): a credential saved three times with a typo must not lock the SIM.
 */
import { AtCommandError, AtLinkClosedError, AtTimeoutError } from './at/at-errors';
import type { AtChannel } from './at/at-channel';
import { ModemInitError } from './modem-init-error';
import {
  hasUnanswered,
  isKnownGood,
  rejectionsOf,
  rememberAccepted,
  rememberRejected,
  rememberUnanswered,
  settleUnanswered,
  simKeys,
  wasRejected,
  wasUnanswered,
} from './pin-memory';

export interface SimUnlockOptions {
  pin?: string;
  /** The device path, for remembering PINs per SIM. */
  devicePath?: string;
  /** How long a starting modem may say NOT READY / SIM busy (default 30 000 ms). */
  readyTimeoutMs?: number;
  sleep: (ms: number) => Promise<void>;
  now?: () => number;
}

const POLL_MS = 250;
/** PIN attempts a SIM has after a reset of its counter (TS 31.102: 3 for PIN1). */
const PIN_ATTEMPTS = 3;

/** +CME codes that say the SIM is still starting (SIM busy), or a plain ERROR while the modem starts. */
function stillStarting(err: AtCommandError): boolean {
  return err.kind === 'error' || (err.kind === 'cme' && (err.code === 14 || (err.code === undefined && /busy|not ready|initiali/i.test(err.meaning))));
}

/** "SIM PIN", "READY", ...; waits while the SIM is not ready yet. */
async function simState(channel: AtChannel, options: SimUnlockOptions): Promise<string> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.readyTimeoutMs ?? 30_000);
  let last = '';
  for (;;) {
    try {
      const lines = await channel.run('AT+CPIN?');
      const state = lines
        .find((l) => l.startsWith('+CPIN:'))
        ?.slice(6)
        .trim()
        .toUpperCase();
      if (!state) throw new ModemInitError(`the modem gave no SIM state in answer to AT+CPIN? (got ${JSON.stringify(lines.join(' '))})`, 'init_failed');
      if (state === 'NOT INSERTED' || state === 'NO SIM') throw noSim();
      if (state !== 'NOT READY') return state;
      last = '+CPIN: NOT READY';
    } catch (err) {
      if (!(err instanceof AtCommandError)) throw err;
      if (err.kind === 'cme' && err.code === 10) throw noSim();
      if (err.kind === 'cme' && (err.code === 13 || err.code === 15))
        throw new ModemInitError(`the SIM card does not work (${err.meaning}); a SIM blocked after 10 wrong PUKs must be replaced`, 'sim_failure');
      if (!stillStarting(err))
        throw new ModemInitError(
          `the modem answered AT+CPIN? with ${err.message.replace(/^AT\+CPIN\? failed: /, '')}, which is not a SIM state`,
          'sim_failure',
        );
      last = err.message;
    }
    if (now() >= deadline)
      throw new ModemInitError(
        `the SIM card did not become ready within ${Math.round((options.readyTimeoutMs ?? 30_000) / 1000)} s (last answer: ${last})`,
        'sim_failure',
      );
    await options.sleep(POLL_MS);
  }
}

function noSim(): ModemInitError {
  return new ModemInitError('no SIM card in the modem (SIM not inserted): insert the SIM (with the modem unplugged) and check it sits right', 'sim_missing');
}

/**
 * How each modem tells the attempts left: TS 27.007's AT+CPINR, else the vendor's command (as
 * oFono and ModemManager read them): SIMCom "+SPIC: <pin1>,..." (the PIN only: vendors' manuals
 * disagree on the order of the rest), Huawei "^CPIN: <code>,[<times>],<puk_times>,<pin_times>,...",
 * Quectel "+QPINC: "SC",<pin>,<puk>".
 */
const COUNTERS: ReadonlyArray<{ command: string; read: (line: string, code: 'SIM PIN' | 'SIM PUK') => number | undefined }> = [
  {
    command: 'AT+CPINR',
    read: (line, code) => {
      const match = new RegExp(`^\\+CPINR:\\s*"?${code}"?,\\s*(\\d+)`).exec(line);
      return match ? Number(match[1]) : undefined;
    },
  },
  { command: 'AT+SPIC', read: (line, code) => (code === 'SIM PIN' ? numberAt(/^\+SPIC:\s*(.*)$/, line, 0) : undefined) },
  { command: 'AT^CPIN?', read: (line, code) => numberAt(/^\^CPIN:\s*(.*)$/, line, code === 'SIM PIN' ? 3 : 2) },
  { command: 'AT+QPINC="SC"', read: (line, code) => numberAt(/^\+QPINC:\s*"?SC"?\s*,(.*)$/, line, code === 'SIM PIN' ? 0 : 1) },
];

/** The `index`th comma-separated number after the prefix `pattern` captures. */
function numberAt(pattern: RegExp, line: string, index: number): number | undefined {
  const field = pattern.exec(line)?.[1].split(',')[index]?.trim();
  return field !== undefined && /^\d+$/.test(field) ? Number(field) : undefined;
}

/** Attempts left for the PIN or PUK, when the modem tells them (see COUNTERS). */
async function attemptsLeft(channel: AtChannel, code: 'SIM PIN' | 'SIM PUK'): Promise<number | undefined> {
  for (const counter of COUNTERS) {
    const command = counter.command === 'AT+CPINR' ? `AT+CPINR="${code}"` : counter.command;
    try {
      const lines = await channel.run(command);
      const left = lines.map((line) => counter.read(line, code)).find((n) => n !== undefined);
      if (left !== undefined) return left;
    } catch {
      // Not this modem's command (ERROR), or no answer: try the next one.
    }
  }
  return undefined;
}

function describeAttempts(left: number | undefined, code: 'SIM PIN' | 'SIM PUK'): string {
  return left === undefined ? '' : ` (${left} ${code === 'SIM PIN' ? 'PIN' : 'PUK'} attempt${left === 1 ? '' : 's'} left)`;
}

/** The SIM's ICCID (readable without the PIN on most modems), so PINs are remembered per SIM, not per slot. */
async function iccidOf(channel: AtChannel): Promise<string | undefined> {
  try {
    const lines = await channel.run('AT+CCID');
    return /(\d{18,22}F?)/i.exec(lines.join(' '))?.[1];
  } catch {
    return undefined;
  }
}

export async function unlockSim(channel: AtChannel, options: SimUnlockOptions): Promise<void> {
  const devicePath = options.devicePath ?? '';
  const state = await simState(channel, options);
  if (state === 'READY') {
    // A PIN whose answer never came, and the SIM is unlocked now: it took it.
    if (options.pin && hasUnanswered(devicePath)) settleUnanswered(simKeys(devicePath, await iccidOf(channel)), options.pin);
    return;
  }
  if (state === 'SIM PUK') {
    throw new ModemInitError(
      `the SIM card is locked after 3 wrong PINs and needs its PUK${describeAttempts(await attemptsLeft(channel, 'SIM PUK'), 'SIM PUK')}: unlock it in a phone with the PUK from the SIM's card, then set the new PIN in the credential`,
      'puk_required',
    );
  }
  if (state !== 'SIM PIN')
    throw new ModemInitError(
      `the modem asks for "${state}", which this node cannot enter; unlock the modem/SIM in a phone or with the vendor tool`,
      'pin_required',
    );
  const pin = options.pin;
  if (!pin) throw new ModemInitError('the SIM card asks for a PIN: enter it in the credential', 'pin_required');
  if (!/^\d{4,8}$/.test(pin)) throw new ModemInitError('the PIN in the credential must be 4 to 8 digits; it was not sent to the SIM', 'pin_wrong');
  const sim = simKeys(devicePath, await iccidOf(channel));
  if (wasUnanswered(sim, pin)) {
    throw new ModemInitError(
      'the SIM card did not answer this PIN when it was last sent and still asks for a PIN, so it was not sent again (it may have been wrong: each wrong PIN uses up one of its 3 attempts): check the PIN in the credential',
      'pin_wrong',
    );
  }
  if (wasRejected(sim, pin)) {
    throw new ModemInitError(
      'the SIM card already rejected this PIN, so it was not sent again (each wrong PIN uses up one of its 3 attempts): correct the PIN in the credential',
      'pin_wrong',
    );
  }
  const reported = await attemptsLeft(channel, 'SIM PIN');
  const left = Math.min(reported ?? PIN_ATTEMPTS, PIN_ATTEMPTS - rejectionsOf(sim));
  if (left <= 1 && !isKnownGood(sim, pin)) {
    throw new ModemInitError(
      `the SIM card has 1 PIN attempt left and this PIN has not worked on it before, so it was not tried: a wrong PIN now would lock the SIM (PUK). Check the PIN, then enter it once in a phone; the credential then works`,
      'pin_wrong',
    );
  }
  try {
    await channel.run(`AT+CPIN="${pin}"`, { label: 'AT+CPIN=<PIN>' });
  } catch (err) {
    if (err instanceof AtTimeoutError || (err instanceof AtLinkClosedError && err.written)) {
      // The SIM may have checked it and said no: never sent again until the SIM is found unlocked.
      rememberUnanswered(sim, pin);
      throw new ModemInitError(
        `the SIM card did not answer the PIN in time (${err.message}); it is not sent again unless the SIM turns out to have taken it`,
        'sim_failure',
      );
    }
    if (!(err instanceof AtCommandError)) throw err;
    rememberRejected(sim, pin);
    const after = await simState(channel, options).catch(() => '');
    if (after === 'SIM PUK') {
      throw new ModemInitError(
        `the SIM card rejected the PIN (${err.meaning}) and is now locked: it needs its PUK (unlock it in a phone, then set the new PIN in the credential)`,
        'puk_required',
      );
    }
    throw new ModemInitError(
      `the SIM card rejected the PIN (${err.meaning})${describeAttempts(await attemptsLeft(channel, 'SIM PIN'), 'SIM PIN')}; check the PIN in the credential. It is not retried: after 3 wrong PINs the SIM locks and needs the PUK`,
      'pin_wrong',
    );
  }
  rememberAccepted(sim, pin);
  // The SIM takes a moment after the PIN; wait until it says READY.
  if ((await simState(channel, options)) !== 'READY') throw new ModemInitError('the SIM card accepted the PIN but did not become ready', 'sim_failure');
}
