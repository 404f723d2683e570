import { FieldError } from '../errors';
import { describeStatus } from '../transport/smpp/command-status';
import { broadcastStatusMeaning, broadcastStatusName } from './smpp5-definitions';

/** Bad input for a broadcast: `field` names it (e.g. `areas[0].polygon`), the message says what is wrong. */
export class BroadcastInputError extends FieldError {
  constructor(field: string, problem: string) {
    super(field, problem, { message: `${field}: ${problem}` });
    this.name = 'BroadcastInputError';
  }
}

export const UNSUPPORTED_MESSAGE = 'this carrier does not accept broadcast_sm (SMPP 5.0 cell broadcast)';

/** The peer speaks only SMPP 3.4: it nacked a broadcast PDU or refused a bind with interface_version 0x50. */
export class CellBroadcastUnsupportedError extends Error {
  constructor(detail: string) {
    super(`${UNSUPPORTED_MESSAGE}: ${detail}`);
    this.name = 'CellBroadcastUnsupportedError';
  }
}

/** The cell broadcast centre answered a request with an error status. */
export class CellBroadcastRejectedError extends Error {
  constructor(
    readonly command: string,
    readonly status: number,
    context = '',
  ) {
    super(`the carrier refused the ${command}${context}: ${describeBroadcastStatus(status)}`);
    this.name = 'CellBroadcastRejectedError';
  }
}

/** e.g. "ESME_RINVBCASTAREAFMT (invalid broadcast area format)"; falls back to the SMPP 3.4 table. */
export function describeBroadcastStatus(status: number): string {
  const meaning = broadcastStatusMeaning(status);
  return meaning ? `${broadcastStatusName(status)} (${meaning})` : describeStatus(status);
}
