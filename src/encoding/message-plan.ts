/**
 * Decides how a text is sent: encoding, GSM tables, units and part boundaries. Shared by
 * encodeMessage (which throws for characters the encoding cannot carry) and estimateMessage
 * (which lists them instead).
 */
import { PartCapacity, partCapacity } from './capacity';
import { EncodingError, describeCharacters } from './encoding-error';
import { GsmCandidate, chooseGsmTables } from './gsm-table-choice';
import { NATIONAL_LANGUAGE_IDS } from './gsm-tables';
import { HexMeasuredText, assertValidHex, measureHex } from './hex';
import type { MeasuredText } from './measured-text';
import type { ResolvedOptions } from './options';
import { partBoundaries, partCount } from './segmentation';
import type { MessageEncoding, NationalLanguage } from './types';
import { measureLatin1, measureUcs2 } from './unicode-measure';

export type PlanMode = 'encode' | 'estimate';

export interface NationalShift {
  language: NationalLanguage;
  lockingShiftId?: number;
  singleShiftId?: number;
}

export interface MessagePlan {
  encoding: MessageEncoding;
  /** The string that measured.sourceStart indexes (the text, or for 'binary' the hex without spaces). */
  source: string;
  measured: MeasuredText;
  /** GSM-7 only: every septet. */
  septets?: number[];
  /** 'binary' only. */
  bytes?: Buffer;
  capacity: PartCapacity;
  /** Unit indices where parts start, ending with measured.count. */
  boundaries: number[];
  national?: NationalShift;
  characters: number;
}

export function assertText(text: unknown): asserts text is string {
  if (typeof text !== 'string') {
    throw new EncodingError('message', `The message must be text (got ${text === null ? 'null' : typeof text})`);
  }
  if (text.length === 0) throw new EncodingError('message', 'The message is empty; there is nothing to send');
}

function countCodePoints(text: string): number {
  let pairs = 0;
  for (let i = 0; i + 1 < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

function rejectUnsupported(mode: PlanMode, unsupported: string[], encodingName: string, hint: string): void {
  if (mode === 'estimate' || unsupported.length === 0) return;
  const verb = unsupported.length === 1 ? 'is' : 'are';
  throw new EncodingError(
    'message',
    `The message cannot be encoded as ${encodingName}: ${describeCharacters(unsupported)} ${verb} not in its character set (${hint})`,
    unsupported,
  );
}

function simplePlan(encoding: MessageEncoding, text: string, measured: MeasuredText, options: ResolvedOptions): MessagePlan {
  const capacity = partCapacity(encoding, options.concat, 0);
  return {
    encoding,
    source: text,
    measured,
    capacity,
    boundaries: partBoundaries(measured, capacity),
    characters: countCodePoints(text),
  };
}

function planBinary(text: string, options: ResolvedOptions, mode: PlanMode): MessagePlan {
  const measured: HexMeasuredText = measureHex(text);
  if (mode === 'encode') assertValidHex(measured);
  if (measured.count === 0 && !measured.problem) {
    throw new EncodingError('message', 'The message is empty; binary needs at least one byte of hex');
  }
  const capacity = partCapacity('binary', options.concat, 0);
  return {
    encoding: 'binary',
    source: measured.hex,
    measured,
    bytes: measured.bytes,
    capacity,
    boundaries: partBoundaries(measured, capacity),
    characters: measured.count,
  };
}

function gsmPlan(text: string, chosen: GsmCandidate): MessagePlan {
  const plan: MessagePlan = {
    encoding: 'gsm7',
    source: text,
    measured: chosen.measured,
    septets: chosen.measured.septets,
    capacity: chosen.capacity,
    boundaries: partBoundaries(chosen.measured, chosen.capacity),
    characters: chosen.measured.count,
  };
  const { lockingShift, singleShift } = chosen.measured.charset.tables;
  if (chosen.language) {
    plan.national = { language: chosen.language };
    if (lockingShift) plan.national.lockingShiftId = NATIONAL_LANGUAGE_IDS[lockingShift];
    if (singleShift) plan.national.singleShiftId = NATIONAL_LANGUAGE_IDS[singleShift];
  }
  return plan;
}

function planGsmOrUcs2(text: string, options: ResolvedOptions, mode: PlanMode): MessagePlan {
  let ucs2: MessagePlan | undefined;
  const ucs2Plan = (): MessagePlan => (ucs2 ??= simplePlan('ucs2', text, measureUcs2(text), options));
  const savesParts = options.encoding === 'auto' && options.nationalLanguage === 'auto';
  const choice = chooseGsmTables(text, options, (national) => (savesParts ? national.parts < partCount(ucs2Plan().measured, ucs2Plan().capacity) : true));
  if (choice.best) return gsmPlan(text, choice.best);
  if (options.encoding === 'auto') return ucs2Plan();
  const closest = choice.closest();
  const unsupported = closest.measured.unsupported;
  // In the words of the node panel (the options are encoding 'auto' / 'ucs2' and transliterate).
  const hint = options.transliterate
    ? 'set Encoding to Automatic or UCS-2 to send them'
    : 'set Encoding to Automatic or UCS-2 to send them, or turn on Replace Look-Alike Characters';
  rejectUnsupported(mode, unsupported, 'GSM-7', hint);
  return gsmPlan(text, closest); // estimate only: unsupported characters counted as '?'
}

export function planMessage(text: string, options: ResolvedOptions, mode: PlanMode): MessagePlan {
  assertText(text);
  switch (options.encoding) {
    case 'binary':
      return planBinary(text, options, mode);
    case 'ucs2':
      return simplePlan('ucs2', text, measureUcs2(text), options);
    case 'latin1': {
      const measured = measureLatin1(text);
      rejectUnsupported(mode, measured.unsupported, 'Latin-1', 'set Encoding to Automatic or UCS-2 to send them');
      return simplePlan('latin1', text, measured, options);
    }
    default:
      return planGsmOrUcs2(text, options, mode);
  }
}
