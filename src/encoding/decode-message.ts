/** Inbound user data (deliver_sm / data_sm) back to text, with concat and national shift info. */
import { InboundDataCoding, inboundDataCoding } from './data-coding';
import type { GsmTables } from './gsm-charset';
import { GSM_ESCAPE, nationalLanguageById } from './gsm-tables';
import { septetsToText } from './septets';
import { ParsedUdh, parseUdh } from './udh';
import type { DecodedMessage, InboundPayload } from './types';

const ESM_CLASS_UDHI = 0x40;
const EMPTY = new Uint8Array(0);

function decodeAscii(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : '\uFFFD';
  return text;
}

function decodeUcs2(bytes: Uint8Array): string {
  const even = bytes.length & ~1;
  const copy = Buffer.from(bytes.subarray(0, even)); // swap16 works in place: never touch the caller's buffer
  const text = copy.swap16().toString('utf16le');
  return even < bytes.length ? text + '\uFFFD' : text;
}

function decodeCharset(bytes: Uint8Array, charset: string): string {
  if (charset === 'iso-8859-1') return Buffer.from(bytes).toString('latin1');
  return new TextDecoder(charset).decode(bytes); // replaces undecodable bytes with U+FFFD
}

function gsmTablesOf(udh?: ParsedUdh): GsmTables {
  const tables: GsmTables = {};
  const locking = udh?.lockingShift === undefined ? undefined : nationalLanguageById(udh.lockingShift);
  const single = udh?.singleShift === undefined ? undefined : nationalLanguageById(udh.singleShift);
  if (locking) tables.lockingShift = locking;
  if (single) tables.singleShift = single;
  return tables;
}

/** Whether septets end in an escape that no septet follows (ESC ESC is a pair of its own). */
function endsInLoneEscape(septets: Uint8Array): boolean {
  let i = 0;
  while (i < septets.length) {
    if (septets[i] !== GSM_ESCAPE) i++;
    else if (i + 1 < septets.length) i += 2;
    else return true;
  }
  return false;
}

function decodeBody(body: Uint8Array, coding: InboundDataCoding, udh?: ParsedUdh): Pick<DecodedMessage, 'text' | 'encoding' | 'charset'> {
  switch (coding.alphabet) {
    case 'gsm7':
      return { text: septetsToText(body, gsmTablesOf(udh)), encoding: 'gsm7', charset: 'gsm-03.38' };
    case 'ascii':
      return { text: decodeAscii(body), encoding: 'ascii', charset: 'us-ascii' };
    case 'ucs2':
      return { text: decodeUcs2(body), encoding: 'ucs2', charset: 'utf-16be' };
    case 'latin1': {
      const charset = coding.charset ?? 'iso-8859-1';
      return { text: decodeCharset(body, charset), encoding: 'latin1', charset };
    }
    case 'binary':
      return { text: Buffer.from(body).toString('hex'), encoding: 'binary' };
  }
}

/**
 * Never throws: garbage gives a best-effort text (U+FFFD for undecodable bytes). The user data is
 * messagePayload when present and non-empty, else shortMessage. With UDHI set, a UDH whose
 * length runs past the data is treated as no UDH.
 */
export function decodeMessage(input: InboundPayload): DecodedMessage {
  try {
    const coding = inboundDataCoding(input.dataCoding);
    const payload = input.messagePayload && input.messagePayload.length > 0 ? input.messagePayload : undefined;
    let body: Uint8Array = payload ?? input.shortMessage ?? EMPTY;
    let udh: ParsedUdh | undefined;
    if ((input.esmClass & ESM_CLASS_UDHI) !== 0) {
      udh = parseUdh(body);
      if (udh) body = body.subarray(udh.length);
    }
    const decoded: DecodedMessage = decodeBody(body, coding, udh);
    if (coding.messageClass !== undefined) decoded.messageClass = coding.messageClass;
    if (udh?.concat) decoded.concat = udh.concat;
    else if (input.sar) {
      decoded.concat = { ref: input.sar.refNum, total: input.sar.totalSegments, seq: input.sar.seqNum, refBits: 0 };
    }
    // An escape split from its septet across parts: the reassembler joins them (part by part, each
    // part's text alone would lose the character).
    const concat = decoded.concat;
    if (coding.alphabet === 'gsm7' && concat && concat.total > 1) {
      if (concat.seq < concat.total && endsInLoneEscape(body)) decoded.endsInEscape = true;
      if (concat.seq > 1 && body.length > 0) decoded.textAfterEscape = septetsToText(Buffer.concat([Buffer.from([GSM_ESCAPE]), body]), gsmTablesOf(udh));
    }
    if (udh && (udh.lockingShift !== undefined || udh.singleShift !== undefined)) {
      decoded.nationalLanguage = {};
      if (udh.lockingShift !== undefined) decoded.nationalLanguage.lockingShift = udh.lockingShift;
      if (udh.singleShift !== undefined) decoded.nationalLanguage.singleShift = udh.singleShift;
    }
    return decoded;
  } catch {
    // Only reachable with inputs outside the declared types (e.g. a non-buffer short_message).
    return { text: '', encoding: 'binary' };
  }
}
