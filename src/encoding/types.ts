/** Public types of the encoding module (see index.ts for the functions). */

export type EncodingChoice = 'auto' | 'gsm7' | 'ucs2' | 'latin1' | 'binary';
export type MessageEncoding = 'gsm7' | 'ucs2' | 'latin1' | 'binary';
/**
 * How a long message is split: 8-bit or 16-bit reference in a UDH, SAR TLVs (the SMSC builds the
 * UDH), or one PDU carrying the whole message in message_payload (the SMSC splits it).
 */
export type ConcatMethod = 'udh8' | 'udh16' | 'sar' | 'payload';
/** 3GPP TS 23.038 national language tables we implement. */
export type NationalLanguage = 'tr' | 'es' | 'pt';
export type NationalLanguageOption = 'none' | 'auto' | NationalLanguage;

export interface EncodeOptions {
  /** Default 'auto': GSM-7 when every character fits, else UCS-2. */
  encoding?: EncodingChoice;
  /** Default 'udh8'. */
  concat?: ConcatMethod;
  /** Default 10; at most 255 (the part count is one octet in UDH and SAR). */
  maxParts?: number;
  /** Default false; only with 'gsm7'/'auto': replace look-alikes (curly quotes, dashes, ...). */
  transliterate?: boolean;
  /**
   * Default 'auto': use a national shift table only when it needs fewer parts than UCS-2 (and
   * only with udh8/udh16, where we own the UDH). 'tr'/'es'/'pt': use that language's tables
   * whenever the text needs them to fit GSM-7, with any concat method. 'none': default tables only.
   */
  nationalLanguage?: NationalLanguageOption;
  /** 0 = flash. Carried in data_coding (see data-coding.ts). */
  messageClass?: 0 | 1 | 2 | 3;
  /** Concatenation reference (random if omitted); 0-255 for udh8, 0-65535 otherwise. */
  reference?: number;
}

export interface SarInfo {
  refNum: number;
  totalSegments: number;
  seqNum: number;
}

export interface MessagePart {
  /** Bytes for submit_sm.short_message INCLUDING the UDH when udhi; empty when messagePayload is used. */
  shortMessage: Buffer;
  /** Set only for concat 'payload'. */
  messagePayload?: Buffer;
  /** The caller ORs esm_class with 0x40 when true. */
  udhi: boolean;
  dataCoding: number;
  sar?: SarInfo;
  /** The slice of the original text carried by this part (for 'binary': the hex digits). */
  text: string;
}

export interface EncodedMessage {
  encoding: MessageEncoding;
  dataCoding: number;
  parts: MessagePart[];
  /** Unicode code points of the text (octets for 'binary'). */
  characters: number;
  /** Septets for gsm7 (an escaped character counts two), octets otherwise; without UDH. */
  septetsOrOctets: number;
  nationalLanguage?: NationalLanguage;
}

export interface MessageEstimate {
  encoding: MessageEncoding;
  /** Billed SMS count (for 'payload': the parts the SMSC will send, split like 'udh8'). */
  parts: number;
  /** Capacity of one part in characters of the chosen encoding (septets, UCS-2 units, octets). */
  charactersPerPart: number;
  characters: number;
  /** Characters the (forced) encoding cannot carry, each listed once; empty when it can send. */
  unsupportedCharacters: string[];
  nationalLanguage?: NationalLanguage;
}

export interface InboundPayload {
  dataCoding: number;
  esmClass: number;
  shortMessage: Buffer;
  messagePayload?: Buffer;
  sar?: SarInfo;
}

export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
  /** 8 or 16 for a UDH reference, 0 for SAR TLVs. */
  refBits: 8 | 16 | 0;
}

export interface DecodedMessage {
  text: string;
  /**
   * How the bytes were read: 'gsm7' septets, 'ascii' (IA5), 'ucs2', 'latin1' = 8-bit text (the
   * exact character set is in `charset`), 'binary' = 8-bit data (text is lowercase hex).
   */
  encoding: MessageEncoding | 'ascii';
  /** Character set used to read the text, e.g. 'gsm-03.38', 'iso-8859-1', 'utf-16be', 'shift_jis'. */
  charset?: string;
  messageClass?: number;
  concat?: ConcatInfo;
  /** National language tables announced in the UDH (GSM-7 only). */
  nationalLanguage?: { lockingShift?: number; singleShift?: number };
  /**
   * GSM-7 part of several: its septets end in an escape whose character is the next part's first
   * (a sender split ESC + septet across parts); `text` leaves the escape out.
   */
  endsInEscape?: true;
  /** GSM-7 part 2 or later: its text when the part before ended in an escape. */
  textAfterEscape?: string;
}
