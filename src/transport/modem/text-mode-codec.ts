/**
 * For modems that offer only text mode (AT+CMGF=1, TS 27.005 3/4): an SMS-SUBMIT we built becomes
 * AT+CSMP parameters, a destination and text in the TE character set; a stored message or report
 * shown as text-mode fields becomes the PDU the rest of the transport reads. Text mode carries no
 * user data header, so a concatenated part cannot be sent this way (a clear error says so), and
 * each part of a long incoming message arrives as a message of its own.
 */
import { decodeMessage, textToSeptets } from '../../encoding';
import { PduError, buildSmsDeliver, buildSmsStatusReport, decodeSmsSubmit, encodeRelativeValidity } from './pdu';
import type { BuiltSubmit } from './pdu';

/** Text-mode <stat> values, by their number (0 REC UNREAD .. 3 STO SENT). */
export const TEXT_STATUS = ['REC UNREAD', 'REC READ', 'STO UNSENT', 'STO SENT'];

export interface TextModeSubmit {
  /** AT+CSMP=<fo>,<vp>,<pid>,<dcs> */
  csmp: string;
  /** AT+CMGS="<da>",<toda> */
  command: string;
  /** The text after the prompt, in the TE character set. */
  text: string;
}

export function encodeTeText(text: string, charset: string): string {
  return charset === 'UCS2' ? Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase() : text;
}

export function decodeTeText(text: string, charset: string): string {
  return charset === 'UCS2' && /^([0-9A-Fa-f]{4})+$/.test(text) ? Buffer.from(text, 'hex').swap16().toString('utf16le') : text;
}

export function submitAsText(built: BuiltSubmit, charset: string): TextModeSubmit {
  const submit = decodeSmsSubmit(built.pdu);
  if (submit.udhi) {
    throw new PduError('this modem offers only text mode, which cannot send a part of a concatenated message: shorten the text to one SMS (160 GSM or 70 other characters)', 'text');
  }
  const alphabet = (submit.dcs & 0x0c) >> 2;
  if (alphabet === 1) throw new PduError('this modem offers only text mode, which cannot send 8-bit binary data', 'encoding');
  // With TP-DCS GSM-7, a text typed in "UCS2" is turned back into GSM-7 by the modem (TS 27.005 3.1).
  const text = decodeMessage({ dataCoding: alphabet === 2 ? 8 : 0, esmClass: 0, shortMessage: submit.userData }).text;
  const fo = 0x01 | (submit.statusReport ? 0x20 : 0) | (submit.validitySeconds !== undefined ? 0x10 : 0);
  const vp = submit.validitySeconds !== undefined ? encodeRelativeValidity(submit.validitySeconds) : 167;
  const address = submit.destination.address;
  return {
    csmp: `${fo},${vp},${submit.protocolId},${submit.dcs}`,
    command: `AT+CMGS="${address}",${address.startsWith('+') ? 145 : 129}`,
    text: encodeTeText(text, charset),
  };
}

/** "26/12/02,10:30:00+04" (quarters of an hour) as an instant and its offset. */
function parseScts(value: string): { date: Date; utcOffsetMinutes: number } {
  const m = /^(\d{2})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})([+-]\d{1,2})?/.exec(value);
  if (!m) return { date: new Date(), utcOffsetMinutes: 0 };
  const offset = Number(m[7] ?? 0) * 15;
  const local = Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return { date: new Date(local - offset * 60_000), utcOffsetMinutes: offset };
}

function splitFields(text: string): string[] {
  return (text.match(/"[^"]*"|[^,]+|(?<=,)(?=,|$)|^(?=,)/g) ?? []).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

export interface TextModeEntry {
  /** <stat> as a number (0 unread .. 3 sent). */
  status: number;
  /** The entry as a PDU with SMSC field, hex, as PDU mode would have shown it. */
  pduHex: string;
}

/**
 * A text-mode entry: `fields` after "+CMGL: <index>," or "+CMGR: ", and the text line that
 * follows a message (none for a status report). Undefined for what it cannot read.
 */
export function textEntryToPdu(fields: string, textLine: string | undefined, charset: string): TextModeEntry | undefined {
  const [stat, second, ...rest] = splitFields(fields);
  const status = TEXT_STATUS.indexOf(stat.toUpperCase());
  if (status < 0) return undefined;
  if (/^\d+$/.test(second ?? '')) {
    // Status report: <fo>,<mr>,<ra>,<tora>,<scts>,<dt>,<st>
    const [mr, ra, tora, scts, dt, st] = rest;
    const recipient = Number(tora) === 145 && !ra.startsWith('+') ? `+${ra}` : ra;
    const pdu = buildSmsStatusReport({ messageReference: Number(mr), recipient, status: Number(st), submittedAt: parseScts(scts).date, dischargedAt: parseScts(dt).date });
    return { status, pduHex: pdu.toString('hex').toUpperCase() };
  }
  if (textLine === undefined) return undefined;
  // Message: <oa>,[<alpha>],<scts>
  const sent = parseScts(rest[1] ?? '');
  const text = decodeTeText(textLine, charset);
  let dcs = 0;
  let userData: Buffer;
  try {
    userData = Buffer.from(textToSeptets(text));
  } catch {
    dcs = 8;
    userData = Buffer.from(text, 'utf16le').swap16();
  }
  const alphanumeric = !/^\+?\d+$/.test(second);
  const pdu = buildSmsDeliver({ from: second, fromTon: alphanumeric ? 5 : undefined, dcs, userData, udhi: false, sentAt: sent.date, utcOffsetMinutes: sent.utcOffsetMinutes });
  return { status, pduHex: pdu.toString('hex').toUpperCase() };
}
