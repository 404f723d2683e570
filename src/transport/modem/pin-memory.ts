/**
 * What this process knows about PINs per SIM (device path, plus the SIM's ICCID when the modem
 * tells it): which PIN unlocked it (known good) and which ones it rejected, kept as salted
 * hashes, never as PINs. n8n tests a credential on every save, so without this three saves with a
 * mistyped PIN would lock the SIM into its PUK; with it, a rejected PIN is never sent to that SIM
 * again, and the last attempt is never spent on a PIN not known to be good.
 */
import { createHash, randomBytes } from 'crypto';

/** A salt per process: the hashes are no dictionary for the 10^4..10^8 possible PINs. */
const SALT = randomBytes(16);

interface SimRecord {
  rejected: Set<string>;
  good?: string;
}

const records = new Map<string, SimRecord>();

function fingerprint(pin: string): string {
  return createHash('sha256').update(SALT).update(pin).digest('hex');
}

function record(sim: string): SimRecord {
  let found = records.get(sim);
  if (!found) {
    found = { rejected: new Set() };
    records.set(sim, found);
  }
  return found;
}

/** "/dev/ttyUSB2" or "/dev/ttyUSB2|8944..." (the ICCID, when known). */
export function simKey(devicePath: string, iccid?: string): string {
  return iccid ? `${devicePath}|${iccid}` : devicePath;
}

export function wasRejected(sim: string, pin: string): boolean {
  return records.get(sim)?.rejected.has(fingerprint(pin)) ?? false;
}

export function isKnownGood(sim: string, pin: string): boolean {
  return records.get(sim)?.good === fingerprint(pin);
}

/** Different PINs this SIM rejected since it last accepted one. */
export function rejectionsOf(sim: string): number {
  return records.get(sim)?.rejected.size ?? 0;
}

export function rememberRejected(sim: string, pin: string): void {
  record(sim).rejected.add(fingerprint(pin));
}

/** The SIM took this PIN: its counter is back at the start, earlier rejections no longer count. */
export function rememberAccepted(sim: string, pin: string): void {
  const found = record(sim);
  found.good = fingerprint(pin);
  found.rejected.clear();
}
