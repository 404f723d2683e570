/**
 * One open GsmModem per serial device per process, shared by the SMS Trigger and every sending
 * node (a serial port can be opened only once: a second open fails with "cannot lock port").
 * The first user's options open it; later users with the same path share that modem.
 */
import { GsmModem } from '../transport/modem/gsm-modem';
import { observeModem } from '../observability/modem-observer';
import type { GsmModemOptions } from '../transport/modem/types';
import { SharedResourcePool, processWide } from '../process-wide/shared-resource-pool';
import type { Lease } from '../process-wide/shared-resource-pool';

/** Device paths name the same port however they are written (trailing slashes, duplicate slashes). */
export function modemKey(config: Pick<GsmModemOptions, 'path'>): string {
  return config.path
    .trim()
    .replace(/\/+/g, '/')
    .replace(/(.)\/$/, '$1');
}

async function openModem(config: GsmModemOptions, key: string, pool: SharedResourcePool<GsmModem>): Promise<GsmModem> {
  // How long sends wait for an unplugged modem to come back (tests shorten the default minute).
  const offlineLimitMs = Number(process.env.SMS_GATEWAY_MODEM_OFFLINE_MS) || undefined;
  const modem = new GsmModem({ offlineLimitMs, ...config });
  modem.once('gaveUp', () => pool.evict(key, modem));
  await modem.open();
  observeModem(modem, key);
  return modem;
}

function registry(): SharedResourcePool<GsmModem> {
  return processWide('modemRegistry', () => {
    const graceMs = Number(process.env.SMS_GATEWAY_IDLE_CLOSE_MS ?? 10_000);
    return new SharedResourcePool<GsmModem>((modem) => modem.close(), graceMs);
  });
}

/** The shared, ready modem for this device; release() when done (it closes after an idle grace period). */
export function acquireModem(config: GsmModemOptions): Promise<Lease<GsmModem>> {
  const pool = registry();
  const key = modemKey(config);
  return pool.acquire(key, () => openModem(config, key, pool));
}

export function modemRegistryUsers(config: Pick<GsmModemOptions, 'path'>): number {
  return registry().users(modemKey(config));
}

export function closeAllModems(): Promise<void> {
  return registry().closeAll();
}
