/**
 * One AT command at a time over a byte link: writes the command, collects its information lines,
 * resolves on OK and rejects on ERROR / +CME ERROR / +CMS ERROR (see at-errors.ts) or a timeout.
 * Unsolicited lines that arrive meanwhile are told apart and emitted as 'unsolicited' events.
 * Commands such as AT+CMGS wait for the "> " prompt, then send their data and Ctrl-Z.
 */
import { EventEmitter } from 'events';
import { AtLinkClosedError, AtTimeoutError, parseErrorLine } from './at-errors';
import { isUnsolicited, parseUnsolicited, startsTwoLineUrc } from './unsolicited';
import type { UnsolicitedEvent } from './unsolicited';
import type { ByteLink } from './byte-link';

const CTRL_Z = '\x1a';
const ESC = '\x1b';

export interface AtCommandOptions {
  timeoutMs?: number;
  /** Data to write after the "> " prompt (then Ctrl-Z), e.g. the PDU of AT+CMGS. */
  promptData?: string;
  /** Shown in logs and errors instead of the command, to keep secrets (the PIN) out of them. */
  label?: string;
}

interface PendingCommand {
  command: string;
  label: string;
  prefix?: string;
  promptData?: string;
  promptSent: boolean;
  timeoutMs: number;
  lines: string[];
  resolve: (lines: string[]) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

export interface AtChannelEvents {
  unsolicited: [event: UnsolicitedEvent];
  /** A command timed out: the modem may answer it late, so callers usually reset the link. */
  timeout: [error: AtTimeoutError];
}

export interface AtChannelOptions {
  defaultTimeoutMs?: number;
  /** Debug log of the conversation ('>' written, '<' read); secrets are already masked. */
  log?: (line: string) => void;
}

/** "AT+CMGR=3" -> "+CMGR:", "AT+CSQ" -> "+CSQ:"; undefined for basic commands like ATE0. */
function responsePrefixOf(command: string): string | undefined {
  const match = /^AT([+^$#%][A-Za-z0-9]+)/i.exec(command);
  return match ? `${match[1].toUpperCase()}:` : undefined;
}

export class AtChannel extends EventEmitter<AtChannelEvents> {
  private readonly queue: PendingCommand[] = [];
  private current: PendingCommand | null = null;
  private buffer = '';
  private twoLineUrc: string | null = null;
  private closedReason: string | null = null;
  private readonly defaultTimeoutMs: number;

  constructor(private readonly link: ByteLink, private readonly options: AtChannelOptions = {}) {
    super();
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 10_000;
    link.onData((chunk) => this.onData(chunk));
    link.onClose((reason) => this.onClosed(reason));
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  /** Runs a command (without the trailing CR); resolves with its information lines. */
  run(command: string, options: AtCommandOptions = {}): Promise<string[]> {
    const label = options.label ?? command;
    if (this.closedReason !== null) return Promise.reject(new AtLinkClosedError(label, this.closedReason));
    return new Promise((resolve, reject) => {
      this.queue.push({
        command, label, prefix: responsePrefixOf(command), promptData: options.promptData, promptSent: false,
        timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs, lines: [], resolve, reject,
      });
      this.next();
    });
  }

  /** Fails every queued command; the link itself is closed by its owner. */
  close(reason: string): void {
    this.onClosed(reason);
  }

  private next(): void {
    if (this.current || this.closedReason !== null) return;
    const command = this.queue.shift();
    if (!command) return;
    this.current = command;
    command.timer = setTimeout(() => this.onTimeout(command), command.timeoutMs);
    this.options.log?.(`> ${command.label}`);
    this.link.write(`${command.command}\r`);
  }

  private finish(command: PendingCommand, error?: Error): void {
    if (this.current !== command) return;
    clearTimeout(command.timer);
    this.current = null;
    if (error) command.reject(error);
    else command.resolve(command.lines);
    this.next();
  }

  private onTimeout(command: PendingCommand): void {
    // Abort a half-written AT+CMGS so the modem does not take the next command as PDU text.
    if (command.promptData !== undefined) this.link.write(ESC);
    const error = new AtTimeoutError(command.label, command.timeoutMs, command.promptSent);
    this.finish(command, error);
    this.emit('timeout', error);
  }

  private onData(chunk: Buffer): void {
    this.buffer += chunk.toString('latin1');
    let match: RegExpExecArray | null;
    while ((match = /[\r\n]/.exec(this.buffer))) {
      const line = this.buffer.slice(0, match.index).trim();
      this.buffer = this.buffer.slice(match.index + 1);
      if (line.length > 0) this.onLine(line);
    }
    const command = this.current;
    if (command && command.promptData !== undefined && !command.promptSent && this.buffer.trim() === '>') {
      this.buffer = '';
      this.sendPromptData(command);
    }
  }

  private sendPromptData(command: PendingCommand): void {
    command.promptSent = true;
    this.options.log?.(`> <${(command.promptData ?? '').length / 2} octets> ^Z`);
    this.link.write(`${command.promptData}${CTRL_Z}`);
  }

  private onLine(line: string): void {
    this.options.log?.(`< ${line}`);
    if (this.twoLineUrc !== null) {
      const header = this.twoLineUrc;
      this.twoLineUrc = null;
      this.emit('unsolicited', parseUnsolicited(header, line));
      return;
    }
    const command = this.current;
    if (isUnsolicited(line, command?.prefix)) {
      if (startsTwoLineUrc(line)) this.twoLineUrc = line;
      else this.emit('unsolicited', parseUnsolicited(line));
      return;
    }
    if (!command) {
      this.emit('unsolicited', { type: 'other', line });
      return;
    }
    if (line === command.command || (command.promptSent && line === command.promptData)) return; // echo (before ATE0)
    if (command.promptData !== undefined && !command.promptSent && line === '>') {
      this.sendPromptData(command);
      return;
    }
    if (line === 'OK') {
      this.finish(command);
      return;
    }
    const error = parseErrorLine(line, command.label);
    if (error) {
      this.finish(command, error);
      return;
    }
    command.lines.push(line);
  }

  private onClosed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    const current = this.current;
    const queued = this.queue.splice(0);
    this.current = null;
    if (current) {
      clearTimeout(current.timer);
      current.reject(new AtLinkClosedError(current.label, reason, true, current.promptSent));
    }
    for (const command of queued) command.reject(new AtLinkClosedError(command.label, reason, false, false));
  }
}
