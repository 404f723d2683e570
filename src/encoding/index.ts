/** GSM 03.38 / UCS-2 encoding, segmentation and decoding of SMS user data. */
export * from './types';
export { EncodingError, describeCharacters } from './encoding-error';
export { encodeMessage, estimateMessage } from './encode-message';
export { decodeMessage } from './decode-message';
export { textToSeptets, septetsToText } from './septets';
export { packSeptets, unpackSeptets, gsmFillBits } from './septet-packing';
export type { GsmTables } from './gsm-charset';
export { NATIONAL_LANGUAGE_IDS, nationalLanguageById } from './gsm-tables';
export {
  buildUdh,
  parseUdh,
  concatElement,
  nationalShiftElements,
  IEI_CONCAT_8BIT,
  IEI_CONCAT_16BIT,
  IEI_NATIONAL_SINGLE_SHIFT,
  IEI_NATIONAL_LOCKING_SHIFT,
} from './udh';
export type { UdhElement, ParsedUdh } from './udh';
export { outboundDataCoding, inboundDataCoding } from './data-coding';
export type { InboundDataCoding } from './data-coding';
