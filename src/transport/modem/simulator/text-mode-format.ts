/**
 * Text mode (AT+CMGF=1, TS 27.005 3.1 and 4): stored PDUs shown as header fields and text, and a
 * typed text turned into user data. Text is written in the TE character set (+CSCS): "UCS2"
 * as hex of UTF-16, otherwise as plain characters.
 */
import { decodeMessage } from '../../../encoding';
import { deliverToMessagePdu } from '../inbound-pdu';
import { decodeModemPdu } from '../pdu';
import { TEXT_STATUS, decodeTeText as decodeCodecText, encodeTeText } from '../text-mode-codec';
import type { PduAddress, PduTimestamp } from '../pdu';

export { TEXT_STATUS, encodeTeText };

const two = (n: number): string => String(n).padStart(2, '0');

/** "yy/MM/dd,hh:mm:ss±zz" in the sender's local time (zz in quarters of an hour). */
export function formatScts(time: PduTimestamp): string {
  const local = new Date(time.date.getTime() + time.utcOffsetMinutes * 60_000);
  const quarters = Math.round(time.utcOffsetMinutes / 15);
  const date = `${two(local.getUTCFullYear() % 100)}/${two(local.getUTCMonth() + 1)}/${two(local.getUTCDate())}`;
  return `${date},${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}${quarters < 0 ? '-' : '+'}${two(Math.abs(quarters))}`;
}

const toa = (address: PduAddress): number => 0x80 | (address.ton << 4) | address.npi;

/** The text typed after the prompt; throws on hex that is not UCS2 (the modem answers +CMS ERROR 305). */
export function decodeTeText(input: string, charset: string): string {
  const clean = charset === 'UCS2' ? input.replace(/\s/g, '') : input;
  if (charset === 'UCS2' && !/^([0-9A-Fa-f]{4})*$/.test(clean)) throw new Error('not UCS2 hex');
  return decodeCodecText(clean, charset);
}

/**
 * A stored message as text mode shows it: the header fields after "+CMGL: <index>," or
 * "+CMGR: ", and the text line (none for a status report).
 */
export function textModeEntry(pduHex: string, status: number, charset: string): { fields: string; text?: string } {
  const stat = `"${TEXT_STATUS[status]}"`;
  const pdu = decodeModemPdu(pduHex);
  if (pdu.type === 'statusReport') {
    const fields = [stat, 6, pdu.messageReference, `"${pdu.recipient.address}"`, toa(pdu.recipient), `"${formatScts(pdu.serviceCentreTime)}"`, `"${formatScts(pdu.dischargeTime)}"`, pdu.status];
    return { fields: fields.join(',') };
  }
  if (pdu.type === 'submit') {
    const smpp = { dataCoding: pdu.dcs === 8 ? 8 : 0, esmClass: pdu.udhi ? 0x40 : 0, shortMessage: pdu.userData };
    return { fields: `${stat},"${pdu.destination.address}",`, text: encodeTeText(decodeMessage(smpp).text, charset) };
  }
  const message = deliverToMessagePdu(pdu);
  const decoded = decodeMessage({ dataCoding: message.dataCoding, esmClass: message.esmClass, shortMessage: message.shortMessage });
  return { fields: `${stat},"${pdu.originator.address}",,"${formatScts(pdu.serviceCentreTime)}"`, text: encodeTeText(decoded.text, charset) };
}
