import * as smpp from 'smpp';
import type { SandboxFaults } from '../types';
import { describeType, HttpError } from './http-io';

const FAULT_FIELDS: ReadonlyArray<keyof SandboxFaults> = [
  'throttleRatio',
  'failRatio',
  'failStatus',
  'failDestinations',
  'dropAfterSubmits',
  'stalled',
  'latencyMs',
];
/** Longest answer delay the API accepts: beyond this a client's response timeout fires anyway. */
export const MAX_LATENCY_MS = 600_000;
const MAX_FAIL_DESTINATIONS = 10_000;

function bad(field: string, problem: string): HttpError {
  return new HttpError(400, `faults.${field} ${problem}`);
}

function ratio(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(field, `must be a number from 0 to 1, got ${describeType(value)}`);
  if (value < 0 || value > 1) throw bad(field, `must be from 0 to 1 (a fraction, 0.25 = 25%), got ${value}`);
  return value;
}

function wholeNumber(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw bad(field, `must be a whole number from 0 to ${max}, got ${typeof value === 'number' ? value : describeType(value)}`);
  if (value < 0 || value > max) throw bad(field, `must be from 0 to ${max}, got ${value}`);
  return value;
}

/** A command_status as a number (1..0xFFFFFFFF) or an SMPP name such as "ESME_RINVDSTADR". */
function commandStatus(value: unknown): number {
  if (typeof value === 'string') {
    const code = (smpp.errors as Record<string, number>)[value.trim().toUpperCase()];
    if (code === undefined || code === 0)
      throw bad('failStatus', `"${value.slice(0, 40)}" is not a known SMPP error name (e.g. ESME_RSYSERR, ESME_RINVDSTADR)`);
    return code;
  }
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw bad('failStatus', `must be an SMPP command_status (a whole number or a name like "ESME_RSYSERR"), got ${describeType(value)}`);
  if (value < 1 || value > 0xffffffff) throw bad('failStatus', `must be from 1 to 4294967295 (0 means success, not a failure), got ${value}`);
  return value;
}

function destinations(value: unknown): string[] {
  if (!Array.isArray(value)) throw bad('failDestinations', `must be an array of phone numbers, got ${describeType(value)}`);
  if (value.length > MAX_FAIL_DESTINATIONS) throw bad('failDestinations', `may hold at most ${MAX_FAIL_DESTINATIONS} numbers, got ${value.length}`);
  return value.map((entry, i) => {
    if (typeof entry !== 'string') throw bad(`failDestinations[${i}]`, `must be a string, got ${describeType(entry)}`);
    const trimmed = entry.trim();
    if (!/^\+?[0-9A-Za-z]{1,21}$/.test(trimmed))
      throw bad(`failDestinations[${i}]`, `must be an address of 1 to 21 digits or letters (optionally with a leading +), got "${entry.slice(0, 40)}"`);
    // Addresses in submit_sm carry no '+', so match the way the SMSC will compare them.
    return trimmed.replace(/^\+/, '');
  });
}

/**
 * Checks a partial SandboxFaults from a request body: every field typed and in range, no unknown
 * fields. Throws HttpError 400 naming the first bad field.
 */
export function parseFaultsInput(body: Record<string, unknown>): Partial<SandboxFaults> {
  const faults: Partial<SandboxFaults> = {};
  for (const [field, value] of Object.entries(body)) {
    switch (field) {
      case 'throttleRatio':
      case 'failRatio':
        faults[field] = ratio(field, value);
        break;
      case 'failStatus':
        faults.failStatus = commandStatus(value);
        break;
      case 'failDestinations':
        faults.failDestinations = destinations(value);
        break;
      case 'dropAfterSubmits':
        faults.dropAfterSubmits = wholeNumber(field, value, Number.MAX_SAFE_INTEGER);
        break;
      case 'latencyMs':
        faults.latencyMs = wholeNumber(field, value, MAX_LATENCY_MS);
        break;
      case 'stalled':
        if (typeof value !== 'boolean') throw bad(field, `must be true or false, got ${describeType(value)}`);
        faults.stalled = value;
        break;
      default:
        throw new HttpError(400, `unknown fault field "${field.slice(0, 40)}"; known fields: ${FAULT_FIELDS.join(', ')}`);
    }
  }
  return faults;
}
