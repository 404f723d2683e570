import * as smpp from 'smpp';

/**
 * How the transport reacts to a command_status in a submit_sm_resp (Jasmin-like policy).
 * 'rebind': the carrier says our bind is not in a state to submit (ESME_RINVBNDSTS, e.g. it lost
 * the session after a failover): the message was refused, so it is sent again after a fresh bind.
 */
export type StatusClass = 'ok' | 'throttle' | 'temporary' | 'rebind' | 'permanent';

const NAME_BY_CODE = new Map<number, string>(Object.entries(smpp.errors).map(([name, code]) => [code, name]));

/** Plain-language meanings for the statuses users meet most (SMPP 3.4 table 5-2). */
const MEANING: Record<string, string> = {
  ESME_RINVMSGLEN: 'message length is invalid',
  ESME_RINVCMDLEN: 'command length is invalid',
  ESME_RINVCMDID: 'the carrier does not support this command',
  ESME_RINVBNDSTS: 'incorrect bind status for this command',
  ESME_RALYBND: 'already bound',
  ESME_RSYSERR: 'system error at the carrier',
  ESME_RINVSRCADR: 'invalid source address (sender ID not allowed?)',
  ESME_RINVDSTADR: 'invalid destination address',
  ESME_RINVMSGID: 'invalid message id',
  ESME_RBINDFAIL: 'bind failed',
  ESME_RINVPASWD: 'invalid password',
  ESME_RINVSYSID: 'invalid system_id',
  ESME_RMSGQFUL: 'message queue full at the carrier',
  ESME_RINVSERTYP: 'invalid service type',
  ESME_RINVESMCLASS: 'invalid esm_class',
  ESME_RSUBMITFAIL: 'submit failed',
  ESME_RINVSRCTON: 'invalid source address TON',
  ESME_RINVSRCNPI: 'invalid source address NPI',
  ESME_RINVDSTTON: 'invalid destination address TON',
  ESME_RINVDSTNPI: 'invalid destination address NPI',
  ESME_RINVSYSTYP: 'invalid system_type',
  ESME_RTHROTTLED: 'throttled: the carrier asks us to send slower',
  ESME_RINVSCHED: 'invalid scheduled delivery time',
  ESME_RINVEXPIRY: 'invalid validity period',
  ESME_RX_T_APPN: 'temporary error at the receiving application',
  ESME_RX_P_APPN: 'permanent error at the receiving application',
  ESME_RX_R_APPN: 'message rejected by the receiving application',
  ESME_RINVTLVSTREAM: 'invalid optional parameter stream',
  ESME_RINVDCS: 'invalid data coding scheme',
  ESME_RDELIVERYFAILURE: 'delivery failure',
  ESME_RUNKNOWNERR: 'unknown error at the carrier',
  ESME_RPROHIBITED: 'prohibited by the carrier',
  ESME_RSERTYPUNAVAIL: 'service type unavailable',
};

const THROTTLE = new Set(['ESME_RTHROTTLED', 'ESME_RMSGQFUL']);
/** Worth retrying a bounded number of times: the carrier may succeed on the next try. */
const TEMPORARY = new Set(['ESME_RSYSERR', 'ESME_RX_T_APPN', 'ESME_RUNKNOWNERR', 'ESME_RSERTYPUNAVAIL', 'ESME_RDELIVERYFAILURE', 'ESME_RSUBMITFAIL']);

export function statusName(code: number): string {
  return NAME_BY_CODE.get(code) ?? `0x${code.toString(16).padStart(8, '0')}`;
}

/**
 * A bounded label for a command_status: its name, the code for carrier-specific ones
 * (0x400-0x4FF), 'other' for anything else (a carrier answering arbitrary codes cannot make
 * unbounded metric series).
 */
export function statusLabel(code: number): string {
  const name = NAME_BY_CODE.get(code);
  if (name !== undefined) return name;
  return code >= 0x400 && code <= 0x4ff ? statusName(code) : 'other';
}

export function statusMeaning(code: number): string {
  const name = statusName(code);
  return MEANING[name] ?? (code >= 0x400 && code <= 0x4ff ? 'carrier-specific error' : 'error');
}

/** e.g. "ESME_RINVDSTADR (invalid destination address)". */
export function describeStatus(code: number): string {
  return `${statusName(code)} (${statusMeaning(code)})`;
}

export function classifyStatus(code: number): StatusClass {
  if (code === 0) return 'ok';
  const name = statusName(code);
  if (THROTTLE.has(name)) return 'throttle';
  if (name === 'ESME_RINVBNDSTS') return 'rebind';
  if (TEMPORARY.has(name)) return 'temporary';
  return 'permanent';
}

export const Status = {
  ok: 0,
  throttled: smpp.errors.ESME_RTHROTTLED,
  msgQueueFull: smpp.errors.ESME_RMSGQFUL,
  invalidPassword: smpp.errors.ESME_RINVPASWD,
  invalidSystemId: smpp.errors.ESME_RINVSYSID,
  invalidBindStatus: smpp.errors.ESME_RINVBNDSTS,
  invalidCommandId: smpp.errors.ESME_RINVCMDID,
  invalidCommandLength: smpp.errors.ESME_RINVCMDLEN,
  invalidDestination: smpp.errors.ESME_RINVDSTADR,
  systemError: smpp.errors.ESME_RSYSERR,
  bindFailed: smpp.errors.ESME_RBINDFAIL,
  alreadyBound: smpp.errors.ESME_RALYBND,
} as const;
