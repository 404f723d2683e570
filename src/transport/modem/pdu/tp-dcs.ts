/**
 * TP-DCS (3GPP TS 23.038 section 4) and its mapping to/from SMPP data_coding.
 *
 * The two agree from 0x10 up (general, auto-deletion, message waiting and 0xF0 groups) but not
 * below: SMPP gives 0x01-0x0F its own meanings (IA5, Latin-1, JIS, ...) while for TP-DCS they are
 * GSM-7 / 8-bit / UCS-2 with reserved class bits. A modem can only send what TP-DCS can say.
 */
import { PduError } from './pdu-error';

export type PduAlphabet = 'gsm7' | '8bit' | 'ucs2';

export interface TpDcs {
  alphabet: PduAlphabet;
  /** 0 = flash (shown at once), 1 = ME, 2 = SIM, 3 = TE; absent when the DCS sets no class. */
  messageClass?: number;
  /** Compressed user data (TS 23.042): we cannot read it and treat it as 8-bit data. */
  compressed?: boolean;
}

const GROUP_ALPHABETS: readonly PduAlphabet[] = ['gsm7', '8bit', 'ucs2', 'gsm7' /* reserved: read as GSM-7 */];

/** How to read user data with this TP-DCS; never throws (reserved values read as GSM-7). */
export function decodeTpDcs(dcs: number): TpDcs {
  const value = dcs & 0xff;
  if (value < 0x80) {
    const result: TpDcs = { alphabet: GROUP_ALPHABETS[(value >> 2) & 3] };
    if (value & 0x10) result.messageClass = value & 0x03;
    if (value & 0x20) return { ...result, alphabet: '8bit', compressed: true };
    return result;
  }
  if (value < 0xe0) return { alphabet: 'gsm7' }; // reserved groups and message waiting (GSM-7)
  if (value < 0xf0) return { alphabet: 'ucs2' }; // message waiting, store, UCS-2
  return { alphabet: value & 0x04 ? '8bit' : 'gsm7', messageClass: value & 0x03 };
}

const SMPP_NAMES: Record<number, string> = {
  0x01: 'IA5 (ASCII)',
  0x03: 'Latin-1',
  0x05: 'JIS',
  0x06: 'Cyrillic',
  0x07: 'Latin/Hebrew',
  0x09: 'pictogram',
  0x0a: 'ISO-2022-JP',
  0x0d: 'extended Kanji',
  0x0e: 'KS C 5601',
};

/** TP-DCS for an outbound SMPP data_coding; PduError (field 'dataCoding') when a modem cannot send it. */
export function tpDcsFromSmppDataCoding(dataCoding: number): number {
  const value = dataCoding & 0xff;
  if (value === 0x00 || value === 0x08) return value;
  if (value === 0x02 || value === 0x04) return 0x04;
  if (value >= 0x10) return value;
  const name = SMPP_NAMES[value] ?? 'reserved';
  throw new PduError(
    `data_coding 0x${value.toString(16).padStart(2, '0')} (${name}) cannot be sent through a GSM modem; use GSM-7 or UCS-2 (encoding 'auto', 'gsm7' or 'ucs2')`,
    'dataCoding',
  );
}

/** SMPP data_coding that makes src/encoding read inbound user data the way this TP-DCS says. */
export function smppDataCodingFromTpDcs(dcs: number): number {
  const value = dcs & 0xff;
  if (value >= 0x10) return value;
  return { gsm7: 0x00, '8bit': 0x04, ucs2: 0x08 }[decodeTpDcs(value).alphabet];
}
