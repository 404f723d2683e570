/**
 * `methods.credentialTest.gsmModemApiTest`: opens the device with a fresh connection (so a
 * changed PIN is really tried), initialises it, and reports SIM and network state, or the exact
 * reason it cannot: no such device, permission denied, port busy, no answer to AT, SIM missing,
 * PIN needed or wrong, no network.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { modemKey, modemRegistryUsers } from '../../registry/modem-registry';
import { GsmModem } from './gsm-modem';
import type { GsmModemOptions } from './types';

/** Reads the credential's fields into modem options; throws naming a bad field. */
export function modemOptionsFromCredential(data: Record<string, unknown>): GsmModemOptions & { defaultCountry?: string } {
  const path = typeof data.devicePath === 'string' ? data.devicePath.trim() : '';
  if (!path) throw new Error('Device Path is empty: enter the modem\'s serial device, e.g. /dev/ttyUSB0');
  const baudRate = Number(data.baudRate ?? 115200);
  if (!Number.isInteger(baudRate) || baudRate <= 0) throw new Error(`Baud Rate must be a positive whole number (got ${String(data.baudRate)})`);
  const pin = typeof data.pin === 'string' && data.pin.trim() !== '' ? data.pin.trim() : undefined;
  const smsc = typeof data.smsc === 'string' && data.smsc.trim() !== '' ? data.smsc.trim() : undefined;
  const defaultCountry = typeof data.defaultCountry === 'string' && data.defaultCountry.trim() !== '' ? data.defaultCountry.trim().toUpperCase() : undefined;
  return { path, baudRate, pin, smsc, defaultCountry };
}

/** Opens, initialises and queries a modem; the result's message is what the user sees. */
export async function testModemConnection(options: GsmModemOptions): Promise<INodeCredentialTestResult> {
  if (modemRegistryUsers({ path: options.path }) > 0) {
    return { status: 'OK', message: `${modemKey(options)} is open and in use by active workflows of this n8n; not re-opened for the test` };
  }
  const modem = new GsmModem({ ...options, reconnectAttempts: 1, keepAliveMs: 0, commandTimeoutMs: options.commandTimeoutMs ?? 5000 });
  try {
    await modem.open();
    const registration = await modem.registration();
    const signal = await modem.signal().catch(() => undefined);
    const strength = signal?.dbm != null ? `, signal ${signal.dbm} dBm` : '';
    if (!registration.registered) {
      const why = registration.status === 'denied' ? 'registration denied by the network' : registration.status === 'searching' ? 'still searching for a network' : 'not registered';
      return { status: 'Error', message: `SIM ready, but no network service: ${why}${strength}. Check the antenna, coverage and that the SIM is active.` };
    }
    const operator = await modem.operator().catch(() => undefined);
    const network = operator?.name ? ` on ${operator.name}` : '';
    return { status: 'OK', message: `SIM ready, registered${network} (${registration.status === 'roaming' ? 'roaming' : 'home network'})${strength}` };
  } catch (err) {
    return { status: 'Error', message: (err as Error).message };
  } finally {
    await modem.close().catch(() => undefined);
  }
}

export async function gsmModemApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  let options: GsmModemOptions;
  try {
    options = modemOptionsFromCredential(credential.data ?? {});
  } catch (err) {
    return { status: 'Error', message: (err as Error).message };
  }
  return testModemConnection(options);
}
