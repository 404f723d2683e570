import { FieldError } from '../errors';
import { fixedTlvSize, formatTag, GATEWAY_OWNED_TAGS, tlvName } from './tlv-tags';

/**
 * Custom TLVs (SMPP optional parameters) a carrier or regulator asks for in every submit_sm:
 * India's DLT entity and template ids (0x1400, 0x1401), billing or campaign ids, and so on.
 * A TLV is given as the carrier's documents give it (tag in hex, a value type, a value) and
 * encoded here once; the PDU encoder then copies the octets as they are into every part.
 */

/** How the value is written into octets. SMPP integers are unsigned, big-endian. */
export const TLV_VALUE_TYPES = ['string', 'cstring', 'hex', 'int8', 'int16', 'int32'] as const;
export type TlvValueType = (typeof TLV_VALUE_TYPES)[number];

/** Labels as the node panel shows them, for error messages. */
export const TLV_TYPE_LABELS: Record<TlvValueType, string> = {
  string: 'String',
  cstring: 'String, NUL-Terminated',
  hex: 'Hex Octets',
  int8: 'Integer, 1 Octet',
  int16: 'Integer, 2 Octets',
  int32: 'Integer, 4 Octets',
};

/** A custom TLV as a user writes it (a row of the "Custom TLVs" list). */
export interface CustomTlvSpec {
  /** Hex (`0x1400`, `1400`); a number (from an expression) is the tag's value itself (5120 = 0x1400). */
  tag: unknown;
  type: unknown;
  value: unknown;
}

/** A TLV ready for the wire. */
export interface EncodedTlv {
  tag: number;
  value: Buffer;
}

/** The TLV length field is 2 octets. */
export const MAX_TLV_VALUE_OCTETS = 0xffff;

/** A bad custom TLV; `position` is 1-based in its list, the message names it and the problem. */
export class CustomTlvError extends FieldError {
  constructor(
    problem: string,
    readonly position: number,
    readonly part: 'tag' | 'type' | 'value',
  ) {
    super('customTlvs', problem);
    this.name = 'CustomTlvError';
  }
}

const INT_MAX: Record<'int8' | 'int16' | 'int32', number> = { int8: 0xff, int16: 0xffff, int32: 0xffffffff };
const INT_SIZE: Record<'int8' | 'int16' | 'int32', number> = { int8: 1, int16: 2, int32: 4 };

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function parseTag(raw: unknown, fail: (part: 'tag', message: string) => never): number {
  let tag: number;
  if (typeof raw === 'number') {
    tag = raw;
  } else {
    const text = raw === undefined || raw === null ? '' : String(raw).trim();
    if (text === '') fail('tag', 'tag is empty (write it in hex, e.g. 0x1400)');
    if (!/^(0x)?[0-9a-f]{1,4}$/i.test(text)) fail('tag', `tag "${shown(text)}" is not a hex number of at most 4 digits (e.g. 0x1400)`);
    tag = parseInt(text.replace(/^0x/i, ''), 16);
  }
  if (!Number.isInteger(tag) || tag < 0x0001 || tag > 0xffff) fail('tag', `tag ${shown(raw)} is outside 0x0001-0xFFFF (two octets, 0x0000 is not a tag)`);
  const owner = GATEWAY_OWNED_TAGS.get(tag);
  if (owner) fail('tag', `tag ${formatTag(tag)} (${tlvName(tag)}) is set by the gateway for ${owner}; it cannot be a custom TLV`);
  return tag;
}

function parseInteger(raw: unknown, type: 'int8' | 'int16' | 'int32', fail: (part: 'value', message: string) => never): Buffer {
  const text = typeof raw === 'number' ? String(raw) : String(raw ?? '').trim();
  let value: number;
  if (/^[0-9]+$/.test(text)) value = Number(text);
  else if (/^0x[0-9a-f]+$/i.test(text)) value = parseInt(text.slice(2), 16);
  else fail('value', `value "${shown(raw)}" is not a whole number of 0 or more (decimal, or hex with 0x)`);
  if (!(value <= INT_MAX[type])) fail('value', `value ${text} does not fit ${TLV_TYPE_LABELS[type]} (0 to ${INT_MAX[type]})`);
  const buf = Buffer.alloc(INT_SIZE[type]);
  buf.writeUIntBE(value, 0, INT_SIZE[type]);
  return buf;
}

function parseHex(raw: unknown, fail: (part: 'value', message: string) => never): Buffer {
  const text = String(raw ?? '')
    .replace(/\s+/g, '')
    .replace(/^0x/i, '');
  if (!/^[0-9a-f]*$/i.test(text)) fail('value', `value "${shown(raw)}" is not hex octets (digits 0-9 and a-f, e.g. 01 a2 ff)`);
  if (text.length % 2 !== 0) fail('value', `value "${shown(raw)}" has an odd number of hex digits; each octet takes two`);
  return Buffer.from(text, 'hex');
}

