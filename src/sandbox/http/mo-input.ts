import type { InjectMoOptions } from '../sandbox-smsc';
import { describeType, HttpError } from './http-io';
import { CustomTlvError, encodeCustomTlvs } from '../../tlv/custom-tlv';
import type { CustomTlvSpec, EncodedTlv } from '../../tlv/custom-tlv';

/** `tlvs`: [{ tag: '0x1400', type: 'string', value: '...' }, ...], read like the nodes' Custom TLVs. */
function parseMoTlvs(value: unknown): EncodedTlv[] {
  if (!Array.isArray(value)) throw new HttpError(400, `tlvs must be a list of { tag, type, value }, got ${describeType(value)}`);
  if (value.length > 32) throw new HttpError(400, `tlvs has ${value.length} entries; the sandbox takes at most 32`);
  const specs = value.map((entry: unknown, i): CustomTlvSpec => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new HttpError(400, `tlvs[${i}] must be an object { tag, type, value }, got ${describeType(entry)}`);
    const { tag, type, value: v } = entry as Record<string, unknown>;
    return { tag, type, value: v };
  });
  try {
    return encodeCustomTlvs(specs, 'tlv');
  } catch (err) {
    if (err instanceof CustomTlvError) throw new HttpError(400, `tlvs: ${err.message}`);
    throw err;
  }
}

/** Longest MO text the API reads: 255 GSM-7 parts of 153 characters (UCS-2 text hits the 255-part limit sooner, checked when encoding). */
export const MAX_MO_TEXT_LENGTH = 255 * 153;
const CONCAT_METHODS = ['udh8', 'udh16', 'sar'] as const;
const MO_FIELDS = ['from', 'to', 'text', 'concat', 'systemId', 'waitMs', 'tlvs'];
/** How long POST /api/mo waits for the ESME's deliver_sm_resp by default. */
export const DEFAULT_MO_WAIT_MS = 10_000;
const MAX_MO_WAIT_MS = 120_000;

export interface MoRequest {
  inject: InjectMoOptions;
  /** How long to wait for the ESME to acknowledge before answering "queued". */
  waitMs: number;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined) throw new HttpError(400, `${field} is required`);
  if (typeof value !== 'string') throw new HttpError(400, `${field} must be a string, got ${describeType(value)}`);
  return value.trim();
}

/**
 * Checks a POST /api/mo body: `from` is the phone (digits, optional +), `to` the number, short
 * code or alphanumeric sender the phone texts, `text` the message. Throws HttpError 400 naming the field.
 */
export function parseMoInput(body: Record<string, unknown>): MoRequest {
  for (const key of Object.keys(body)) {
    if (!MO_FIELDS.includes(key)) throw new HttpError(400, `unknown field "${key.slice(0, 40)}"; known fields: ${MO_FIELDS.join(', ')}`);
  }
  const from = requiredString(body, 'from');
  if (!/^\+?[0-9]{1,20}$/.test(from))
    throw new HttpError(400, `from must be a phone number of 1 to 20 digits (optionally with a leading +), got "${from.slice(0, 40)}"`);
  const to = requiredString(body, 'to');
  if (!/^\+?[0-9]{1,20}$/.test(to) && !/^[A-Za-z0-9 ]{1,11}$/.test(to)) {
    throw new HttpError(
      400,
      `to must be a phone number or short code (digits, optional +) or an alphanumeric sender of up to 11 characters, got "${to.slice(0, 40)}"`,
    );
  }
  const text = body.text;
  if (text === undefined) throw new HttpError(400, 'text is required');
  if (typeof text !== 'string') throw new HttpError(400, `text must be a string, got ${describeType(text)}`);
  if (text.length === 0) throw new HttpError(400, 'text must not be empty');
  if (text.length > MAX_MO_TEXT_LENGTH)
    throw new HttpError(400, `text is ${text.length} characters; at most ${MAX_MO_TEXT_LENGTH} fit in 255 SMS parts (fewer for UCS-2)`);
  const inject: InjectMoOptions = { from, to, text };
  if (body.concat !== undefined) {
    const concat = body.concat;
    if (typeof concat !== 'string' || !(CONCAT_METHODS as readonly string[]).includes(concat)) {
      throw new HttpError(
        400,
        `concat must be one of ${CONCAT_METHODS.join(', ')}, got ${typeof concat === 'string' ? `"${concat.slice(0, 20)}"` : describeType(concat)}`,
      );
    }
    inject.concat = concat as InjectMoOptions['concat'];
  }
  if (body.systemId !== undefined) {
    if (typeof body.systemId !== 'string' || body.systemId.length === 0 || body.systemId.length > 16) {
      throw new HttpError(400, 'systemId must be the system_id of a sandbox account (a string of 1 to 16 characters)');
    }
    inject.systemId = body.systemId;
  }
  if (body.tlvs !== undefined) inject.tlvs = parseMoTlvs(body.tlvs);
  let waitMs = DEFAULT_MO_WAIT_MS;
  if (body.waitMs !== undefined) {
    const value = body.waitMs;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_MO_WAIT_MS) {
      throw new HttpError(
        400,
        `waitMs must be a whole number of milliseconds from 0 to ${MAX_MO_WAIT_MS}, got ${typeof value === 'number' ? value : describeType(value)}`,
      );
    }
    waitMs = value;
  }
  return { inject, waitMs };
}
