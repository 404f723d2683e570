/**
 * n8n-nodes-sms-gateway: the public core API, for use outside n8n (scripts, services, tests).
 * The n8n nodes and credentials are loaded by n8n from the `n8n` block of package.json.
 */
// `smpp` ships no types. Our declaration of it is a .ts file so that tsc emits it into dist/ and
// rewrites this reference to the emitted dist/src/types/smpp.d.ts: a consumer's compiler then finds
// it through this entry point, even with skipLibCheck false. preserve="true": TypeScript >= 5.5
// drops a reference from the emitted .d.ts otherwise.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module declaration cannot be imported
/// <reference path="./src/types/smpp.ts" preserve="true" />
export * from './src/transport/smpp';
// From its own file: the public API holds the modem itself, not the rest of the modem barrel.
export { GsmModem } from './src/transport/modem/gsm-modem';
export { acquireSmppTransport, closeAllSmppTransports } from './src/registry/smpp-registry';
export type { SmppConnectionConfig } from './src/registry/smpp-registry';
export { TpsThrottle } from './src/throttle/tps-throttle';
export { encodeMessage, estimateMessage, decodeMessage, EncodingError } from './src/encoding';
export type { EncodeOptions, EncodedMessage, MessageEstimate, DecodedMessage } from './src/encoding';
export { normalizePhoneNumber, parseSenderAddress, PhoneNumberError } from './src/phone';
export { prepareSms } from './src/gateway/prepare-message';
export { sendPrepared } from './src/gateway/send-sms';
export { SmsRequestError } from './src/gateway/message-request';
export type { SmsRequest, SmsResult } from './src/gateway/message-request';
export { runBroadcast } from './src/broadcast/broadcast-runner';
export { MemoryBroadcastJournal } from './src/broadcast/broadcast-journal';
export { RedisBroadcastJournal } from './src/broadcast/redis-broadcast-journal';
export { BroadcastStoppedError } from './src/broadcast/broadcast-stopped';
export { parseCapAlert, capAlertText } from './src/broadcast/cap-alert';
export { MemoryOptOutStore, RedisOptOutStore } from './src/optout/opt-out-store';
export { ReceiptTracker, receiptFromPdu } from './src/dlr/receipt-tracker';
export { parseReceiptText, formatReceiptText } from './src/transport/smpp/receipt-format/receipt-text';
export {
  OtpService,
  createMemoryOtpStore,
  createRedisOtpStore,
  enrolTotp,
  verifyTotp,
  TotpService,
  createMemoryTotpStore,
  createRedisTotpStore,
} from './src/otp';
export { SandboxSmsc } from './src/sandbox/sandbox-smsc';

/** Sends one SMS through a transport: validate, encode, submit every part. */
import { prepareSms } from './src/gateway/prepare-message';
import { sendPrepared } from './src/gateway/send-sms';
import type { PartSender } from './src/gateway/send-sms';
import type { SenderDefaults } from './src/gateway/prepare-message';
import type { SmsRequest, SmsResult } from './src/gateway/message-request';
export function sendSms(sender: PartSender, request: SmsRequest, defaults: SenderDefaults = {}): Promise<SmsResult> {
  return sendPrepared(sender, prepareSms(request, defaults));
}
