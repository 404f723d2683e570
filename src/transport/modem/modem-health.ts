/** Parsers for the health answers: +CSQ (signal), +CREG/+CGREG/+CEREG (registration), +COPS (operator). */
import type { OperatorInfo, Registration, RegistrationStatus, SignalQuality } from './types';

function infoLine(lines: string[], prefix: string, command: string): string {
  const line = lines.find((l) => l.startsWith(prefix));
  if (line === undefined) throw new Error(`the modem gave no ${prefix} line in answer to ${command}`);
  return line.slice(prefix.length).trim();
}

export function parseSignalQuality(lines: string[]): SignalQuality {
  const [rssi, ber] = infoLine(lines, '+CSQ:', 'AT+CSQ')
    .split(',')
    .map((v) => Number(v.trim()));
  const known = Number.isInteger(rssi) && rssi >= 0 && rssi <= 31;
  return { rssi: known ? rssi : 99, dbm: known ? -113 + 2 * rssi : null, ber: Number.isInteger(ber) ? ber : 99 };
}

const REGISTRATION: readonly RegistrationStatus[] = ['not_registered', 'home', 'searching', 'denied', 'unknown', 'roaming'];

export function parseRegistration(lines: string[], prefix: '+CREG' | '+CGREG' | '+CEREG' = '+CREG'): Registration {
  const fields = infoLine(lines, `${prefix}:`, `AT${prefix}?`)
    .split(',')
    .map((v) => v.trim());
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

/** When one domain is not registered, which answer tells the user most. */
const INFORMATIVE: readonly RegistrationStatus[] = ['denied', 'searching', 'not_registered', 'unknown'];

/**
 * Registration as the user needs it: registered when any domain is (an LTE modem on an LTE-only
 * network shows "not registered" in +CREG and registered in +CEREG); otherwise the most telling
 * reason. Commands the modem lacks (a 2G modem has no +CEREG) are skipped.
 */
export async function readRegistration(run: (command: string) => Promise<string[]>): Promise<Registration> {
  const answers: Registration[] = [];
  let firstError: Error | undefined;
  for (const prefix of ['+CREG', '+CEREG', '+CGREG'] as const) {
    try {
      answers.push(parseRegistration(await run(`AT${prefix}?`), prefix));
    } catch (err) {
      firstError ??= err as Error;
    }
  }
  const registered = answers.find((a) => a.registered);
  if (registered) return registered;
  for (const status of INFORMATIVE) {
    const found = answers.find((a) => a.status === status);
    if (found) return found;
  }
  throw firstError ?? new Error('the modem answered none of AT+CREG?, AT+CEREG?, AT+CGREG?');
}

/** The SMSC number from "+CSCA: "+447...",145"; '' when the SIM holds none. */
export function parseSmsc(lines: string[]): string {
  const match = /^"?([^",]*)"?/.exec(infoLine(lines, '+CSCA:', 'AT+CSCA?'));
  return (match?.[1] ?? '').trim();
}

/** "+CPMS: "SM",30,30,"SM",30,30,"MT",31,80": usage of each of the three memories. */
export function parseMemoryUsage(lines: string[]): Array<{ memory: string; used: number; total: number }> {
  const text = infoLine(lines, '+CPMS:', 'AT+CPMS?');
  return [...text.matchAll(/"([^"]+)"\s*,\s*(\d+)\s*,\s*(\d+)/g)].map((m) => ({ memory: m[1], used: Number(m[2]), total: Number(m[3]) }));
}
