/**
 * The entries of an AT+CMGL listing or an AT+CMGR answer, in PDU mode ("+CMGL: <index>,<stat>,,
 * <length>" and the PDU on the next line) or text mode (header fields, then the text line of a
 * message; a status report has no text line), each as <stat> and a PDU in hex.
 */
import type { SmsFormat } from './modem-init';
import { textEntryToPdu } from './text-mode-codec';

export interface StoredEntry {
  /** The index (+CMGL only). */
  index?: number;
  /** 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT. */
  status: number;
  pduHex: string;
}

/** A text-mode status report: "<stat>,<fo>,<mr>,..." (a number after the status, not an address). */
const TEXT_REPORT = /^"[^"]*"\s*,\s*\d+\s*,/;

export function readStoredEntries(lines: string[], prefix: '+CMGL:' | '+CMGR:', format: SmsFormat): StoredEntry[] {
  const entries: StoredEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith(prefix)) continue;
    let fields = lines[i].slice(prefix.length).trim();
    let index: number | undefined;
    if (prefix === '+CMGL:') {
      const match = /^(\d+)\s*,\s*(.*)$/.exec(fields);
      if (!match) continue;
      index = Number(match[1]);
      fields = match[2];
    }
    if (format.mode === 'pdu') {
      if (i + 1 >= lines.length) continue;
      entries.push({ index, status: Number(/^\d+/.exec(fields)?.[0] ?? 0), pduHex: lines[++i] });
      continue;
    }
    const hasText = !TEXT_REPORT.test(fields) && i + 1 < lines.length && !lines[i + 1].startsWith(prefix);
    const entry = textEntryToPdu(fields, hasText ? lines[++i] : undefined, format.charset);
    if (entry) entries.push({ index, ...entry });
  }
  return entries;
}
