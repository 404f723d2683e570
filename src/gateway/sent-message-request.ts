/**
 * What query_sm, cancel_sm and replace_sm need from a caller's words: the source address the
 * message was sent from (as prepareSms chose it, so the carrier finds the message), the recipient
 * for carriers that want it on cancel_sm, and the new text of replace_sm in one part.
 */
import { describeCharacters, encodeMessage, EncodingError, inboundDataCoding } from '../encoding';
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
  if (!sender)
    throw new SmsRequestError('from', 'No sender: set "From" to the sender the message was sent from, or a default source address in the SMPP credential');
  const source = parseSenderAddress(sender, { defaultCountry: defaults.defaultCountry, field: 'from' });
  return { ton: defaults.sourceTonNpi?.ton ?? source.ton, npi: defaults.sourceTonNpi?.npi ?? source.npi, addr: source.address };
}

/** The recipient as Send SMS wrote it in destination_addr (international digits, TON 1, NPI 1). */
export function sentMessageDestination(to: string, defaults: SenderDefaults): SmppAddress {
  return { ton: 1, npi: 1, addr: normalizePhoneNumber(to, { defaultCountry: defaults.defaultCountry, field: 'to' }).digits };
}

export interface ReplacementRequest {
  text: string;
  /**
   * The alphabet the caller says the original was sent in ('auto': not said). replace_sm has no
   * data_coding, so the carrier reads the new text in the original's.
   */
  encoding?: EncodingChoice;
  /** The original's data_coding when it was recorded (see sentDataCodingOf); undefined: not known here. */
  originalDataCoding?: number;
  /** The original's message ID, for the errors. */
  messageId?: string;
  scheduleAt?: Date;
  validitySeconds?: number;
  requestReceipt?: boolean;
}

const ALPHABET_NAMES: Record<string, string> = { auto: 'Automatic', gsm7: 'GSM-7', ucs2: 'UCS-2', latin1: 'Latin-1', binary: 'binary' };

/** The alphabet a text replacing a message sent with `dataCoding` must be written in. */
function replaceableAlphabet(dataCoding: number, messageId: string): 'gsm7' | 'ucs2' | 'latin1' {
  const coding = inboundDataCoding(dataCoding);
  if (coding.alphabet === 'gsm7' || coding.alphabet === 'ucs2') return coding.alphabet;
  if (coding.alphabet === 'latin1' && coding.charset === 'iso-8859-1') return 'latin1';
  const hex = `0x${dataCoding.toString(16).padStart(2, '0')}`;
  throw new SmsRequestError(
    'messageIds',
    `Message ${messageId} was sent with data_coding ${hex} (${coding.charset ?? coding.alphabet}): replace_sm keeps it, and a text cannot be written in it; cancel the message and send a new one`,
  );
}

/**
 * Which alphabet the new text is written in: the original's when this process recorded it (an
 * Encoding that says otherwise is refused), else the Encoding the caller chose, else GSM-7 (the
 * SMSC default alphabet, the likeliest for a message sent by another process or before a restart).
 */
function replacementAlphabet(request: ReplacementRequest): { encoding: EncodingChoice; source: 'recorded' | 'asked' | 'assumed' } {
  const asked = request.encoding ?? 'auto';
  const id = request.messageId ?? 'the original';
  if (request.originalDataCoding === undefined) return asked === 'auto' ? { encoding: 'gsm7', source: 'assumed' } : { encoding: asked, source: 'asked' };
  const original = replaceableAlphabet(request.originalDataCoding, id);
  if (asked !== 'auto' && asked !== original) {
    throw new SmsRequestError(
      'encoding',
      `Encoding is ${ALPHABET_NAMES[asked]}, but message ${id} was sent in ${ALPHABET_NAMES[original]}: replace_sm has no data coding, so the carrier reads the new text in the original's alphabet; leave Encoding on Automatic or set it to ${ALPHABET_NAMES[original]}`,
    );
  }
  return { encoding: original, source: 'recorded' };
}

/** The replace_sm fields of a new text; the text must fit one part (replace_sm carries no UDH). */
export function prepareReplacement(request: ReplacementRequest): Replacement & { encoding: string } {
  const { encoding, source } = replacementAlphabet(request);
  let encoded;
  try {
    // No national shift tables: they need a UDH, which replace_sm cannot carry.
    encoded = encodeMessage(request.text, { encoding, concat: 'udh8', maxParts: 255, nationalLanguage: 'none' });
  } catch (err) {
    if (!(err instanceof EncodingError)) throw err;
    // The encoder calls the text "message"; here it is the operation's New Message (same class, same words).
    if (!err.unsupportedCharacters) throw new EncodingError('newMessage', err.problem);
    // The encoder's own advice (another Encoding) does not apply: the original's alphabet decides.
    const why = `it has ${describeCharacters(err.unsupportedCharacters)}, which ${ALPHABET_NAMES[encoding]} cannot carry`;
    if (source === 'recorded')
      throw new SmsRequestError(
        'newMessage',
        `New Message cannot be written in ${ALPHABET_NAMES[encoding]}, the alphabet the original was sent in (replace_sm keeps the original's data coding): ${why}. Cancel the message and send a new one`,
      );
    if (source === 'asked') throw new SmsRequestError('newMessage', `New Message cannot be written in ${ALPHABET_NAMES[encoding]} (Encoding, Options): ${why}`);
    throw new SmsRequestError(
      'newMessage',
      `New Message needs more than GSM-7, and the original's alphabet is not known to this n8n process (it was sent by another n8n process or before a restart, without State Store Redis): ${why}. If the original was sent in UCS-2, set Encoding (Options) to UCS-2; if in GSM-7, cancel it and send a new one`,
    );
  }
  const parts = encoded.parts;
  if (request.text === '') throw new SmsRequestError('newMessage', 'New Message is empty');
  if (parts.length > 1) {
    throw new SmsRequestError(
      'newMessage',
      `replace_sm carries one SMS part, and the new text needs ${parts.length} (at most 160 GSM-7 or 70 UCS-2 characters): cancel the message and send a new one`,
    );
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
