/** 3GPP TS 23.040 PDU codec for GSM modems in PDU mode (AT+CMGF=0). */
export { PduError } from './pdu-error';
export { pduHexToBuffer } from './octet-reader';
export { encodeAddress, encodeSmscAddress, TON_ALPHANUMERIC, TON_INTERNATIONAL, TON_NATIONAL, TON_UNKNOWN } from './address';
export type { PduAddress } from './address';
export { encodeSemiOctets, decodeSemiOctets, encodeTimestamp, decodeTimestamp } from './semi-octets';
export type { PduTimestamp } from './semi-octets';
export { decodeTpDcs, tpDcsFromSmppDataCoding, smppDataCodingFromTpDcs } from './tp-dcs';
export type { TpDcs, PduAlphabet } from './tp-dcs';
export { encodeUserData, decodeUserData, MAX_USER_DATA_OCTETS } from './user-data';
export { encodeRelativeValidity, relativeValiditySeconds } from './validity-period';
export { buildSmsSubmit, decodeSmsSubmit } from './sms-submit';
export type { SmsSubmitOptions, BuiltSubmit, SmsSubmit } from './sms-submit';
export { buildSmsDeliver, decodeSmsDeliver } from './sms-deliver';
export type { SmsDeliver, SmsDeliverOptions } from './sms-deliver';
export { buildSmsStatusReport, decodeSmsStatusReport, describeReportStatus, receiptStateOf, statusReportOutcome } from './sms-status-report';
export type { SmsStatusReport, StatusReportOptions, StatusReportOutcome } from './sms-status-report';
export { decodeModemPdu } from './decode-pdu';
export type { ModemPdu } from './decode-pdu';
