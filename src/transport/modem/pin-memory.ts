/**
 * What this process knows about PINs per SIM: which PIN unlocked it (known good), which ones it
 * rejected, and one whose answer never came (it may have been rejected), kept as salted hashes,
 * never as PINs. n8n tests a credential on every save, so without this three saves with a
 * mistyped PIN would lock the SIM into its PUK; with it, a rejected PIN is never sent to that SIM
 * again, and the last attempt is never spent on a PIN not known to be good.
 *
 * A SIM is known by its device path and, when the modem tells it, its ICCID. A modem may tell the
 * ICCID at one attempt and not at the next (the SIM busy right after start-up), so what is
 * learnt is recorded under both keys and a rejection found under either counts: a rejected PIN
 * must never be sent again because the ICCID was read this time and not the last.
 */
import { createHash, randomBytes } from 'crypto';

/** A salt per process: the hashes are no dictionary for the 10^4..10^8 possible PINs. */
const SALT = randomBytes(16);

interface SimRecord {
  rejected: Set<string>;
  good?: string;
  /** Sent, but its answer never came: rejected until the SIM is found unlocked after it. */
  pending?: string;
}

const records = new Map<string, SimRecord>();

function fingerprint(pin: string): string {
  return createHash('sha256').update(SALT).update(pin).digest('hex');
}

function record(key: string): SimRecord {
  let found = records.get(key);
  if (!found) {
    found = { rejected: new Set() };
    records.set(key, found);
  }
  return found;
}

/** The keys of a SIM, most specific last: ["/dev/ttyUSB2", "/dev/ttyUSB2|8944..."] (the ICCID, when known). */
export function simKeys(devicePath: string, iccid?: string): string[] {
  return iccid ? [devicePath, `${devicePath}|${iccid}`] : [devicePath];
}

/** Rejected (or sent without an answer) under any of the SIM's keys. */
export function wasRejected(sim: string[], pin: string): boolean {
  const print = fingerprint(pin);
  return sim.some((key) => records.get(key)?.rejected.has(print) ?? false);
}

/** Sent without an answer, and not found taken since. */
export function wasUnanswered(sim: string[], pin: string): boolean {
  const print = fingerprint(pin);
  return sim.some((key) => records.get(key)?.pending === print);
}

/** Only the most specific key vouches for a PIN: another SIM in the same slot is not this one. */
export function isKnownGood(sim: string[], pin: string): boolean {
  return records.get(sim[sim.length - 1])?.good === fingerprint(pin);
}

/** Different PINs this SIM rejected since it last accepted one (the most any key knows of). */
export function rejectionsOf(sim: string[]): number {
  return Math.max(0, ...sim.map((key) => records.get(key)?.rejected.size ?? 0));
}

export function rememberRejected(sim: string[], pin: string): void {
  for (const key of sim) record(key).rejected.add(fingerprint(pin));
}

/** The PIN was sent and no answer came: it counts as rejected until the SIM is found unlocked. */
export function rememberUnanswered(sim: string[], pin: string): void {
  const print = fingerprint(pin);
  for (const key of sim) {
    const found = record(key);
    found.rejected.add(print);
    found.pending = print;
  }
}

/** The SIM took this PIN: its counter is back at the start, earlier rejections no longer count. */
export function rememberAccepted(sim: string[], pin: string): void {
  for (const key of sim) {
    const found = record(key);
    found.good = fingerprint(pin);
    found.pending = undefined;
    found.rejected.clear();
  }
}

/** A PIN sent without an answer is waiting for the SIM to be found unlocked (or not). */
export function hasUnanswered(devicePath: string): boolean {
  return [...records.entries()].some(([key, found]) => (key === devicePath || key.startsWith(`${devicePath}|`)) && found.pending !== undefined);
}

/**
 * The SIM is unlocked and the configured PIN is the one whose answer never came: the SIM took it.
 * True when it was (it is then known good).
 */
export function settleUnanswered(sim: string[], pin: string): boolean {
  const print = fingerprint(pin);
  if (!sim.some((key) => records.get(key)?.pending === print)) return false;
  rememberAccepted(sim, pin);
  return true;
}