function parseString(raw: unknown, terminated: boolean, fail: (part: 'value', message: string) => never): Buffer {
  const text = String(raw ?? '');
  if (text === '') fail('value', 'value is empty (to send a TLV without a value, choose the type Hex Octets and leave the value empty)');
  // TLV strings are octets: Latin-1 keeps one octet per character, and a character beyond it
  // would need an encoding the carrier's document does not name. Binary values go as Hex Octets.
  // eslint-disable-next-line no-control-regex -- NUL is exactly what a string TLV cannot hold
  const bad = /[\u0000\u0100-\uffff]/.exec(text);
  if (bad) {
    const what = bad[0] === '\u0000' ? 'a NUL character' : `"${bad[0]}", which is not a Latin-1 character`;
    fail('value', `value contains ${what} at position ${bad.index + 1}; use Hex Octets for other bytes`);
  }
  const octets = Buffer.from(text, 'latin1');
  return terminated ? Buffer.concat([octets, Buffer.alloc(1)]) : octets;
}

/** Checks and encodes one custom TLV; `position` (1-based) and `label` name it in errors. */
export function encodeCustomTlv(spec: CustomTlvSpec, position: number, label = 'custom TLV'): EncodedTlv {
  const failer =
    (tagSoFar?: number) =>
    (part: 'tag' | 'type' | 'value', message: string): never => {
      const which = tagSoFar === undefined ? `${label} ${position}` : `${label} ${position} (tag ${formatTag(tagSoFar)})`;
      throw new CustomTlvError(`${which.charAt(0).toUpperCase()}${which.slice(1)}: ${message}`, position, part);
    };
  const tag = parseTag(spec.tag, failer());
  const fail = failer(tag);
  const type = String(spec.type ?? '') as TlvValueType;
  if (!TLV_VALUE_TYPES.includes(type)) fail('type', `type "${shown(spec.type)}" is not one of ${TLV_VALUE_TYPES.join(', ')}`);
  let value: Buffer;
  if (type === 'int8' || type === 'int16' || type === 'int32') value = parseInteger(spec.value, type, fail);
  else if (type === 'hex') value = parseHex(spec.value, fail);
  else value = parseString(spec.value, type === 'cstring', fail);
  if (value.length > MAX_TLV_VALUE_OCTETS) fail('value', `value is ${value.length} octets; a TLV holds at most ${MAX_TLV_VALUE_OCTETS}`);
  const size = fixedTlvSize(tag);
  if (size !== undefined && value.length !== size) {
    fail(
      'value',
      `${tlvName(tag)} is ${size} octet${size === 1 ? '' : 's'} in SMPP, this value is ${value.length}; choose ${TLV_TYPE_LABELS[`int${size * 8}` as TlvValueType]}`,
    );
  }
  return { tag, value };
}

/** Checks and encodes a list of custom TLVs; a tag may appear once. Throws CustomTlvError naming the row. */
export function encodeCustomTlvs(specs: readonly CustomTlvSpec[], label = 'custom TLV'): EncodedTlv[] {
  const seen = new Map<number, number>();
  return specs.map((spec, i) => {
    const tlv = encodeCustomTlv(spec, i + 1, label);
    const first = seen.get(tlv.tag);
    if (first !== undefined) {
      throw new CustomTlvError(
        `${label.charAt(0).toUpperCase()}${label.slice(1)} ${i + 1}: tag ${formatTag(tlv.tag)} is already set by ${label} ${first}; each tag may appear once`,
        i + 1,
        'tag',
      );
    }
    seen.set(tlv.tag, i + 1);
    return tlv;
  });
}

/**
 * The rows of a "Custom TLVs" list as n8n hands them (`{ tlv: [{ tag, type, value }] }`), checked
 * and encoded; undefined when there are none. A problem comes back as a value, for callers that
 * turn it into their own error without a try/catch.
 */
export function readCustomTlvRows(collection: unknown): { tlvs?: EncodedTlv[]; problem?: string } {
  const rows = (collection as { tlv?: unknown } | undefined | null)?.tlv;
  if (rows === undefined || rows === null) return {};
  if (!Array.isArray(rows)) return { problem: 'Custom TLVs must be a list of rows with Tag, Type and Value' };
  try {
    const tlvs = encodeCustomTlvs(
      rows.map((row: Record<string, unknown> | null): CustomTlvSpec => ({ tag: row?.tag, type: row?.type ?? 'string', value: row?.value })),
    );
    return tlvs.length > 0 ? { tlvs } : {};
  } catch (err) {
    if (err instanceof CustomTlvError) return { problem: err.message };
    throw err;
  }
}

/**
 * The TLVs one message carries: the credential's, with the message's own replacing any of the
 * same tag (a template id per message beside the entity id every message needs). Order: the
 * credential's first, then the message's new tags.
 */
export function mergeTlvs(fromCredential: readonly EncodedTlv[] | undefined, fromMessage: readonly EncodedTlv[] | undefined): EncodedTlv[] | undefined {
  if (!fromMessage?.length) return fromCredential?.length ? [...fromCredential] : undefined;
  if (!fromCredential?.length) return [...fromMessage];
  const own = new Map(fromMessage.map((t) => [t.tag, t]));
  const merged = fromCredential.map((t) => own.get(t.tag) ?? t);
  for (const t of fromMessage) if (!fromCredential.some((c) => c.tag === t.tag)) merged.push(t);
  return merged;
}
