/**
 * Bounds of the C-Octet String fields query_sm, cancel_sm and replace_sm carry (SMPP 3.4 section
 * 4.8-4.10). A NUL or control character written into message_id ends the field early and the
 * rest is read as the next fields (another source, another destination): cancelling messages
 * nobody named. An over-long field makes a PDU the carrier drops the shared bind for. So every
 * string is checked before it is encoded.
 */

import { FieldError } from '../../../errors';

/** message_id is a C-Octet String of at most 65 octets with its NUL: 64 characters. */
export const MAX_MESSAGE_ID_OCTETS = 64;
/** source_addr / destination_addr: at most 21 octets with the NUL. */
export const MAX_ADDRESS_OCTETS = 20;
/** service_type: at most 6 octets with the NUL. */
export const MAX_SERVICE_TYPE_OCTETS = 5;

/** A field of a sent-message PDU that cannot be written as given. */
export class SentMessageFieldError extends FieldError {
  declare readonly field: 'messageId' | 'source' | 'destination' | 'serviceType';

  constructor(field: 'messageId' | 'source' | 'destination' | 'serviceType', problem: string) {
    super(field, problem);
    this.name = 'SentMessageFieldError';
  }
}

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

function shown(value: string): string {
  const cut = value.length > 24 ? `${value.slice(0, 24)}...` : value;
  return JSON.stringify(cut);
}

/** Why `id` cannot be a message_id (null when it can): printable ASCII, no spaces, 1-64 octets. */
export function messageIdProblem(id: string): string | null {
  if (id.length === 0) return 'a message ID is empty';
  if (Buffer.byteLength(id, 'utf8') > MAX_MESSAGE_ID_OCTETS)
    return `a message ID is ${Buffer.byteLength(id, 'utf8')} octets long (SMPP allows at most ${MAX_MESSAGE_ID_OCTETS}): ${shown(id)}`;
  if (!PRINTABLE_ASCII.test(id)) return `a message ID holds a NUL, control, space or non-ASCII character (SMPP message IDs are printable ASCII): ${shown(id)}`;
  return null;
}

/** Throws SentMessageFieldError when `id` cannot be written as message_id. */
export function checkMessageId(id: string): void {
  const problem = messageIdProblem(id);
  if (problem) throw new SentMessageFieldError('messageId', `Message IDs: ${problem}`);
}

/** Throws SentMessageFieldError when an address or service_type would not fit its field or holds a control character. */
export function checkCOctetField(field: 'source' | 'destination' | 'serviceType', value: string, maxOctets: number): void {
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new SentMessageFieldError(field, `${field} holds a NUL or control character: ${shown(value)}`);
  const octets = Buffer.byteLength(value, 'utf8');
  if (octets > maxOctets) throw new SentMessageFieldError(field, `${field} is ${octets} octets long (SMPP allows at most ${maxOctets}): ${shown(value)}`);
}
