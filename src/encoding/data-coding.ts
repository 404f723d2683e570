/**
 * data_coding values. Outbound choice (SMPP 3.4 5.2.19 + 3GPP TS 23.038 4):
 *   gsm7 0x00, ucs2 0x08, latin1 0x03, binary 0x04 without a message class;
 *   with a class: gsm7 0xF0|class, binary 0xF4|class (the "data coding/message class" group every
 *   SMSC knows, flash = 0xF0), ucs2 0x18|class (general group, UCS-2 with class; the F group has
 *   no UCS-2). Latin-1 has no class-bearing value: asking for one is an error.
 */
import { EncodingError } from './encoding-error';
import type { MessageEncoding } from './types';

export function outboundDataCoding(encoding: MessageEncoding, messageClass?: number): number {
  if (messageClass === undefined) {
    return { gsm7: 0x00, ucs2: 0x08, latin1: 0x03, binary: 0x04 }[encoding];
  }
  switch (encoding) {
    case 'gsm7':
      return 0xf0 | messageClass;
    case 'binary':
      return 0xf4 | messageClass;
    case 'ucs2':
      return 0x18 | messageClass;
    case 'latin1':
      throw new EncodingError(
        'messageClass',
        `messageClass ${messageClass} cannot be sent with encoding 'latin1' (no data_coding carries both); use 'gsm7', 'ucs2' or 'auto'`,
      );
  }
}

export type InboundAlphabet = 'gsm7' | 'ascii' | 'latin1' | 'ucs2' | 'binary';

export interface InboundDataCoding {
  alphabet: InboundAlphabet;
  /** For 'latin1' (8-bit text): the TextDecoder label of the character set. */
  charset?: string;
  messageClass?: number;
  /** Compressed user data (23.038 bit 5) cannot be read; it is returned as binary. */
  compressed?: boolean;
}

/** SMPP-specific values 0x00-0x0F (SMPP 3.4 table 5-5). */
const SMPP_CODINGS: ReadonlyArray<InboundDataCoding> = [
  { alphabet: 'gsm7' }, // 0x00 SMSC default alphabet
  { alphabet: 'ascii' }, // 0x01 IA5
  { alphabet: 'binary' }, // 0x02 octet unspecified
  { alphabet: 'latin1', charset: 'iso-8859-1' }, // 0x03
  { alphabet: 'binary' }, // 0x04 octet unspecified
  { alphabet: 'latin1', charset: 'shift_jis' }, // 0x05 JIS (best effort)
  { alphabet: 'latin1', charset: 'iso-8859-5' }, // 0x06 Cyrillic
  { alphabet: 'latin1', charset: 'iso-8859-8' }, // 0x07 Latin/Hebrew
  { alphabet: 'ucs2' }, // 0x08
  { alphabet: 'binary' }, // 0x09 pictogram
  { alphabet: 'latin1', charset: 'iso-2022-jp' }, // 0x0A ISO-2022-JP (music codes)
  { alphabet: 'binary' }, // 0x0B reserved
  { alphabet: 'binary' }, // 0x0C reserved
  { alphabet: 'binary' }, // 0x0D extended Kanji JIS X 0212
  { alphabet: 'latin1', charset: 'euc-kr' }, // 0x0E KS C 5601
  { alphabet: 'binary' }, // 0x0F reserved
];

const GROUP_ALPHABETS: readonly InboundAlphabet[] = ['gsm7', 'binary', 'ucs2', 'gsm7' /* reserved: read as GSM */];

/** How to read inbound user data with this data_coding (never throws). */
export function inboundDataCoding(dataCoding: number): InboundDataCoding {
  const dc = dataCoding & 0xff;
  if (dc < 0x10) return SMPP_CODINGS[dc];
  if (dc < 0x80) {
    // 00xx / 01xx groups (01 = marked for automatic deletion): bit 5 compressed, bit 4 class present.
    const result: InboundDataCoding = { alphabet: GROUP_ALPHABETS[(dc >> 2) & 3] };
    if (dc & 0x10) result.messageClass = dc & 0x03;
    if (dc & 0x20) return { ...result, alphabet: 'binary', compressed: true };
    return result;
  }
  if (dc < 0xc0) return { alphabet: 'gsm7' }; // reserved groups: 23.038 says assume GSM 7-bit
  if (dc < 0xe0) return { alphabet: 'gsm7' }; // message waiting indication, discard / store
  if (dc < 0xf0) return { alphabet: 'ucs2' }; // message waiting indication, store, UCS-2
  return { alphabet: dc & 0x04 ? 'binary' : 'gsm7', messageClass: dc & 0x03 };
}
