/** encodeMessage and estimateMessage: the entry points for sending and for dry runs. */
import { EncodingError } from './encoding-error';
import { planMessage } from './message-plan';
import { resolveOptions } from './options';
import { buildParts } from './part-builder';
import type { EncodeOptions, EncodedMessage, MessageEstimate } from './types';

/**
 * Encodes and splits a text for submit_sm. Throws EncodingError for an empty text, characters
 * the forced encoding cannot carry, bad hex, bad options, or more parts than maxParts (with
 * 'payload' the parts counted are those the SMSC will send, so the limit still caps the cost).
 */
export function encodeMessage(text: string, options?: EncodeOptions): EncodedMessage {
  const resolved = resolveOptions(options);
  const plan = planMessage(text, resolved, 'encode');
  const partCount = plan.boundaries.length - 1;
  if (partCount > resolved.maxParts) {
    throw new EncodingError('message', `The message has ${partCount} parts; the limit is ${resolved.maxParts} (Max Parts)`);
  }
  const parts = buildParts(plan, resolved);
  const encoded: EncodedMessage = {
    encoding: plan.encoding,
    dataCoding: parts[0].dataCoding,
    parts,
    characters: plan.characters,
    septetsOrOctets: plan.encoding === 'ucs2' ? 2 * plan.source.length : plan.measured.offset[plan.measured.count],
  };
  if (plan.national) encoded.nationalLanguage = plan.national.language;
  return encoded;
}

/**
 * What sending the text would take, without sending. Never throws for characters the encoding
 * cannot carry (they are listed and counted as one character each) nor for exceeding maxParts;
 * throws for an empty text and bad options.
 */
export function estimateMessage(text: string, options?: EncodeOptions): MessageEstimate {
  const resolved = resolveOptions(options);
  const plan = planMessage(text, resolved, 'estimate');
  const parts = plan.boundaries.length - 1;
  const estimate: MessageEstimate = {
    encoding: plan.encoding,
    parts,
    charactersPerPart: parts > 1 ? plan.capacity.multi : plan.capacity.single,
    characters: plan.characters,
    unsupportedCharacters: plan.measured.unsupported,
  };
  if (plan.national) estimate.nationalLanguage = plan.national.language;
  return estimate;
}
