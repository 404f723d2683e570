/**
 * The entries of an AT+CMGL listing or an AT+CMGR answer, in PDU mode ("+CMGL: <index>,<stat>,,
 * <length>" and the PDU on the next line) or text mode (header fields, then the body of a
 * message, read by its length where it can say anything; a status report has no body), each as
 * <stat> and a PDU in hex.
 */
import type { SmsFormat } from './sms-format';
import { textBodyLength, textEntryToPdu } from './text-mode-codec';

export interface StoredEntry {
  /** The index (+CMGL only). */
  index?: number;
  /** 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT. */
  status: number;
  /** '' for an entry that could not be read (left where it is). */
  pduHex: string;
}

/** A text-mode status report: "<stat>,<fo>,<mr>,..." (a number after the status, not an address). */
const TEXT_REPORT = /^"[^"]*"\s*,\s*\d+\s*,/;

export function readStoredEntries(lines: string[], prefix: '+CMGL:' | '+CMGR:', format: SmsFormat): StoredEntry[] {
  const entries: StoredEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith(prefix)) continue;
    let fields = line.slice(prefix.length).trim();
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
    let body: string | undefined;
    if (!TEXT_REPORT.test(fields)) {
      // A body read by its length is the next line whatever it says; a hex body is a line of
      // its own (absent when empty).
      const byLength = textBodyLength(line, prefix, format.charset) !== undefined;
      if (byLength || (i + 1 < lines.length && !lines[i + 1].startsWith(prefix))) body = lines[++i];
    }
    const entry = textEntryToPdu(fields, body, format.charset);
    entries.push({ index, ...(entry ?? { status: 0, pduHex: '' }) });
  }
  return entries;
}
