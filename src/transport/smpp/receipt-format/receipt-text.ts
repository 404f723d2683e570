/**
 * The de-facto delivery receipt text of SMPP 3.4 Appendix B:
 * `id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...`
 * Carriers vary (case, missing fields, ids in hex or decimal), so parsing is tolerant.
 */

import type { ReceiptStatus } from './receipt-status';
import { statusByMeaning, statusOfMessageState } from './receipt-status';

export type { ReceiptStatus } from './receipt-status';
export { MESSAGE_STATE } from './receipt-status';

export interface ReceiptFields {
  id: string;
  sub?: string;
  dlvrd?: string;
  submitDate?: Date;
  doneDate?: Date;
  /** As written (upper-case); read it by meaning with statusByMeaning. */
  stat: ReceiptStatus | string;
  err?: string;
  /** The first characters of the message, echoed by the carrier: never put it in any output. */
  text?: string;
}

export function messageStateName(state: number): ReceiptStatus {
  return statusOfMessageState(state) ?? 'UNKNOWN';
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** YYMMDDhhmm in UTC. */
export function formatReceiptDate(date: Date): string {
  return pad2(date.getUTCFullYear() % 100) + pad2(date.getUTCMonth() + 1) + pad2(date.getUTCDate()) + pad2(date.getUTCHours()) + pad2(date.getUTCMinutes());
}

function parseReceiptDate(value: string | undefined): Date | undefined {
  if (!value || !/^\d{10}(\d{2})?$/.test(value)) return undefined;
  const n = (i: number): number => Number(value.slice(i, i + 2));
  const date = new Date(Date.UTC(2000 + n(0), n(2) - 1, n(4), n(6), n(8), value.length === 12 ? n(10) : 0));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function formatReceiptText(fields: ReceiptFields): string {
  const submit = formatReceiptDate(fields.submitDate ?? new Date());
  const done = formatReceiptDate(fields.doneDate ?? new Date());
  return `id:${fields.id} sub:${fields.sub ?? '001'} dlvrd:${fields.dlvrd ?? (fields.stat === 'DELIVRD' ? '001' : '000')} submit date:${submit} done date:${done} stat:${fields.stat} err:${fields.err ?? '000'} text:${(fields.text ?? '').slice(0, 20)}`;
}

// A label starts a field only where no letter precedes it ("paid:" holds no "id:").
const FIELD = /(?<![a-z])(id|sub|dlvrd|submit date|done date|stat|err|text):/gi;

/**
 * A field's value is its first word: what follows it up to the next label is not the carrier's
 * (carriers that leave out `text:` put the message echo straight after stat or err).
 */
function firstWord(value: string): string {
  return value.trim().split(/\s+/, 1)[0] ?? '';
}

/** stat: one word, or two when only together they are a known state ("EN ROUTE"). */
function statWord(value: string): string {
  const [first = '', second] = value.trim().split(/\s+/, 2);
  if (statusByMeaning(first) === null && second !== undefined && statusByMeaning(first + second) !== null) return `${first} ${second}`;
  return first;
}

/**
 * Parses a receipt text; returns null when it does not look like one (no id or no stat). Nothing
 * after `text:` is read as a field: it is the echo of the message (an OTP code, say), so an
 * `err:` or `id:` inside it must not become the receipt's.
 */
export function parseReceiptText(text: string): ReceiptFields | null {
  const marks: Array<{ key: string; start: number; valueStart: number }> = [];
  for (const m of text.matchAll(FIELD)) {
    const key = m[1].toLowerCase();
    marks.push({ key, start: m.index ?? 0, valueStart: (m.index ?? 0) + m[0].length });
    if (key === 'text') break;
  }
  const values = new Map<string, string>();
  marks.forEach((mark, i) => {
    const end = i + 1 < marks.length ? marks[i + 1].start : text.length;
    const raw = text.slice(mark.valueStart, end);
    if (values.has(mark.key)) return;
    if (mark.key === 'text') values.set('text', text.slice(mark.valueStart));
    else if (mark.key === 'stat') values.set('stat', statWord(raw));
    else values.set(mark.key, firstWord(raw));
  });
  const id = values.get('id');
  const stat = values.get('stat');
  if (!id || !stat) return null;
  return {
    id,
    sub: values.get('sub'),
    dlvrd: values.get('dlvrd'),
    submitDate: parseReceiptDate(values.get('submit date')),
    doneDate: parseReceiptDate(values.get('done date')),
    stat: stat.toUpperCase(),
    err: values.get('err') || undefined,
    text: values.get('text'),
  };
}

/**
 * Whether a text reads as a receipt (Appendix B): starts with `id:` and has `stat:` and another
 * receipt field before any `text:`. For carriers that send receipts with esm_class 0: read as a
 * message, such a receipt would put its echo into workflow data.
 */
export function looksLikeReceiptText(text: string): boolean {
  if (!/^\s*id:\S/i.test(text)) return false;
  const head = text.split(/(?<![a-z])text:/i, 1)[0];
  return /(?<![a-z])stat:/i.test(head) && /(?<![a-z])(sub|dlvrd|done date|submit date|err):/i.test(head);
}

/**
 * Canonical form of a message id for matching a receipt to a submit: carriers write the id in hex
 * in one PDU and in decimal in the other (a common Kannel/Jasmin complaint). Returns every form
 * the id could stand for, lower-case, without leading zeros.
 */
export function messageIdKeys(id: string): string[] {
  const trimmed = id.trim().toLowerCase();
  const keys = new Set<string>([trimmed.replace(/^0+(?=.)/, '')]);
  if (/^[0-9]+$/.test(trimmed) && trimmed.length <= 20) {
    keys.add(BigInt(trimmed).toString(16)); // decimal written, hex meant elsewhere
  }
  if (/^[0-9a-f]+$/.test(trimmed) && trimmed.length <= 16) {
    keys.add(BigInt(`0x${trimmed}`).toString(10)); // hex written, decimal meant elsewhere
  }
  return [...keys];
}
