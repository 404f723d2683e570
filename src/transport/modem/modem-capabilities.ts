/**
 * Reading what a modem supports from the test forms of its commands (TS 27.007 / 27.005:
 * "AT+CNMI=?" -> "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)"), and choosing settings from that
 * instead of assuming: the +CNMI setting, the message memories, and the identity lines.
 */
import type { StatusReportRouting } from './types';

/** "(0-2),(0,1,4),("SM","ME")" -> [[0,1,2],[0,1,4],['SM','ME']]; one list per parenthesis group. */
export function parseTestLists(text: string): string[][] {
  const groups: string[][] = [];
  for (const match of text.matchAll(/\(([^)]*)\)/g)) {
    const values: string[] = [];
    for (const item of match[1].split(',')) {
      const value = item.trim().replace(/^"(.*)"$/, '$1');
      const range = /^(\d+)-(\d+)$/.exec(value);
      if (range) for (let n = Number(range[1]); n <= Number(range[2]); n++) values.push(String(n));
      else if (value !== '') values.push(value);
    }
    groups.push(values);
  }
  return groups;
}

export interface CnmiChoice {
  setting: string;
  statusReports: StatusReportRouting;
}

/**
 * The best +CNMI setting the modem offers: <mode> 2 (buffer while busy, then flush), else 1 or 3;
 * <mt> 1 (store, announce with +CMTI: nothing is lost if we are down); <ds> 1 (+CDS) else 2
 * (stored, +CDSI) else 0; <bfr> 0 if offered. Undefined when the answer lists no usable <mt>.
 */
export function chooseCnmi(testAnswer: string): CnmiChoice | undefined {
  const [modes, mts, bms, dss, bfrs] = parseTestLists(testAnswer).map((g) => g.map(Number));
  if (!modes || !mts?.includes(1)) return undefined;
  const mode = [2, 1, 3].find((m) => modes.includes(m));
  if (mode === undefined) return undefined;
  const ds = dss?.includes(1) ? 1 : dss?.includes(2) ? 2 : 0;
  const parts = [mode, 1, bms?.includes(0) || !bms ? 0 : bms[0], ds];
  if (bfrs && bfrs.length > 0) parts.push(bfrs.includes(0) ? 0 : bfrs[0]);
  return { setting: parts.join(','), statusReports: ds === 1 ? 'direct' : ds === 2 ? 'stored' : 'none' };
}

export interface MemoryChoice {
  /** Where we read, list and delete (<mem1>) and where sent messages would be kept (<mem2>). */
  read: string;
  /** Where new messages are stored (<mem3>): "MT" (SIM, then modem memory) when offered. */
  receive: string;
  /** Every memory messages or reports can be found in, for the start-up scan. */
  scan: string[];
}

/** From "+CPMS: ("SM","ME","MT"),(...),(...)" and the memory the credential asks for. */
export function chooseMemories(testAnswer: string | undefined, preferred: string): MemoryChoice {
  const [mem1 = [], , mem3 = []] = testAnswer ? parseTestLists(testAnswer) : [];
  const read = mem1.length === 0 || mem1.includes(preferred) ? preferred : mem1[0];
  const receive = preferred === 'SM' && mem3.includes('MT') ? 'MT' : mem3.length === 0 || mem3.includes(read) ? read : mem3[0];
  // Every real memory is scanned at start-up ("MT" is only a view over the SIM and the modem
  // memory): parts of a long message may sit in both, and reports in "SR".
  const scan = [read, ...mem1.filter((m) => m !== 'MT')];
  return { read, receive, scan: [...new Set(scan)] };
}

export interface ModemIdentity {
  manufacturer?: string;
  model?: string;
  revision?: string;
}

/** The value of an identity answer: its first line, without an echoed "+CGMR: " style prefix. */
export function identityValue(lines: string[], prefix: string): string | undefined {
  const line = lines.map((l) => l.trim()).find((l) => l !== '');
  if (line === undefined) return undefined;
  return (
    line
      .replace(new RegExp(`^\\${prefix}:\\s*`, 'i'), '')
      .replace(/^"(.*)"$/, '$1')
      .trim() || undefined
  );
}

/** "Quectel EC25 (firmware EC25EFAR06A06M4G)"; what is known of it. */
export function describeIdentity(identity: ModemIdentity): string {
  const name = [identity.manufacturer, identity.model].filter(Boolean).join(' ') || 'modem of unknown make';
  return identity.revision ? `${name} (firmware ${identity.revision})` : name;
}
