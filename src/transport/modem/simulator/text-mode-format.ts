/**
 * Text mode (AT+CMGF=1, TS 27.005 3.1 and 4) as a modem shows it: stored PDUs as header fields
 * (more of them with AT+CSDH=1) and a body, addresses and GSM-7 texts in the TE character set
 * (+CSCS: "UCS2" and "HEX" as hex, "GSM" as GSM 7-bit codes, "IRA" as ASCII), 8-bit and UCS2
 * data and any part with a user data header as hex of its octets. And what is typed after the
 * prompt, read back the same way.
 */
import { decodeMessage } from '../../../encoding';
import { deliverToMessagePdu } from '../inbound-pdu';
import { decodeModemPdu, decodeTpDcs, encodeUserData } from '../pdu';
import type { PduAddress, PduTimestamp } from '../pdu';
import { decodeTe, decodeTeAddress, encodeTe, hexOf } from '../te-charset';
import { TEXT_STATUS } from '../text-mode-codec';

export { TEXT_STATUS };

const two = (n: number): string => String(n).padStart(2, '0');

/** "yy/MM/dd,hh:mm:ss±zz" in the sender's local time (zz in quarters of an hour). */
export function formatScts(time: PduTimestamp): string {
  const local = new Date(time.date.getTime() + time.utcOffsetMinutes * 60_000);
  const quarters = Math.round(time.utcOffsetMinutes / 15);
  const date = `${two(local.getUTCFullYear() % 100)}/${two(local.getUTCMonth() + 1)}/${two(local.getUTCDate())}`;
  return `${date},${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}${quarters < 0 ? '-' : '+'}${two(Math.abs(quarters))}`;
}

const toa = (address: PduAddress): number => 0x80 | (address.ton << 4) | address.npi;

/** A GSM-7 text as the modem shows it in the TE character set; IRA shows what ASCII lacks as '?'. */
function showText(text: string, charset: string): string {
  if (charset === 'IRA') return text.replace(/[^\x20-\x7e\r\n]/g, '?');
  if (charset === 'GSM') return Buffer.from(encodeTe(text, 'HEX'), 'hex').toString('latin1'); // every GSM code, control ones too
  return encodeTe(text, charset);
}

/** An address in the TE character set, as real modems show <oa>/<da>/<ra> (TS 27.005 3.1). */
export function showAddress(address: string, charset: string): string {
  return charset === 'UCS2' || charset === 'HEX' ? encodeTe(address, charset) : address;
}

/** The body and its <length>: GSM-7 text in the TE character set, anything else as hex of its TP-UD. */
function showBody(userData: Buffer, dcs: number, udhi: boolean, charset: string): { body: string; length: number } {
  const alphabet = decodeTpDcs(dcs).alphabet;
  if (udhi || alphabet !== 'gsm7') {
    const encoded = encodeUserData(userData, alphabet, udhi);
    return { body: hexOf(encoded.data), length: encoded.length };
  }
  const body = showText(decodeMessage({ dataCoding: 0, esmClass: 0, shortMessage: userData }).text, charset);
  return { body, length: charset === 'UCS2' || charset === 'HEX' ? userData.length : body.length };
}

export interface TextModeView {
  /** After "+CMGL: <index>," or "+CMGR: ". */
  fields: string;
  /** The body line(s); none for a status report. */
  text?: string;
}

/** A stored entry as text mode shows it; `listing` for +CMGL (fewer header fields with AT+CSDH=1). */
export function textModeEntry(pduHex: string, status: number, charset: string, csdh = 0, listing = false): TextModeView {
  const stat = `"${TEXT_STATUS[status]}"`;
  const pdu = decodeModemPdu(pduHex);
  if (pdu.type === 'statusReport') {
    const fields = [
      stat,
      6,
      pdu.messageReference,
      `"${showAddress(pdu.recipient.address, charset)}"`,
      toa(pdu.recipient),
      `"${formatScts(pdu.serviceCentreTime)}"`,
      `"${formatScts(pdu.dischargeTime)}"`,
      pdu.status,
    ];
    return { fields: fields.join(',') };
  }
  const smsc = pdu.smsc ? `"${showAddress(pdu.smsc.address, charset)}",${toa(pdu.smsc)}` : '"",129';
  if (pdu.type === 'submit') {
    const { body, length } = showBody(pdu.userData, pdu.dcs, pdu.udhi, charset);
    const da = `"${showAddress(pdu.destination.address, charset)}"`;
    const fo = 0x01 | (pdu.udhi ? 0x40 : 0);
    const extra = !csdh
      ? ''
      : listing
        ? `,,${toa(pdu.destination)},${length}`
        : `,${toa(pdu.destination)},${fo},${pdu.protocolId},${pdu.dcs},,${smsc},${length}`;
    return { fields: `${stat},${da},${extra}`, text: body };
  }
  const message = deliverToMessagePdu(pdu);
  const { body, length } = showBody(message.shortMessage, pdu.dcs, pdu.udhi, charset);
  const head = `${stat},"${showAddress(pdu.originator.address, charset)}",,"${formatScts(pdu.serviceCentreTime)}"`;
  if (!csdh) return { fields: head, text: body };
  const fo = 0x04 | (pdu.udhi ? 0x40 : 0) | (pdu.statusReportIndication ? 0x20 : 0);
  const extra = listing ? `,${toa(pdu.originator)},${length}` : `,${toa(pdu.originator)},${fo},${pdu.protocolId},${pdu.dcs},${smsc},${length}`;
  return { fields: `${head}${extra}`, text: body };
}

/** A destination typed in AT+CMGS="<da>": in the TE character set (a plain number is refused in UCS2, as modems do). */
export function readTypedAddress(value: string, charset: string): string | undefined {
  if (charset !== 'UCS2' && charset !== 'HEX') return value;
  const decoded = decodeTeAddress(value, charset, true);
  return decoded === value ? undefined : decoded;
}

/** The text typed after the prompt: GSM-7 text in the TE character set; hex octets for 8-bit/UCS2 data. Throws when it is neither. */
export function readTypedText(input: string, charset: string, dcs: number): { text?: string; octets?: Buffer } {
  const clean = charset === 'UCS2' || charset === 'HEX' || decodeTpDcs(dcs).alphabet !== 'gsm7' ? input.replace(/\s/g, '') : input;
  if (decodeTpDcs(dcs).alphabet !== 'gsm7') {
    if (!/^([0-9A-Fa-f]{2})*$/.test(clean)) throw new Error('8-bit / UCS2 data must be typed as hex');
    return { octets: Buffer.from(clean, 'hex') };
  }
  return { text: decodeTe(clean, charset) };
}
