export { SmppTransport } from './smpp-transport';
export { SmppBindError, SmppSubmitError } from './types';
export type {
  BindMode,
  InboundHandler,
  InboundMessage,
  SendThrottle,
  SmppTransportOptions,
  SubmitRequest,
  SubmitResult,
  TransportMetrics,
  TransportState,
} from './types';
export { classifyStatus, describeStatus, statusName, Status } from './command-status';
export { blankMessagePdu } from './pdu/message-pdu';
export type { MessagePdu, SmppAddress } from './pdu/message-pdu';
// Used by nodes/ and credentials/.
export { SmppBindPool } from './bind-pool';
export { RECEIPT_STATUSES } from './receipt-format/receipt-status';
export type { ReceiptStatus } from './receipt-format/receipt-status';
export {
  MESSAGE_STATE_MEANING,
  SentMessageAnswerError,
  SentMessageControl,
  SentMessageFieldError,
  SentMessageRefusedError,
  SentMessageUnsupportedError,
} from './sent';
export type { SentCoding } from './sent';
export type { SentMessageState } from './sent';
export type { ServerAccount } from './server/bind-authenticator';
export { asksForReceipt, clientReceiptRequest } from './server/client-receipt';
export type { ClientReceiptOutcome } from './server/client-receipt';
export type { SmppServerOptions } from './server/smpp-server';
