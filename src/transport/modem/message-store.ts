/**
 * The modem's message memories as the inbound reader uses them: list, read and delete in a given
 * memory. The memory is selected (AT+CPMS="<mem>") before every use unless the last selection is
 * known to have worked: a selection that failed (SIM busy) leaves it unknown, so the next use
 * selects again instead of reading the wrong memory. In text mode each message is read alone
 * with AT+CMGR (a listing can be cut short by a message that says "OK"), its body by its length.
 */
import type { AtChannel } from './at/at-channel';
import { AtCommandError, AtFramingError } from './at/at-errors';
import { isHexCharset } from './sms-format';
import type { SmsFormat } from './sms-format';
import { readStoredEntries } from './stored-entries';
import type { StoredEntry } from './stored-entries';
import { parseTextHeader, textBodyLength } from './text-mode-codec';
import type { ModemStorageSlot } from './types';

const SELECT_ATTEMPTS = 3;
const SELECT_RETRY_MS = 300;

export class MessageStore {
  /** The memory AT+CPMS last selected, undefined when unknown. */
  private selected: string | undefined;
  private warnedUnreadable = false;

  constructor(
    private readonly format: () => SmsFormat,
    private readonly log?: (line: string) => void,
  ) {}

  /** After a (re)connect: the initialisation selected this memory. */
  reset(memory: string | undefined): void {
    this.selected = memory;
  }

  /** Selects the memory (retried while the SIM is busy); "+CPMS: <used>,<total>,..." of it. */
  private async select(channel: AtChannel, memory: string, force = false): Promise<{ used: number; total: number } | undefined> {
    if (this.selected === memory && !force) return undefined;
    this.selected = undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const lines = await channel.run(`AT+CPMS="${memory}"`);
        this.selected = memory;
        const counts = /^\+CPMS:\s*(\d+)\s*,\s*(\d+)/.exec(lines.find((l) => l.startsWith('+CPMS:')) ?? '');
        return counts ? { used: Number(counts[1]), total: Number(counts[2]) } : undefined;
      } catch (err) {
        const busy = err instanceof AtCommandError && ((err.kind === 'cms' && err.code === 314) || (err.kind === 'cme' && err.code === 14));
        if (!busy || attempt >= SELECT_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, SELECT_RETRY_MS));
      }
    }
  }

  /** Every entry in `memory`, with its index. */
  async list(channel: AtChannel, memory: string): Promise<StoredEntry[]> {
    const format = this.format();
    if (format.mode === 'pdu') {
      await this.select(channel, memory);
      return readStoredEntries(await channel.run('AT+CMGL=4'), '+CMGL:', format);
    }
    if (format.reading === 'none') {
      if (!this.warnedUnreadable)
        this.log?.('received messages are left on the SIM: this text-mode modem cannot show their length (AT+CSDH=1), so they cannot be read safely');
      this.warnedUnreadable = true;
      return [];
    }
    const counts = await this.select(channel, memory, true);
    const entries: StoredEntry[] = [];
    let found = 0;
    // Index 0 too: some modems count a memory from 0. Stop once every stored entry was met.
    for (let index = 0; index <= (counts?.total ?? 0) && found < (counts?.used ?? 0); index++) {
      const entry = await this.readSelected(channel, memory, index);
      if (!entry) continue;
      found++;
      entries.push({ ...entry, index });
    }
    return entries;
  }

  /** The entry at `slot`, undefined when the slot is empty. */
  async read(channel: AtChannel, slot: ModemStorageSlot): Promise<StoredEntry | undefined> {
    await this.select(channel, slot.memory);
    return this.readSelected(channel, slot.memory, slot.index);
  }

  async delete(channel: AtChannel, slot: ModemStorageSlot): Promise<void> {
    await this.select(channel, slot.memory);
    await channel.run(`AT+CMGD=${slot.index}`);
  }

  private async readSelected(channel: AtChannel, memory: string, index: number): Promise<StoredEntry | undefined> {
    const format = this.format();
    if (format.mode === 'text' && format.reading === 'none') return undefined;
    let lines: string[];
    try {
      lines = await channel.run(`AT+CMGR=${index}`, format.mode === 'text' ? { bodyLength: (line) => textBodyLength(line, '+CMGR:', format.charset) } : {});
    } catch (err) {
      if (err instanceof AtCommandError && err.kind === 'cms' && err.code === 321) return undefined; // no such index: empty
      if (err instanceof AtFramingError) {
        // The body did not end where its length said: whatever follows may be out of step.
        await channel.synchronize();
        throw new Error(`the message at ${memory} ${index} could not be read safely (its text did not match its length); it stays on the SIM`);
      }
      throw err;
    }
    if (format.mode === 'text' && this.unframed(lines, format.charset)) {
      // A header without the length its body needs: the body may have said "OK" and ended the
      // answer early. Back in step, and the message stays where it is.
      await channel.synchronize();
      return { status: 0, pduHex: '' };
    }
    return readStoredEntries(lines, '+CMGR:', format)[0];
  }

  /** A GSM/IRA text whose header gives no length (or no <dcs>): its body cannot be told from the answer's end. */
  private unframed(lines: string[], charset: string): boolean {
    const header = lines.find((l) => l.startsWith('+CMGR:'));
    if (!header || isHexCharset(charset)) return false;
    const parsed = parseTextHeader(header.slice(6).trim());
    return parsed !== undefined && parsed.kind !== 'report' && (parsed.dcs === undefined || parsed.length === undefined);
  }
}
