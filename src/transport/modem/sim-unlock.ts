/**
 * Gets the SIM ready: waits while the modem is still starting ("+CPIN: NOT READY", SIM busy;
 * a SIM800 takes seconds after power-on), enters the PIN once (never again when wrong: three
 * wrong PINs lock the SIM), and says clearly when there is no SIM or it needs its PUK, with the
 * attempts left when the modem tells them (AT+CPINR, TS 27.007 8.65).
 */
import { AtCommandError } from './at/at-errors';
import type { AtChannel } from './at/at-channel';
import { ModemInitError } from './modem-init-error';

export interface SimUnlockOptions {
  pin?: string;
  /** How long a starting modem may say NOT READY / SIM busy (default 30 000 ms). */
  readyTimeoutMs?: number;
  sleep: (ms: number) => Promise<void>;
  now?: () => number;
}

const POLL_MS = 250;

/** "SIM PIN", "READY", ...; waits while the SIM is not ready yet. */
async function simState(channel: AtChannel, options: SimUnlockOptions): Promise<string> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.readyTimeoutMs ?? 30_000);
  let last = '';
  for (;;) {
    try {
      const lines = await channel.run('AT+CPIN?');
      const state = lines.find((l) => l.startsWith('+CPIN:'))?.slice(6).trim().toUpperCase();
      if (!state) throw new ModemInitError(`the modem gave no SIM state in answer to AT+CPIN? (got ${JSON.stringify(lines.join(' '))})`, 'init_failed');
      if (state === 'NOT INSERTED' || state === 'NO SIM') throw noSim();
      if (state !== 'NOT READY') return state;
      last = '+CPIN: NOT READY';
    } catch (err) {
      if (!(err instanceof AtCommandError)) throw err;
      if (err.kind === 'cme' && err.code === 10) throw noSim();
      if (err.kind === 'cme' && (err.code === 13 || err.code === 15)) throw new ModemInitError(`the SIM card does not work (${err.meaning}); a SIM blocked after 10 wrong PUKs must be replaced`, 'sim_failure');
      // SIM busy (14), or a plain ERROR while the modem starts: wait.
      last = err.message;
    }
    if (now() >= deadline) throw new ModemInitError(`the SIM card did not become ready within ${Math.round((options.readyTimeoutMs ?? 30_000) / 1000)} s (last answer: ${last})`, 'sim_failure');
    await options.sleep(POLL_MS);
  }
}

function noSim(): ModemInitError {
  return new ModemInitError('no SIM card in the modem (SIM not inserted): insert the SIM (with the modem unplugged) and check it sits right', 'sim_missing');
}

/** Attempts left for the PIN or PUK, when the modem answers AT+CPINR; '' otherwise. */
async function attemptsLeft(channel: AtChannel, code: 'SIM PIN' | 'SIM PUK'): Promise<string> {
  try {
    const lines = await channel.run(`AT+CPINR="${code}"`);
    const match = new RegExp(`^\\+CPINR:\\s*"?${code}"?,\\s*(\\d+)`).exec(lines.find((l) => l.startsWith('+CPINR:')) ?? '');
    return match ? ` (${match[1]} ${code === 'SIM PIN' ? 'PIN' : 'PUK'} attempt${match[1] === '1' ? '' : 's'} left)` : '';
  } catch {
    return '';
  }
}

export async function unlockSim(channel: AtChannel, options: SimUnlockOptions): Promise<void> {
  const state = await simState(channel, options);
  if (state === 'READY') return;
  if (state === 'SIM PUK') {
    throw new ModemInitError(`the SIM card is locked after 3 wrong PINs and needs its PUK${await attemptsLeft(channel, 'SIM PUK')}: unlock it in a phone with the PUK from the SIM's card, then set the new PIN in the credential`, 'puk_required');
  }
  if (state !== 'SIM PIN') throw new ModemInitError(`the modem asks for "${state}", which this node cannot enter; unlock the modem/SIM in a phone or with the vendor tool`, 'pin_required');
  if (!options.pin) throw new ModemInitError('the SIM card asks for a PIN: enter it in the credential', 'pin_required');
  if (!/^\d{4,8}$/.test(options.pin)) throw new ModemInitError('the PIN in the credential must be 4 to 8 digits; it was not sent to the SIM', 'pin_wrong');
  try {
    await channel.run(`AT+CPIN="${options.pin}"`, { label: 'AT+CPIN=<PIN>' });
  } catch (err) {
    if (!(err instanceof AtCommandError)) throw err;
    const after = await simState(channel, options).catch(() => '');
    if (after === 'SIM PUK') {
      throw new ModemInitError(`the SIM card rejected the PIN (${err.meaning}) and is now locked: it needs its PUK (unlock it in a phone, then set the new PIN in the credential)`, 'puk_required');
    }
    throw new ModemInitError(
      `the SIM card rejected the PIN (${err.meaning})${await attemptsLeft(channel, 'SIM PIN')}; check the PIN in the credential. It is not retried: after 3 wrong PINs the SIM locks and needs the PUK`,
      'pin_wrong',
    );
  }
  // The SIM takes a moment after the PIN; wait until it says READY.
  if ((await simState(channel, options)) !== 'READY') throw new ModemInitError('the SIM card accepted the PIN but did not become ready', 'sim_failure');
}
