export { SmppTransport } from './smpp-transport';
export { SmppBindError, SmppSubmitError } from './types';
export type { BindMode, InboundHandler, InboundMessage, SendThrottle, SmppTransportOptions, SubmitRequest, SubmitResult, TransportMetrics, TransportState } from './types';
export { classifyStatus, describeStatus, statusName, Status } from './command-status';
export { blankMessagePdu } from './pdu/message-pdu';
export type { MessagePdu, SmppAddress } from './pdu/message-pdu';
