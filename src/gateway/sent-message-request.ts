/**
 * What query_sm, cancel_sm and replace_sm need from a caller's words: the source address the
 * message was sent from (as prepareSms chose it, so the carrier finds the message), the recipient
 * for carriers that want it on cancel_sm, and the new text of replace_sm in one part.
 */
import { encodeMessage, EncodingError } from '../encoding';
import type { EncodingChoice } from '../encoding';
import { normalizePhoneNumber, parseSenderAddress } from '../phone';
import type { Replacement, SmppAddress } from '../transport/smpp/sent/sent-message-control';
import { messageIdProblem } from '../transport/smpp/sent/sent-message-fields';
import { SmsRequestError } from './message-request';
import type { SenderDefaults } from './prepare-message';
import { smppAbsoluteTime, smppRelativeTime } from '../transport/smpp/pdu/smpp-time';

/** Checks every ID before any PDU goes out, so a list with one bad ID changes nothing at the carrier. */
export function checkSentMessageIds(messageIds: string[]): void {
  messageIds.forEach((id, index) => {
    const problem = messageIdProblem(id);
    if (problem) throw new SmsRequestError('messageIds', `Message IDs: ID ${index + 1} of ${messageIds.length} is not a valid SMPP message ID: ${problem}`);
  });
}

/** The source address Send SMS used for `from` (or the credential's default sender), TON/NPI included. */
export function sentMessageSource(from: string | undefined, defaults: SenderDefaults): SmppAddress {
  const sender = from?.trim() || defaults.from?.trim();
  if (!sender) throw new SmsRequestError('from', 'No sender: set "From" to the sender the message was sent from, or a default source address in the SMPP credential');
  const source = parseSenderAddress(sender, { defaultCountry: defaults.defaultCountry, field: 'from' });
  return { ton: defaults.sourceTonNpi?.ton ?? source.ton, npi: defaults.sourceTonNpi?.npi ?? source.npi, addr: source.address };
}

/** The recipient as Send SMS wrote it in destination_addr (international digits, TON 1, NPI 1). */
export function sentMessageDestination(to: string, defaults: SenderDefaults): SmppAddress {
  return { ton: 1, npi: 1, addr: normalizePhoneNumber(to, { defaultCountry: defaults.defaultCountry, field: 'to' }).digits };
}

export interface ReplacementRequest {
  text: string;
  /** The alphabet of the original message: replace_sm has no data_coding, so the carrier reads the new text in the original's. */
  encoding?: EncodingChoice;
  scheduleAt?: Date;
  validitySeconds?: number;
  requestReceipt?: boolean;
}

/** The replace_sm fields of a new text; the text must fit one part (replace_sm carries no UDH). */
export function prepareReplacement(request: ReplacementRequest): Replacement & { encoding: string } {
  let encoded;
  try {
    encoded = encodeMessage(request.text, { encoding: request.encoding ?? 'auto', concat: 'udh8', maxParts: 255 });
  } catch (err) {
    // The encoder calls the text "message"; here it is the operation's New Message (same class, same words).
    if (err instanceof EncodingError) throw new EncodingError('newMessage', err.problem, err.unsupportedCharacters);
    throw err;
  }
  const parts = encoded.parts;
  if (request.text === '') throw new SmsRequestError('newMessage', 'New Message is empty');
  if (parts.length > 1) {
    throw new SmsRequestError('newMessage', `replace_sm carries one SMS part, and the new text needs ${parts.length} (at most 160 GSM-7 or 70 UCS-2 characters): cancel the message and send a new one`);
  }
  if (request.scheduleAt && Number.isNaN(request.scheduleAt.getTime())) throw new SmsRequestError('scheduleAt', 'scheduled delivery time is not a valid date');
  return {
    shortMessage: parts[0].shortMessage,
    encoding: encoded.encoding,
    scheduleDeliveryTime: request.scheduleAt ? smppAbsoluteTime(request.scheduleAt) : '',
    validityPeriod: request.validitySeconds ? smppRelativeTime(request.validitySeconds) : '',
    registeredDelivery: request.requestReceipt ? 1 : 0,
  };
}
