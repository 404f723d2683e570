/** GSM modem transport: AT channel, 3GPP TS 23.040 PDU codec, GsmModem, credential test. */
export { GsmModem } from './gsm-modem';
export type {
  GsmModemOptions,
  GsmModemEvents,
  ModemState,
  ModemInboundMessage,
  ModemInboundDetails,
  ModemInboundHandler,
  ModemPartHolder,
  ModemTextMessage,
  ModemTextHandler,
  ModemSendRequest,
  ModemSendResult,
  ModemStorageSlot,
  SignalQuality,
  Registration,
  RegistrationStatus,
  OperatorInfo,
} from './types';
export { ModemInitError } from './modem-init-error';
export type { ModemInitErrorCode } from './modem-init-error';
export { ModemOpenError, describeOpenError } from './serial-link';
export type { ModemOpenErrorCode } from './serial-link';
export { AtCommandError, AtTimeoutError, AtLinkClosedError, CME_ERRORS, CMS_ERRORS, parseErrorLine } from './at/at-errors';
export { AtChannel } from './at/at-channel';
export type { ByteLink } from './at/byte-link';
export type { UnsolicitedEvent } from './at/unsolicited';
export { modemOptionsFromCredential, testModemConnection } from './credential-test';
export type { ModemTestResult } from './credential-test';
export { submitOptionsFromSmpp } from './submit-from-smpp';
export { deliverToMessagePdu, statusReportToMessagePdu, receiptFromStatusReport } from './inbound-pdu';
