/**
 * The header of a text-mode entry (TS 27.005 3.4.2 / 3.4.3, with AT+CSDH=1 or without), after
 * "+CMGR: " or "+CMGL: <index>,":
 *   received:  <stat>,<oa>,[<alpha>],<scts>[,<tooa>,<fo>,<pid>,<dcs>,<sca>,<tosca>,<length>]  (+CMGR)
 *              <stat>,<oa>,[<alpha>],<scts>[,<tooa>,<length>]                                 (+CMGL)
 *   stored:    <stat>,<da>,[<alpha>][,<toda>,<fo>,<pid>,<dcs>,[<vp>],<sca>,<tosca>,<length>]
 *   report:    <stat>,<fo>,<mr>,[<ra>],[<tora>],<scts>,<dt>,<st>
 * and how long the body after it is, when it must be read by its length (see sms-format.ts).
 */
import { decodeTpDcs } from './pdu';
import { isHexCharset } from './sms-format';

const STATUS = ['REC UNREAD', 'REC READ', 'STO UNSENT', 'STO SENT'];

export interface TextHeader {
  kind: 'deliver' | 'submit' | 'report';
  /** 0 REC UNREAD .. 3 STO SENT. */
  status: number;
  /** <oa>, <da> or <ra>, as shown (in the TE character set). */
  address: string;
  /** <tooa>/<toda>/<tora>, when shown. */
  toa?: number;
  fo?: number;
  pid?: number;
  dcs?: number;
  /** The body's length: characters for GSM-7 text, octets for hex data. */
  length?: number;
  sentAt: { date: Date; utcOffsetMinutes: number };
  /** Status reports: <mr>, <dt>, <st>. */
  messageReference?: number;
  dischargedAt?: { date: Date; utcOffsetMinutes: number };
  reportStatus?: number;
}

/** Splits at commas outside quotes; quotes removed. */
function splitFields(text: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      fields.push(current.trim());
      current = '';
    } else current += char;
  }
  fields.push(current.trim());
  return fields;
}

/** "26/12/02,10:30:00+04" (quarters of an hour) as an instant and its offset. */
export function parseScts(value: string | undefined): { date: Date; utcOffsetMinutes: number } {
  const m = /^(\d{2})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})([+-]\d{1,2})?/.exec(value ?? '');
  if (!m) return { date: new Date(), utcOffsetMinutes: 0 };
  const offset = Number(m[7] ?? 0) * 15;
  const local = Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return { date: new Date(local - offset * 60_000), utcOffsetMinutes: offset };
}

const num = (value: string | undefined): number | undefined => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined);

export function parseTextHeader(text: string): TextHeader | undefined {
  // The time stamp "yy/MM/dd,hh:mm:ss+zz" is quoted, so its comma stays inside one field.
  const fields = splitFields(text);
  const status = STATUS.indexOf((fields[0] ?? '').toUpperCase());
  if (status < 0) return undefined;
  // A report has a bare number (<fo>) after the status; a message a quoted address.
  if (/^"[^"]*"\s*,\s*\d+\s*,/.test(text.trim()) && fields.length >= 8) {
    const [, fo, mr, ra, tora, scts, dt, st] = fields;
    return {
      kind: 'report',
      status,
      address: ra,
      toa: num(tora),
      fo: num(fo),
      messageReference: num(mr),
      sentAt: parseScts(scts),
      dischargedAt: parseScts(dt),
      reportStatus: num(st),
    };
  }
  const address = fields[1] ?? '';
  if (status > 1) {
    // Stored drafts: only the body's length matters (to read past it).
    const full = fields.length >= 11;
    return {
      kind: 'submit',
      status,
      address,
      toa: num(fields[3]),
      fo: full ? num(fields[4]) : undefined,
      dcs: full ? num(fields[6]) : undefined,
      length: num(fields[fields.length - 1]),
      sentAt: parseScts(undefined),
    };
  }
  const header: TextHeader = { kind: 'deliver', status, address, sentAt: parseScts(fields[3]), toa: num(fields[4]) };
  if (fields.length >= 11) Object.assign(header, { fo: num(fields[5]), pid: num(fields[6]), dcs: num(fields[7]), length: num(fields[10]) });
  else if (fields.length >= 6) header.length = num(fields[5]);
  return header;
}

/**
 * The number of characters to read as the body after this header line, when the body is text
 * in GSM or IRA (which can say anything); undefined when the body is a hex line (hex character
 * sets, 8-bit/UCS2 data, a user data header) or there is none (a status report).
 */
export function textBodyLength(line: string, prefix: '+CMGR:' | '+CMGL:', charset: string): number | undefined {
  if (!line.startsWith(prefix) || isHexCharset(charset)) return undefined;
  let fields = line.slice(prefix.length).trim();
  if (prefix === '+CMGL:') fields = fields.replace(/^\d+\s*,/, '');
  const header = parseTextHeader(fields);
  if (!header || header.kind === 'report' || header.length === undefined || header.dcs === undefined) return undefined;
  if (((header.fo ?? 0) & 0x40) !== 0 || decodeTpDcs(header.dcs).alphabet !== 'gsm7') return undefined;
  return header.length;
}
