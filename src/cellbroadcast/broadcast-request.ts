import { checkAreas, encodeArea } from './broadcast-area';
import type { AreaIdentifier, BroadcastArea, BroadcastAreaInput } from './broadcast-area';
import { encodeBroadcastText } from './broadcast-content';
import type { BroadcastEncoding } from './broadcast-content';
import { encodeFrequency } from './broadcast-frequency';
import type { FrequencyInterval } from './broadcast-frequency';
import { BroadcastInputError } from './cell-broadcast-errors';
import { warningMessageIdentifier } from './warning-channels';
import type { WarningChannel } from './warning-channels';

/**
 * priority_flag for GSM cell broadcast (SMPP 5.0 priority_flag table, "GSM Cell Broadcast" row):
 * 0 normal, 1 immediate broadcast, 2 high priority, 4 priority background.
 */
export const BROADCAST_PRIORITY = { normal: 0, immediate: 1, high: 2, background: 4 } as const;
export type BroadcastPriority = keyof typeof BROADCAST_PRIORITY;

/** broadcast_content_type network types (SMPP 5.0): 0 generic, 1 GSM (3GPP TS 23.041), 2 TDMA, 3 CDMA. */
export const NETWORK_GSM = 1;

export interface BroadcastSource {
  addr: string;
  ton?: number;
  npi?: number;
}

export interface CellBroadcastRequest {
  /** Replace this running broadcast in place (replace_if_present_flag 1) instead of starting a new one. */
  messageId?: string;
  areas: BroadcastAreaInput[];
  text: string;
  encoding?: BroadcastEncoding;
  /** broadcast_rep_num: how many times the centre broadcasts; 0 asks it to repeat until the end time. */
  repetitions: number;
  /** broadcast_frequency_interval: seconds between repetitions; 0 = as often as the network can. */
  frequencySeconds: number;
  /** When the broadcast ends (validity_period, absolute UTC). Give this or validityMinutes. */
  endTime?: Date;
  validityMinutes?: number;
  /** Default 'immediate'. */
  priority?: BroadcastPriority;
  /** The warning channel (see warning-channels.ts), or a CBS Message Identifier as a number. */
  channel?: WarningChannel | { messageIdentifier: number };
  /**
   * broadcast_content_type. Default: network 1 (GSM) with the channel's CBS Message Identifier as
   * content type, which is how centres behind SMPP pick the warning channel. A centre that wants
   * SMPP's generic list instead takes e.g. { network: 0, type: 0x0001 } (Emergency Broadcasts).
   */
  contentType?: { network: number; type: number };
  /** broadcast_message_class: 0 none, 1 and 2 user defined, 3 terminal equipment. */
  messageClass?: 0 | 1 | 2 | 3;
  /** broadcast_channel_indicator: basic (default) or extended channel. */
  channelIndicator?: 'basic' | 'extended';
}

/** What a request becomes on the wire, in readable form (also returned to callers). */
export interface BroadcastPlan {
  areas: BroadcastArea[];
  identifiers: AreaIdentifier[];
  messageIdentifier: number | null;
  contentType: { network: number; type: number };
  repetitions: number;
  frequency: FrequencyInterval;
  frequencySeconds: number;
  endTime: Date | null;
  encoding: 'gsm7' | 'ucs2';
  pages: number;
  priority: BroadcastPriority;
}

