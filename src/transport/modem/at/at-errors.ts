/**
 * Final result codes of AT commands as errors: +CME ERROR (3GPP TS 27.007 9.2) and +CMS ERROR
 * (TS 27.005 3.2.5; 0-127 are TS 24.011 RP causes, 128-255 TS 23.040 TP-FCS values).
 * Modems answer a number with AT+CMEE=1 and text with AT+CMEE=2; we read both.
 */

export const CME_ERRORS: Readonly<Record<number, string>> = {
  0: 'phone failure',
  1: 'no connection to phone',
  2: 'phone adaptor link reserved',
  3: 'operation not allowed',
  4: 'operation not supported',
  5: 'PH-SIM PIN required',
  6: 'PH-FSIM PIN required',
  7: 'PH-FSIM PUK required',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  17: 'SIM PIN2 required',
  18: 'SIM PUK2 required',
  20: 'memory full',
  21: 'invalid index',
  22: 'not found',
  23: 'memory failure',
  24: 'text string too long',
  25: 'invalid characters in text string',
  26: 'dial string too long',
  27: 'invalid characters in dial string',
  30: 'no network service',
  31: 'network timeout',
  32: 'network not allowed - emergency calls only',
  40: 'network personalisation PIN required',
  41: 'network personalisation PUK required',
  100: 'unknown error',
};

export const CMS_ERRORS: Readonly<Record<number, string>> = {
  1: 'unassigned (unallocated) number',
  8: 'operator determined barring',
  10: 'call barred',
  21: 'short message transfer rejected',
  27: 'destination out of service',
  28: 'unidentified subscriber',
  29: 'facility rejected',
  30: 'unknown subscriber',
  38: 'network out of order',
  41: 'temporary failure',
  42: 'congestion',
  47: 'resources unavailable, unspecified',
  50: 'requested facility not subscribed',
  69: 'requested facility not implemented',
  81: 'invalid short message transfer reference value',
  95: 'invalid message, unspecified',
  96: 'invalid mandatory information',
  97: 'message type non-existent or not implemented',
  98: 'message not compatible with short message protocol state',
  99: 'information element non-existent or not implemented',
  111: 'protocol error, unspecified',
  127: 'interworking, unspecified',
  128: 'telematic interworking not supported',
  129: 'short message type 0 not supported',
  130: 'cannot replace short message',
  143: 'unspecified TP-PID error',
  144: 'data coding scheme (alphabet) not supported',
  145: 'message class not supported',
  159: 'unspecified TP-DCS error',
  160: 'command cannot be actioned',
  161: 'command unsupported',
  175: 'unspecified TP-Command error',
  176: 'TPDU not supported',
  192: 'SC busy',
  193: 'no SC subscription',
  194: 'SC system failure',
  195: 'invalid SME address',
  196: 'destination SME barred',
  197: 'SM rejected - duplicate SM',
  198: 'TP-VPF not supported',
  199: 'TP-VP not supported',
  208: 'SIM SMS storage full',
  209: 'no SMS storage capability in SIM',
  210: 'error in MS',
  211: 'memory capacity exceeded',
  212: 'SIM application toolkit busy',
  213: 'SIM data download error',
  255: 'unspecified error cause',
  300: 'ME failure',
  301: 'SMS service of ME reserved',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  312: 'PH-SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  315: 'SIM wrong',
  316: 'SIM PUK required',
  317: 'SIM PIN2 required',
  318: 'SIM PUK2 required',
  320: 'memory failure',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  332: 'network timeout',
  340: 'no +CNMA acknowledgement expected',
  500: 'unknown error',
};

/**
 * +CMS codes worth another try later: the network or the SIM is busy or briefly unreachable.
 * 500 "unknown error" is what a SIM800 answers for many passing network failures; retried (a
 * bounded number of times, like the others). Everything else (bad number, barred, no
 * subscription, bad PDU) fails the same way again.
 */
const TEMPORARY_CMS = new Set([38, 41, 42, 47, 192, 212, 314, 331, 332, 500]);

export type AtErrorKind = 'cme' | 'cms' | 'error';

