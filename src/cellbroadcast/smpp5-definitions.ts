import * as smpp from 'smpp';
import type { SmppTlvDef } from 'smpp';

/**
 * SMPP 5.0 cell broadcast constants, and one correction to node-smpp 0.5.1's tables.
 *
 * node-smpp declares the broadcast_area_success TLV as single, so its decoder keeps only the
 * last one. In query_broadcast_sm_resp (SMPP 5.0, query_broadcast_sm_resp) there is one
 * broadcast_area_success per broadcast_area_identifier, in the same order; we mark the TLV
 * "multiple" so the library's encoder and decoder carry all of them as an array. The change is
 * made once, when this module loads, and touches no other TLV.
 */
(smpp.tlvs.broadcast_area_success as SmppTlvDef & { multiple?: boolean }).multiple = true;

/** broadcast_area_identifier format octet (SMPP 5.0 TLV broadcast_area_identifier). */
export const AreaFormat = {
  alias: 0x00,
  ellipsoidArc: 0x01,
  polygon: 0x02,
} as const;

/** broadcast_frequency_interval units (SMPP 5.0 TLV broadcast_frequency_interval); 0x00 = as often as possible. */
export const FrequencyUnit = {
  maxPossible: 0x00,
  seconds: 0x08,
  minutes: 0x09,
  hours: 0x0a,
  days: 0x0b,
  weeks: 0x0c,
  months: 0x0d,
  years: 0x0e,
} as const;

/** message_state values (SMPP 5.0 TLV message_state), by name. */
export const MESSAGE_STATE_NAMES = [
  'SCHEDULED',
  'ENROUTE',
  'DELIVERED',
  'EXPIRED',
  'DELETED',
  'UNDELIVERABLE',
  'ACCEPTED',
  'UNKNOWN',
  'REJECTED',
  'SKIPPED',
] as const;
export type BroadcastState = (typeof MESSAGE_STATE_NAMES)[number];

export function messageStateCode(state: BroadcastState): number {
  return MESSAGE_STATE_NAMES.indexOf(state);
}

export function messageStateName(code: number): BroadcastState | `UNKNOWN(${number})` {
  return MESSAGE_STATE_NAMES[code] ?? `UNKNOWN(${code})`;
}

/** broadcast_area_success: 0-100 percent, 255 = information not available. */
export const AREA_SUCCESS_UNKNOWN = 255;

/** SMPP 5.0 command_status values for cell broadcast (0x107-0x112) and the two shared ones we use. */
export const BroadcastStatus = {
  invalidFrequency: smpp.errors.ESME_RINVBCASTFREQINT,
  invalidAliasName: smpp.errors.ESME_RINVBCASTALIAS_NAME,
  invalidAreaFormat: smpp.errors.ESME_RINVBCASTAREAFMT,
  invalidAreaCount: smpp.errors.ESME_RINVNUMBCAST_AREAS,
  invalidContentType: smpp.errors.ESME_RINVBCASTCNTTYPE,
  invalidMessageClass: smpp.errors.ESME_RINVBCASTMSGCLASS,
  broadcastFailed: smpp.errors.ESME_RBCASTFAIL,
  queryFailed: smpp.errors.ESME_RBCASTQUERYFAIL,
  cancelFailed: smpp.errors.ESME_RBCASTCANCELFAIL,
  invalidRepetitions: smpp.errors.ESME_RINVBCAST_REP,
  invalidServiceGroup: smpp.errors.ESME_RINVBCASTSRVGRP,
  invalidChannelIndicator: smpp.errors.ESME_RINVBCASTCHANIND,
  invalidMessageId: smpp.errors.ESME_RINVMSGID,
  invalidMessageLength: smpp.errors.ESME_RINVMSGLEN,
} as const;

const BROADCAST_STATUS_MEANING: Record<number, string> = {
  [BroadcastStatus.invalidFrequency]: 'invalid broadcast frequency interval',
  [BroadcastStatus.invalidAliasName]: 'the carrier knows no broadcast area by that alias/name',
  [BroadcastStatus.invalidAreaFormat]: 'invalid broadcast area format',
  [BroadcastStatus.invalidAreaCount]: 'invalid number of broadcast areas',
  [BroadcastStatus.invalidContentType]: 'invalid broadcast content type (warning channel)',
  [BroadcastStatus.invalidMessageClass]: 'invalid broadcast message class',
  [BroadcastStatus.broadcastFailed]: 'the broadcast failed',
  [BroadcastStatus.queryFailed]: 'the broadcast query failed',
  [BroadcastStatus.cancelFailed]: 'the broadcast could not be cancelled (it may have ended already)',
  [BroadcastStatus.invalidRepetitions]: 'invalid number of repetitions',
  [BroadcastStatus.invalidServiceGroup]: 'invalid broadcast service group',
  [BroadcastStatus.invalidChannelIndicator]: 'invalid broadcast channel indicator',
};

const NAME_BY_CODE = new Map<number, string>(Object.entries(smpp.errors).map(([name, code]) => [code, name]));

/** The meaning of a cell broadcast status, or undefined for statuses shared with SMPP 3.4. */
export function broadcastStatusMeaning(code: number): string | undefined {
  return BROADCAST_STATUS_MEANING[code];
}

export function broadcastStatusName(code: number): string {
  return NAME_BY_CODE.get(code) ?? `0x${code.toString(16).padStart(8, '0')}`;
}
