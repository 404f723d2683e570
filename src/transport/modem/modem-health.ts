/** Parsers for the health answers: +CSQ (signal), +CREG (registration), +COPS (operator). */
import type { OperatorInfo, Registration, RegistrationStatus, SignalQuality } from './types';

function infoLine(lines: string[], prefix: string, command: string): string {
  const line = lines.find((l) => l.startsWith(prefix));
  if (line === undefined) throw new Error(`the modem gave no ${prefix} line in answer to ${command}`);
  return line.slice(prefix.length).trim();
}

export function parseSignalQuality(lines: string[]): SignalQuality {
  const [rssi, ber] = infoLine(lines, '+CSQ:', 'AT+CSQ').split(',').map((v) => Number(v.trim()));
  const known = Number.isInteger(rssi) && rssi >= 0 && rssi <= 31;
  return { rssi: known ? rssi : 99, dbm: known ? -113 + 2 * rssi : null, ber: Number.isInteger(ber) ? ber : 99 };
}

const REGISTRATION: readonly RegistrationStatus[] = ['not_registered', 'home', 'searching', 'denied', 'unknown', 'roaming'];

export function parseRegistration(lines: string[]): Registration {
  const fields = infoLine(lines, '+CREG:', 'AT+CREG?').split(',').map((v) => v.trim());
  // "+CREG: <n>,<stat>[,<lac>,<ci>]"; some modems omit <n>.
  const code = Number(fields.length >= 2 && !fields[1].startsWith('"') ? fields[1] : fields[0]);
  const status = REGISTRATION[code] ?? 'unknown';
  return { status, registered: status === 'home' || status === 'roaming', code };
}

export function parseOperator(lines: string[]): OperatorInfo {
  const text = infoLine(lines, '+COPS:', 'AT+COPS?');
  const match = /^(\d+)(?:,(\d+),"([^"]*)"(?:,(\d+))?)?/.exec(text);
  if (!match) throw new Error(`cannot read the operator from "+COPS: ${text}"`);
  const info: OperatorInfo = { mode: Number(match[1]) };
  if (match[3] !== undefined) info.name = match[3];
  if (match[4] !== undefined) info.accessTechnology = Number(match[4]);
  return info;
}
