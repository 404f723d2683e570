/** What other layers use of src/gateway/: nodes/ and credentials/ import it only through this file. */
export { FailoverPartSender } from './failover-part-sender';
export { MODEM_SENDER, sendByModem, sendWithFailover } from './failover';
export type { FailoverRoutes, RoutedSmsResult, SmsRoute } from './failover';
export { failureFields, settledFailure } from './failure-class';
export type { FailureClass } from './failure-class';
export { mapLimit } from './map-limit';
export { SmsRequestError } from './message-request';
export type { SmsRequest } from './message-request';
export { prepareSms } from './prepare-message';
export type { PreparedSms, SenderDefaults } from './prepare-message';
export { sendPrepared } from './send-sms';
export type { PartSender } from './send-sms';
export { SenderBudgets, SenderTpsLimit, SenderTpsError, parseSenderTps } from './sender-tps';
export { checkSentMessageIds, prepareReplacement, sentMessageDestination, sentMessageSource } from './sent-message-request';
