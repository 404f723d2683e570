/** Turns a MessagePlan into submit_sm parts: UDH (concat / national shift), SAR, or message_payload. */
import { outboundDataCoding } from './data-coding';
import type { MessagePlan } from './message-plan';
import { ResolvedOptions, randomReference } from './options';
import { UdhElement, buildUdh, concatElement, nationalShiftElements } from './udh';
import type { MessagePart } from './types';

const EMPTY = Buffer.alloc(0);

/** Bytes of units [from, to) written after `header` (SMPP GSM-7: one septet per octet, unpacked). */
function encodeUnits(plan: MessagePlan, from: number, to: number, header?: Buffer): Buffer {
  const { measured, source } = plan;
  const headerLength = header ? header.length : 0;
  const bodyStart = measured.offset[from];
  const bodyLength = plan.encoding === 'ucs2' ? 2 * (measured.offset[to] - bodyStart) : measured.offset[to] - bodyStart;
  const out = Buffer.allocUnsafe(headerLength + bodyLength);
  if (header) header.copy(out, 0);
  switch (plan.encoding) {
    case 'gsm7': {
      const septets = plan.septets ?? [];
      for (let k = 0; k < bodyLength; k++) out[headerLength + k] = septets[bodyStart + k];
      break;
    }
    case 'binary':
      (plan.bytes ?? EMPTY).copy(out, headerLength, bodyStart, bodyStart + bodyLength);
      break;
    case 'latin1':
      out.write(source.slice(measured.sourceStart[from], measured.sourceStart[to]), headerLength, 'latin1');
      break;
    case 'ucs2':
      out.write(source.slice(measured.sourceStart[from], measured.sourceStart[to]), headerLength, 'utf16le');
      out.subarray(headerLength).swap16(); // UTF-16LE -> UTF-16BE in place
      break;
  }
  return out;
}

export function buildParts(plan: MessagePlan, options: ResolvedOptions): MessagePart[] {
  const dataCoding = outboundDataCoding(plan.encoding, options.messageClass);
  const shiftElements = nationalShiftElements(plan.national?.lockingShiftId, plan.national?.singleShiftId);
  const { boundaries, measured, source } = plan;

  if (options.concat === 'payload') {
    const header = shiftElements.length > 0 ? buildUdh(shiftElements) : undefined;
    const payload = encodeUnits(plan, 0, measured.count, header);
    return [{ shortMessage: EMPTY, messagePayload: payload, udhi: header !== undefined, dataCoding, text: source }];
  }

  const total = boundaries.length - 1;
  const reference = options.reference ?? randomReference(options.concat);
  const parts: MessagePart[] = [];
  for (let k = 0; k < total; k++) {
    const from = boundaries[k];
    const to = boundaries[k + 1];
    const elements: UdhElement[] = [];
    if (total > 1 && options.concat === 'udh8') elements.push(concatElement(8, reference, total, k + 1));
    if (total > 1 && options.concat === 'udh16') elements.push(concatElement(16, reference, total, k + 1));
    elements.push(...shiftElements);
    const header = elements.length > 0 ? buildUdh(elements) : undefined;
    const part: MessagePart = {
      shortMessage: encodeUnits(plan, from, to, header),
      udhi: header !== undefined,
      dataCoding,
      text: source.slice(measured.sourceStart[from], measured.sourceStart[to]),
    };
    if (total > 1 && options.concat === 'sar') part.sar = { refNum: reference, totalSegments: total, seqNum: k + 1 };
    parts.push(part);
  }
  return parts;
}
