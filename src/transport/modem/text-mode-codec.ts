/**
 * For modems that offer only text mode (AT+CMGF=1, TS 27.005 3/4): an SMS-SUBMIT we built becomes
 * AT+CSMP parameters, a destination and text in the TE character set (te-charset.ts); a stored
 * message or report shown as text-mode fields becomes the PDU the rest of the transport reads.
 * Text mode shows GSM-7 texts in the TE character set, but 8-bit and UCS2 data, and any part
 * with a user data header (a part of a long message), as hex of its octets (TS 27.005 3.1
 * <data>): so parts of a long message are joined as in PDU mode. Sending a part with a header is
 * not possible in text mode (a clear error says so).
 */
import { decodeMessage } from '../../encoding';
import { PduError, buildSmsDeliver, buildSmsStatusReport, decodeSmsSubmit, decodeTpDcs, decodeUserData, encodeRelativeValidity } from './pdu';
import type { BuiltSubmit } from './pdu';
import { decodeTe, decodeTeAddress, encodeTe, hexOf, hexToOctets } from './te-charset';
import { parseTextHeader } from './text-mode-header';

export { parseTextHeader, textBodyLength } from './text-mode-header';
export type { TextHeader } from './text-mode-header';

/** Text-mode <stat> values, by their number (0 REC UNREAD .. 3 STO SENT). */
export const TEXT_STATUS = ['REC UNREAD', 'REC READ', 'STO UNSENT', 'STO SENT'];

export interface TextModeSubmit {
  /** AT+CSMP=<fo>,<vp>,<pid>,<dcs> */
  csmp: string;
  /** AT+CMGS="<da>",<toda> */
  command: string;
  /** The text after the prompt: in the TE character set, or hex for 8-bit/UCS2 data. */
  text: string;
}

/** UCS2 characters in one SMS. */
const UCS2_SINGLE = 70;

/** The TP-DCS with the same class, for UCS2 (TS 23.038 4: general group bits 3-2 = 10). */
function ucs2DcsFor(dcs: number): number {
  if ((dcs & 0xc0) === 0) return (dcs & ~0x0c & 0xff) | 0x08;
  if (dcs >= 0xf0) return 0x18 | (dcs & 0x03);
  return 0x08;
}

export function submitAsText(built: BuiltSubmit, charset: string): TextModeSubmit {
  const submit = decodeSmsSubmit(built.pdu);
  if (submit.udhi) {
    throw new PduError(
      'this modem offers only text mode, which cannot send a part of a concatenated message: shorten the text to one SMS (160 GSM or 70 other characters)',
      'text',
    );
  }
  let dcs = submit.dcs;
  let text: string;
  if (decodeTpDcs(dcs).alphabet === 'gsm7') {
    // GSM-7 is typed in the TE character set (the modem turns it back into GSM-7, TS 27.005 3.1) ...
    const plain = decodeMessage({ dataCoding: 0, esmClass: 0, shortMessage: submit.userData }).text;
    try {
      text = encodeTe(plain, charset);
    } catch (err) {
      // ... unless a character cannot be typed there (Esc, Ctrl-Z, a line break): then as UCS2, which is hex.
      if (!(err instanceof PduError) || plain.length > UCS2_SINGLE) throw err;
      dcs = ucs2DcsFor(dcs);
      text = hexOf(Buffer.from(plain, 'utf16le').swap16());
    }
  } else {
    // ... 8-bit and UCS2 data are typed as hex of their octets whatever the character set.
    text = hexOf(submit.userData);
  }
  const fo = 0x01 | (submit.statusReport ? 0x20 : 0) | (submit.validitySeconds !== undefined ? 0x10 : 0);
  const vp = submit.validitySeconds !== undefined ? encodeRelativeValidity(submit.validitySeconds) : 167;
  const address = submit.destination.address;
  return {
    csmp: `${fo},${vp},${submit.protocolId},${dcs}`,
    command: `AT+CMGS="${encodeTe(address, charset, 'to')}",${address.startsWith('+') ? 145 : 129}`,
    text,
  };
}

export interface TextModeEntry {
  /** <stat> as a number (0 unread .. 3 sent). */
  status: number;
  /** The entry as a PDU with SMSC field, hex, as PDU mode would have shown it ('' for our own stored drafts). */
  pduHex: string;
}

/** SMPP-style user data of a text-mode body (see pdu/user-data.ts), and the TP-DCS to go with it. */
function userDataOf(body: string, charset: string, dcs: number | undefined, udhi: boolean, length: number | undefined): { dcs: number; userData: Buffer } {
  const alphabet = dcs === undefined ? undefined : decodeTpDcs(dcs).alphabet;
  if (udhi || (alphabet !== undefined && alphabet !== 'gsm7')) {
    const octets = hexToOctets(body);
    if (alphabet === 'gsm7') return { dcs: dcs as number, userData: decodeUserData(length ?? Math.floor((octets.length * 8) / 7), octets, 'gsm7', true) };
    return { dcs: dcs ?? 8, userData: octets };
  }
  const text = decodeTe(body, charset);
  const septets = decodeMessageSeptets(text);
  if (septets) return { dcs: dcs ?? 0, userData: septets };
  return { dcs: 8, userData: Buffer.from(text, 'utf16le').swap16() };
}

/** GSM-7 septets of a text (one per octet), or undefined when it has characters GSM-7 lacks. */
function decodeMessageSeptets(text: string): Buffer | undefined {
  try {
    return Buffer.from(encodeTe(text, 'HEX'), 'hex');
  } catch {
    return undefined;
  }
}

/**
 * A text-mode entry: `fields` after "+CMGL: <index>," or "+CMGR: ", and the body that follows a
 * message (none for a status report). Undefined for what it cannot read.
 */
export function textEntryToPdu(fields: string, body: string | undefined, charset: string): TextModeEntry | undefined {
  const header = parseTextHeader(fields);
  if (!header) return undefined;
  if (header.kind === 'submit') return { status: header.status, pduHex: '' };
  const numeric = header.toa === undefined ? undefined : ((header.toa >> 4) & 7) !== 5;
  const address = decodeTeAddress(header.address, charset, numeric);
  try {
    if (header.kind === 'report') {
      const recipient = header.toa === 145 && !address.startsWith('+') ? `+${address}` : address;
      const pdu = buildSmsStatusReport({
        messageReference: header.messageReference ?? 0,
        recipient,
        status: header.reportStatus ?? 0,
        submittedAt: header.sentAt.date,
        dischargedAt: (header.dischargedAt ?? header.sentAt).date,
      });
      return { status: header.status, pduHex: hexOf(pdu) };
    }
    const udhi = ((header.fo ?? 0) & 0x40) !== 0;
    const { dcs, userData } = userDataOf(body ?? '', charset, header.dcs, udhi, header.length);
    const alphanumeric = numeric === undefined ? !/^\+?\d+$/.test(address) : !numeric;
    const from = numeric && header.toa === 145 && !address.startsWith('+') ? `+${address}` : address;
    const pdu = buildSmsDeliver({
      from,
      fromTon: alphanumeric ? 5 : undefined,
      dcs,
      userData,
      udhi,
      protocolId: header.pid,
      sentAt: header.sentAt.date,
      utcOffsetMinutes: header.sentAt.utcOffsetMinutes,
    });
    return { status: header.status, pduHex: hexOf(pdu) };
  } catch {
    return undefined;
  }
}