/** A command's final result was an error. `code` is the number (when the modem gave one). */
export class AtCommandError extends Error {
  constructor(
    /** The command as sent, with secrets (the PIN) masked. */
    readonly command: string,
    readonly kind: AtErrorKind,
    readonly code: number | undefined,
    /** The standard meaning, or the modem's own text with AT+CMEE=2. */
    readonly meaning: string,
  ) {
    super(`${command} failed: ${describeResult(kind, code, meaning)}`);
    this.name = 'AtCommandError';
  }

  get temporary(): boolean {
    return this.kind === 'cms' && this.code !== undefined && TEMPORARY_CMS.has(this.code);
  }
}

/** The command got no final result in time (the modem is busy, hung, or not a modem). */
export class AtTimeoutError extends Error {
  /** `dataSent`: the data after the prompt (an SMS PDU) had been written: the modem may have sent it. */
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
    readonly dataSent = false,
  ) {
    super(`no answer to ${command} within ${timeoutMs} ms`);
    this.name = 'AtTimeoutError';
  }
}

/**
 * A text-mode body did not end where its announced length said (a modem that counts characters
 * differently): the answer cannot be trusted, and the channel must be resynchronised.
 */
export class AtFramingError extends Error {
  constructor(readonly command: string) {
    super(`the answer to ${command} did not match the message length the modem announced`);
    this.name = 'AtFramingError';
  }
}

/** The serial link closed (device unplugged, port closed) while the command waited. */
export class AtLinkClosedError extends Error {
  /** `written`: the command had gone out; `dataSent`: so had the data after its prompt. */
  constructor(
    readonly command: string,
    reason: string,
    readonly written = false,
    readonly dataSent = false,
  ) {
    super(`${command} was interrupted: ${reason}`);
    this.name = 'AtLinkClosedError';
  }
}

function describeResult(kind: AtErrorKind, code: number | undefined, meaning: string): string {
  if (kind === 'error') return 'ERROR';
  const label = kind === 'cme' ? '+CME ERROR' : '+CMS ERROR';
  return code === undefined ? `${label}: ${meaning}` : `${label} ${code} (${meaning})`;
}

/** "(U)SIM not inserted" -> "usim not inserted": case, brackets and punctuation do not carry meaning. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function textIndex(table: Readonly<Record<number, string>>): Array<[string, number]> {
  // Longest wording first, so "SIM PUK2 required" is not taken for "SIM PUK required".
  return Object.entries(table)
    .map(([code, text]): [string, number] => [normalise(text), Number(code)])
    .sort((a, b) => b[0].length - a[0].length);
}

const TEXT_TO_CME = textIndex(CME_ERRORS);
const TEXT_TO_CMS = textIndex(CMS_ERRORS);

/**
 * The code of a verbose error (AT+CMEE=2): vendors word them their own way ("(U)SIM not
 * inserted", "SIM PIN required ", "Network timeout."), so the standard wording is looked for
 * inside the modem's words, not compared to them.
 */
function codeOfText(kind: 'cme' | 'cms', text: string): number | undefined {
  const words = ` ${normalise(text)} `;
  return (kind === 'cme' ? TEXT_TO_CME : TEXT_TO_CMS).find(([wording]) => words.includes(`${wording} `))?.[1];
}

/** Parses a final error line; undefined when the line is not one. */
export function parseErrorLine(line: string, command: string): AtCommandError | undefined {
  if (line === 'ERROR' || line === 'COMMAND NOT SUPPORT' || line === 'TOO MANY PARAMETERS')
    return new AtCommandError(command, 'error', undefined, line === 'ERROR' ? 'ERROR' : line);
  const match = /^\+(CME|CMS) ERROR:\s*(.*)$/.exec(line);
  if (!match) return undefined;
  const kind = match[1] === 'CME' ? 'cme' : 'cms';
  const table = kind === 'cme' ? CME_ERRORS : CMS_ERRORS;
  const value = match[2].trim();
  if (/^\d+$/.test(value)) {
    const code = Number(value);
    return new AtCommandError(command, kind, code, table[code] ?? 'unknown error code');
  }
  // Verbose form (AT+CMEE=2): keep the modem's words and find the number when they say a standard thing.
  return new AtCommandError(command, kind, codeOfText(kind, value), value);
}
