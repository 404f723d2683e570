/**
 * Unsolicited result codes (URCs) that can arrive at any time, even between a command and its
 * answer: new message stored (+CMTI), status report (+CDS with the PDU on the next line, or
 * +CDSI when stored), incoming call (RING), registration changes (+CREG), start-up notices
 * ("SMS Ready", "+CPIN: READY"), vendor notices (Huawei "^RSSI:", Quectel "+QIND:").
 */

export type UnsolicitedEvent =
  | { type: 'messageStored'; memory: string; index: number }
  | { type: 'statusReport'; pdu: string; length: number }
  | { type: 'statusReportStored'; memory: string; index: number }
  /** Text mode: "+CDS: <fo>,<mr>,<ra>,<tora>,<scts>,<dt>,<st>" on one line. */
  | { type: 'statusReportText'; fields: string }
  | { type: 'messageDelivered'; pdu: string; length: number }
  | { type: 'ring' }
  | { type: 'other'; line: string };

/** Prefixes always read as URCs unless the running command asked for that prefix itself. */
const URC_PREFIXES = [
  '+CMTI:',
  '+CDSI:',
  '+CDS:',
  '+CMT:',
  '+CBM:',
  'RING',
  '+CRING:',
  '+CREG:',
  '+CGREG:',
  '+CEREG:',
  '+CLIP:',
  '+CIEV:',
  '+CUSD:',
  '^',
  // Start-up and SIM notices (SIMCom, Quectel): they can land in the middle of any answer.
  '+CPIN:',
  '+CFUN:',
  '+QIND:',
  '+QUSIM:',
  '+CSMINS:',
];

/** Whole lines some modems send on their own after power-on ("SMS Ready" on a SIM800). */
const URC_LINES = new Set(['RDY', 'SMS Ready', 'Call Ready', 'SMS DONE', 'PB DONE', 'NORMAL POWER DOWN']);

/** URCs whose PDU (or text) follows on the next line. */
const TWO_LINE_URCS = ['+CDS:', '+CMT:', '+CBM:'];

/** A URC header whose content follows on the next line; a text-mode "+CDS: 6,12,..." is complete in itself. */
export function startsTwoLineUrc(line: string): boolean {
  if (line.startsWith('+CDS:')) return /^\+CDS:\s*\d+\s*$/.test(line);
  return TWO_LINE_URCS.some((prefix) => line.startsWith(prefix));
}

export function isUnsolicited(line: string, commandPrefix: string | undefined): boolean {
  if (commandPrefix && line.startsWith(commandPrefix)) return false;
  return URC_LINES.has(line) || URC_PREFIXES.some((prefix) => line.startsWith(prefix));
}

function parseStorage(rest: string): { memory: string; index: number } | undefined {
  const match = /^\s*"?([A-Za-z0-9]*)"?\s*,\s*(\d+)/.exec(rest);
  return match ? { memory: match[1], index: Number(match[2]) } : undefined;
}

/** Reads a one-line URC, or the header + PDU of a two-line one. */
export function parseUnsolicited(line: string, pduLine?: string): UnsolicitedEvent {
  if (line.startsWith('+CMTI:')) {
    const storage = parseStorage(line.slice(6));
    if (storage) return { type: 'messageStored', ...storage };
  }
  if (line.startsWith('+CDSI:')) {
    const storage = parseStorage(line.slice(6));
    if (storage) return { type: 'statusReportStored', ...storage };
  }
  if (pduLine !== undefined && (line.startsWith('+CDS:') || line.startsWith('+CMT:'))) {
    // +CDS: <length> and +CMT: [<alpha>],<length>: the length is the last number.
    const length = Number(/(\d+)\s*$/.exec(line)?.[1] ?? 0);
    return { type: line.startsWith('+CDS:') ? 'statusReport' : 'messageDelivered', pdu: pduLine.trim(), length };
  }
  if (pduLine === undefined && line.startsWith('+CDS:')) return { type: 'statusReportText', fields: line.slice(5).trim() };
  if (line === 'RING' || line.startsWith('+CRING:')) return { type: 'ring' };
  return { type: 'other', line: pduLine === undefined ? line : `${line} ${pduLine}` };
}
