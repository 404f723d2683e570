import { encodeMessage } from '../encoding';
import type { EncodedMessage } from '../encoding';
import { normalizePhoneNumber, parseSenderAddress } from '../phone';
import type { NormalizedNumber, SenderAddress } from '../phone';
import { blankMessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../transport/smpp/pdu/message-pdu';
import type { SmsRequest } from './message-request';
import { SmsRequestError } from './message-request';
import { smppAbsoluteTime, smppRelativeTime } from '../transport/smpp/pdu/smpp-time';
import { mergeTlvs } from '../tlv/custom-tlv';
import type { EncodedTlv } from '../tlv/custom-tlv';

/** SMPP 3.4 section 5.2.11: service_type is a C-Octet String of at most 6 octets, NUL included. */
const MAX_SERVICE_TYPE_CHARACTERS = 5;

/** Checks service_type before anything is sent, so the error names the field instead of failing at the wire. */
function checkServiceType(serviceType: string): void {
  // eslint-disable-next-line no-control-regex -- the characters a C-Octet String of Latin-1 cannot carry
  const bad = /[^\u0001-\u00ff]/.exec(serviceType);
  if (bad)
    throw new SmsRequestError(
      'serviceType',
      `service_type "${serviceType}" contains ${bad[0] === '\u0000' ? 'a NUL character' : `"${bad[0]}"`}; it is a short ASCII word such as CMT or WAP`,
    );
  if (serviceType.length > MAX_SERVICE_TYPE_CHARACTERS) {
    throw new SmsRequestError(
      'serviceType',
      `service_type "${serviceType}" is ${serviceType.length} characters; SMPP 3.4 allows ${MAX_SERVICE_TYPE_CHARACTERS} (6 octets with the closing NUL)`,
    );
  }
}

export interface PreparedSms {
  destination: NormalizedNumber;
  source: SenderAddress;
  encoded: EncodedMessage;
  /** One submit_sm per part, ready for the transport. */
  pdus: MessagePdu[];
}

export interface SenderDefaults {
  from?: string;
  defaultCountry?: string;
  /** Overrides the TON/NPI chosen from the sender's format (some carriers insist on their own). */
  sourceTonNpi?: { ton: number; npi: number };
  /** Custom TLVs of the credential, sent with every submit. */
  tlvs?: EncodedTlv[];
}

/**
 * Validates and encodes a request; throws a FieldError naming the field (a PhoneNumberError for
 * `to` or `from`, an EncodingError for the text, an SmsRequestError for the rest). Sends nothing.
 */
export function prepareSms(request: SmsRequest, defaults: SenderDefaults = {}, encodedCache?: Map<string, EncodedMessage>): PreparedSms {
  const country = request.defaultCountry || defaults.defaultCountry;
  const destination: NormalizedNumber = normalizePhoneNumber(request.to, { defaultCountry: country, mobileOnly: request.mobileOnly, field: 'to' });
  const from = request.from?.trim() || defaults.from?.trim();
  if (!from) throw new SmsRequestError('from', 'No sender: set "From" or a default source address in the SMPP credential');
  const source: SenderAddress = parseSenderAddress(from, { defaultCountry: country, field: 'from' });
  const messageClass = request.flash ? 0 : request.messageClass;
  const cacheKey = encodedCache ? `${request.encoding}|${request.concat}|${request.maxParts}|${messageClass}|${request.transliterate}|${request.text}` : '';
  const cached = encodedCache?.get(cacheKey);
  // The same alert text for 100,000 recipients is encoded once; a new concat reference per
  // recipient is not needed because references only need to differ per destination.
  const encoded: EncodedMessage =
    cached ??
    encodeMessage(request.text, {
      encoding: request.encoding,
      concat: request.concat,
      maxParts: request.maxParts,
      messageClass,
      transliterate: request.transliterate,
    });
  if (encodedCache && !cached && encodedCache.size < 1000) encodedCache.set(cacheKey, encoded);
  if (request.priority !== undefined && !(Number.isInteger(request.priority) && request.priority >= 0 && request.priority <= 3)) {
    throw new SmsRequestError('priority', `priority must be 0, 1, 2 or 3 (got ${request.priority})`);
  }
  let validity = '';
  let schedule = '';
  try {
    if (request.validitySeconds) validity = smppRelativeTime(request.validitySeconds);
  } catch (err) {
    throw new SmsRequestError('validityPeriod', `validity period: ${(err as Error).message}`);
  }
  if (request.scheduleAt) {
    if (Number.isNaN(request.scheduleAt.getTime())) throw new SmsRequestError('scheduleAt', 'scheduled delivery time is not a valid date');
    schedule = smppAbsoluteTime(request.scheduleAt);
  }
  const serviceType = request.serviceType ?? '';
  if (serviceType) checkServiceType(serviceType);
  // One array for every part: each part of a long message carries the same custom TLVs.
  const custom = mergeTlvs(defaults.tlvs, request.tlvs);
  const pdus = encoded.parts.map((part) => {
    const pdu = blankMessagePdu();
    pdu.serviceType = serviceType;
    pdu.source = { ton: defaults.sourceTonNpi?.ton ?? source.ton, npi: defaults.sourceTonNpi?.npi ?? source.npi, addr: source.address };
    pdu.destination = { ton: 1, npi: 1, addr: destination.digits };
    pdu.esmClass = part.udhi ? 0x40 : 0;
    pdu.priorityFlag = request.priority ?? 0;
    pdu.scheduleDeliveryTime = schedule;
    pdu.validityPeriod = validity;
    pdu.registeredDelivery = request.requestReceipt ? 1 : 0;
    pdu.dataCoding = part.dataCoding;
    pdu.shortMessage = part.shortMessage;
    pdu.tlvs = part.sar || part.messagePayload ? { sar: part.sar, messagePayload: part.messagePayload } : {};
    if (custom) pdu.tlvs.other = custom;
    return pdu;
  });
  return { destination, source, encoded, pdus };
}