function wholeNumber(value: unknown, field: string, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BroadcastInputError(field, `must be a whole number ${min}-${max}${what} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function readChannel(request: CellBroadcastRequest): number | null {
  const channel = request.channel;
  if (!channel) {
    if (request.contentType) return null;
    throw new BroadcastInputError('channel', 'give a warning level (presidential, extreme, severe, amber, test, ...) or a messageIdentifier');
  }
  if ('messageIdentifier' in channel)
    return wholeNumber(channel.messageIdentifier, 'channel.messageIdentifier', 0, 0xffff, ' (a CBS Message Identifier, e.g. 4370-4399 for public warning)');
  return warningMessageIdentifier(channel);
}

function readEndTime(request: CellBroadcastRequest, now: number): Date | null {
  if (request.endTime !== undefined && request.validityMinutes !== undefined)
    throw new BroadcastInputError('endTime', 'give endTime or validityMinutes, not both');
  if (request.endTime !== undefined) {
    if (!(request.endTime instanceof Date) || Number.isNaN(request.endTime.getTime()))
      throw new BroadcastInputError('endTime', `must be a valid date (got ${JSON.stringify(request.endTime)})`);
    if (request.endTime.getTime() <= now) throw new BroadcastInputError('endTime', `${request.endTime.toISOString()} is in the past`);
    return request.endTime;
  }
  if (request.validityMinutes !== undefined) {
    const minutes = request.validityMinutes;
    if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0)
      throw new BroadcastInputError('validityMinutes', `must be a number of minutes above 0 (got ${JSON.stringify(minutes)})`);
    return new Date(now + minutes * 60_000);
  }
  return null;
}

/** Checks a request and builds the broadcast_sm fields for node-smpp's encoder. */
export function buildBroadcastSm(
  request: CellBroadcastRequest,
  source: BroadcastSource,
  now: number,
): { fields: Record<string, unknown>; plan: BroadcastPlan } {
  const areas = checkAreas(request.areas);
  const content = encodeBroadcastText(request.text, request.encoding);
  const repetitions = wholeNumber(request.repetitions, 'repetitions', 0, 0xffff, ' (0 = until the end time)');
  const frequency = encodeFrequency(request.frequencySeconds);
  const endTime = readEndTime(request, now);
  if (repetitions === 0 && !endTime) throw new BroadcastInputError('repetitions', '0 repeats until the end time: give endTime or validityMinutes too');
  const priority = request.priority ?? 'immediate';
  if (!(priority in BROADCAST_PRIORITY))
    throw new BroadcastInputError('priority', `must be one of ${Object.keys(BROADCAST_PRIORITY).join(', ')} (got "${String(priority)}")`);
  const messageIdentifier = readChannel(request);
  const contentType = request.contentType ?? { network: NETWORK_GSM, type: messageIdentifier ?? 0 };
  wholeNumber(contentType.network, 'contentType.network', 0, 3, ' (0 generic, 1 GSM, 2 TDMA, 3 CDMA)');
  wholeNumber(contentType.type, 'contentType.type', 0, 0xffff, '');
  const messageClass = request.messageClass === undefined ? undefined : wholeNumber(request.messageClass, 'messageClass', 0, 3, '');
  const indicator = request.channelIndicator ?? 'basic';
  if (indicator !== 'basic' && indicator !== 'extended')
    throw new BroadcastInputError('channelIndicator', `must be basic or extended (got "${String(indicator)}")`);
  const replaceId = request.messageId?.trim() ?? '';
  if (replaceId.length > 64) throw new BroadcastInputError('messageId', `is ${replaceId.length} characters; SMPP allows 64`);
  const identifiers = areas.map(encodeArea);

  const fields: Record<string, unknown> = {
    source_addr_ton: source.ton ?? 0,
    source_addr_npi: source.npi ?? 0,
    source_addr: source.addr,
    message_id: replaceId,
    priority_flag: BROADCAST_PRIORITY[priority],
    validity_period: endTime ?? '',
    replace_if_present_flag: replaceId ? 1 : 0,
    data_coding: content.dataCoding,
    broadcast_area_identifier: identifiers.map((id) => ({ format: id.format, data: id.data })),
    broadcast_content_type: { network: contentType.network, content_type: contentType.type },
    broadcast_rep_num: repetitions,
    broadcast_frequency_interval: frequency,
    broadcast_channel_indicator: indicator === 'extended' ? 1 : 0,
    message_payload: content.payload,
  };
  if (messageClass !== undefined) fields.broadcast_message_class = messageClass;
  const plan: BroadcastPlan = {
    areas,
    identifiers,
    messageIdentifier,
    contentType,
    repetitions,
    frequency,
    frequencySeconds: request.frequencySeconds,
    endTime,
    encoding: content.encoding,
    pages: content.pages,
    priority,
  };
  return { fields, plan };
}
