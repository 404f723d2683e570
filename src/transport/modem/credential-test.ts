/**
 * The core of the GSM Modem credential's test (n8n's side is nodes/shared/credentials/modem-credential-test.ts):
 * opens the device with a fresh connection (so a changed PIN is really tried), initialises it,
 * and reports the modem found (make, model, firmware), SIM and network state and signal, or the
 * exact reason it cannot work: no such device, permission denied, port busy, no answer to AT, no
 * SIM, PIN needed or wrong, PUK needed, no network or registration denied, no SMSC number (every
 * send would fail with +CMS ERROR 330), message memory full (incoming SMS cannot arrive).
 */
import { FieldError } from '../../errors/field-error';
import { GsmModem } from './gsm-modem';
import { describeIdentity } from './modem-capabilities';
import { parseMemoryUsage, parseSmsc } from './modem-health';
import { ModemInitError } from './modem-init-error';
import type { GsmModemOptions, Registration } from './types';

/** Shaped like n8n's INodeCredentialTestResult, which src/ does not import. */
export interface ModemTestResult {
  status: 'OK' | 'Error';
  message: string;
}

const CREDENTIAL = 'gsmModemApi';

/** Reads the credential's fields into modem options; throws a FieldError naming a bad field. */
export function modemOptionsFromCredential(data: Record<string, unknown>): GsmModemOptions & { defaultCountry?: string } {
  const path = typeof data.devicePath === 'string' ? data.devicePath.trim() : '';
  if (!path) throw new FieldError('devicePath', "Device Path is empty: enter the modem's serial device, e.g. /dev/ttyUSB0", { credential: CREDENTIAL });
  const baudRate = Number(data.baudRate ?? 115200);
  if (!Number.isInteger(baudRate) || baudRate <= 0)
    throw new FieldError('baudRate', `Baud Rate must be a positive whole number (got ${String(data.baudRate)})`, { credential: CREDENTIAL });
  const pin = typeof data.pin === 'string' && data.pin.trim() !== '' ? data.pin.trim() : undefined;
  const smsc = typeof data.smsc === 'string' && data.smsc.trim() !== '' ? data.smsc.trim() : undefined;
  const defaultCountry = typeof data.defaultCountry === 'string' && data.defaultCountry.trim() !== '' ? data.defaultCountry.trim().toUpperCase() : undefined;
  return { path, baudRate, pin, smsc, defaultCountry };
}

/** Why there is no service, with the signal the modem measured and what to do about it. */
function noService(registration: Registration, strength: string): string {
  if (registration.status === 'denied') {
    // The radio works (the signal says so): the network refused the SIM; an antenna will not change that.
    return `registration denied by the network${strength}: the network refused this SIM. Ask the operator whether the SIM is active and allowed on this network (roaming, barring, an unpaid plan).`;
  }
  if (registration.status === 'searching')
    return `still searching for a network${strength}. Wait a minute; if it stays so, check the antenna, the coverage and that the SIM card is active.`;
  return `not registered on any network${strength}. Check the antenna, the coverage and that the SIM card is active.`;
}

/** What keeps a registered modem from working: no SMSC number, or a full message memory. */
async function smsProblems(modem: GsmModem, options: GsmModemOptions): Promise<string | undefined> {
  if (!options.smsc) {
    const smsc = await modem.command('AT+CSCA?').then(parseSmsc, () => undefined);
    if (smsc === '')
      return "the SIM holds no SMSC number, so every send would fail (+CMS ERROR 330 SMSC address unknown): enter your operator's SMSC Number in the credential";
  }
  const usage = await modem.command('AT+CPMS?').then(parseMemoryUsage, () => []);
  const receiving = usage[2] ?? usage[0];
  if (receiving && receiving.total > 0 && receiving.used >= receiving.total) {
    return `the message memory ${receiving.memory} is full (${receiving.used} of ${receiving.total}, +CMS ERROR 322 memory full): incoming SMS cannot arrive until messages are deleted (an active SMS Trigger on this modem reads and deletes them)`;
  }
  return undefined;
}

/** Opens, initialises and queries a modem; the result's message is what the user sees. */
export async function testModemConnection(options: GsmModemOptions): Promise<ModemTestResult> {
  const modem = new GsmModem({ ...options, reconnectAttempts: 1, keepAliveMs: 0, commandTimeoutMs: options.commandTimeoutMs ?? 5000 });
  try {
    await modem.open();
    const found = describeIdentity(modem.identity);
    // What the initialisation changed (a modem switched on from flight mode) is said at the end.
    const notes = modem.notes.map((note) => `; ${note}`).join('');
    const registration = await modem.registration();
    const signal = await modem.signal().catch(() => undefined);
    const strength = signal?.dbm != null ? `, signal ${signal.dbm} dBm` : ', signal unknown';
    if (!registration.registered) {
      return { status: 'Error', message: `${found}: SIM ready, but no network service: ${noService(registration, strength)}${notes}` };
    }
    const operator = await modem.operator().catch(() => undefined);
    const network = `registered on ${operator?.name ?? 'the network'} (${registration.status === 'roaming' ? 'roaming' : 'home network'})`;
    const problem = await smsProblems(modem, options);
    if (problem) return { status: 'Error', message: `${found}: SIM ready, ${network}${strength}, but ${problem}${notes}` };
    return { status: 'OK', message: `${found}: SIM ready, ${network}${strength}${notes}` };
  } catch (err) {
    const modemName = err instanceof ModemInitError ? err.modem : undefined;
    return { status: 'Error', message: modemName ? `${modemName}: ${(err as Error).message}` : (err as Error).message };
  } finally {
    await modem.close().catch(() => undefined);
  }
}
