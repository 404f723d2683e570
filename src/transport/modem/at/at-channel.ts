/**
 * One AT command at a time over a byte link: writes the command, collects its information lines,
 * resolves on OK and rejects on ERROR / +CME ERROR / +CMS ERROR (see at-errors.ts) or a timeout.
 * Unsolicited lines that arrive meanwhile are told apart and emitted as 'unsolicited' events.
 * Commands such as AT+CMGS wait for the "> " prompt, then send their data and Ctrl-Z.
 *
 * A modem can answer late (the network took longer than our timeout) or answer twice, and then
 * every later answer would belong to the command before it. synchronize() (also run by itself
 * after a timeout when `resyncAfterTimeout` is set) writes a probe and waits for its answer and
 * then for quiet: only then are answers trusted again. The lines it met on the way (a late
 * "+CMGS: 12") are handed to the caller, who may know what they answer.
 */
import { EventEmitter } from 'events';
import { AtFramingError, AtLinkClosedError, AtTimeoutError, parseErrorLine } from './at-errors';
import { LineReader } from './line-reader';
import type { ReaderEvent } from './line-reader';
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
  /** Text mode: for an information line that heads a message, the length of the body after it (read by length). */
  bodyLength?: (line: string) => number | undefined;
}

export interface SyncOptions {
  /** Written to find the modem's attention (default "AT"); its echo is ignored. */
  probe?: string;
  /** Probes written before giving up (default 3). */
  attempts?: number;
  /** Wait for an answer to each probe (default 2 000 ms). */
  timeoutMs?: number;
  /** Silence after the answer that says nothing else is on its way (default 200 ms). */
  quietMs?: number;
}

interface CommandJob {
  kind: 'command';
  command: string;
  label: string;
  prefix?: string;
  promptData?: string;
  promptSent: boolean;
  timeoutMs: number;
  bodyLength?: (line: string) => number | undefined;
  misframed: boolean;
  lines: string[];
  resolve: (lines: string[]) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface SyncJob {
  kind: 'sync';
  probe: string;
  attemptsLeft: number;
  timeoutMs: number;
  quietMs: number;
  answered: boolean;
  stray: string[];
  resolve: (lines: string[]) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

type Job = CommandJob | SyncJob;

export interface AtChannelEvents {
  unsolicited: [event: UnsolicitedEvent];
  /** A command timed out: the modem may answer it late. */
  timeout: [error: AtTimeoutError];
  /** After a timeout: the channel is in step again; the lines met on the way (a late answer). */
  resynced: [strayLines: string[]];
  /** A synchronisation failed: the modem does not answer at all (hung, or not a modem any more); queued commands wait for close(). */
  desynced: [error: Error];
}

export interface AtChannelOptions {
  defaultTimeoutMs?: number;
  /** Debug log of the conversation ('>' written, '<' read); secrets are already masked. */
  log?: (line: string) => void;
  /** Resynchronise by itself after a command timed out (see synchronize()). */
  resyncAfterTimeout?: SyncOptions;
}

/** "AT+CMGR=3" -> "+CMGR:", "AT+CSQ" -> "+CSQ:"; undefined for basic commands like ATE0. */
function responsePrefixOf(command: string): string | undefined {
  const match = /^AT([+^$#%][A-Za-z0-9]+)/i.exec(command);
  return match ? `${match[1].toUpperCase()}:` : undefined;
}

/** Final result codes that answer a probe, verbose or numeric (ATV0). */
const PROBE_ANSWERS = new Set(['OK', 'ERROR', '0', '4']);

export class AtChannel extends EventEmitter<AtChannelEvents> {
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private readonly reader = new LineReader();
  private twoLineUrc: string | null = null;
  private closedReason: string | null = null;
  private readonly defaultTimeoutMs: number;

  constructor(
    private readonly link: ByteLink,
    private readonly options: AtChannelOptions = {},
  ) {
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
        kind: 'command',
        command,
        label,
        prefix: responsePrefixOf(command),
        promptData: options.promptData,
        promptSent: false,
        timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs,
        bodyLength: options.bodyLength,
        misframed: false,
        lines: [],
        resolve,
        reject,
      });
      this.next();
    });
  }

  /**
   * Before any queued command: writes the probe until the modem answers, then waits for quiet.
   * Resolves with the lines that were neither unsolicited nor a probe's answer.
   */
  synchronize(options: SyncOptions = {}): Promise<string[]> {
    if (this.closedReason !== null) return Promise.reject(new AtLinkClosedError(options.probe ?? 'AT', this.closedReason));
    return new Promise((resolve, reject) => {
      this.queue.unshift({
        kind: 'sync',
        probe: options.probe ?? 'AT',
        attemptsLeft: options.attempts ?? 3,
        timeoutMs: options.timeoutMs ?? 2000,
        quietMs: options.quietMs ?? 200,
        answered: false,
        stray: [],
        resolve,
        reject,
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
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    if (job.kind === 'sync') {
      this.writeProbe(job);
      return;
    }
    job.timer = setTimeout(() => this.onTimeout(job), job.timeoutMs);
    this.options.log?.(`> ${job.label}`);
    this.link.write(`${job.command}\r`);
  }

  private finish(job: Job, error?: Error, lines?: string[]): void {
    if (this.current !== job) return;
    clearTimeout(job.timer);
    this.current = null;
    if (error) job.reject(error);
    else job.resolve(lines ?? (job.kind === 'command' ? job.lines : job.stray));
    if (job.kind === 'sync' && error) {
      // Nothing answers: writing the queued commands would only lose them. The owner resets the link.
      this.emit('desynced', error);
      return;
    }
    this.next();
  }

  private writeProbe(job: SyncJob): void {
    job.attemptsLeft--;
    job.timer = setTimeout(() => {
      if (job.answered) this.finish(job);
      else if (job.attemptsLeft > 0) this.writeProbe(job);
      else this.finish(job, new AtTimeoutError(job.probe, job.timeoutMs));
    }, job.timeoutMs);
    this.options.log?.(`> ${job.probe}`);
    this.link.write(`${job.probe}\r`);
  }

  /** The probe was answered: wait for quiet (every byte that still comes restarts the wait). */
  private awaitQuiet(job: SyncJob): void {
    clearTimeout(job.timer);
    job.timer = setTimeout(() => this.finish(job), job.quietMs);
  }

  private onTimeout(command: CommandJob): void {
    // Abort a prompt still waiting for its data so the modem does not take the next command as text.
    if (command.promptData !== undefined && !command.promptSent) this.link.write(ESC);
    const error = new AtTimeoutError(command.label, command.timeoutMs, command.promptSent);
    const resync = this.options.resyncAfterTimeout;
    if (resync)
      this.synchronize(resync).then(
        (lines) => this.emit('resynced', lines),
        () => undefined,
      );
    this.finish(command, error);
    this.emit('timeout', error);
  }

  private onData(chunk: Buffer): void {
    this.reader.push(chunk.toString('latin1'), (event) => this.onEvent(event));
    const job = this.current;
    if (job?.kind === 'sync' && job.answered) this.awaitQuiet(job);
    if (job?.kind === 'command' && job.promptData !== undefined && !job.promptSent && this.reader.pending.trim() === '>') {
      this.reader.clearPending();
      this.sendPromptData(job);
    }
  }

  private sendPromptData(command: CommandJob): void {
    command.promptSent = true;
    this.options.log?.(`> <${(command.promptData ?? '').length} characters> ^Z`);
    this.link.write(`${command.promptData}${CTRL_Z}`);
  }

  private onEvent(event: ReaderEvent): void {
    const job = this.current;
    if (event.kind === 'body') {
      this.options.log?.(`< <body of ${event.body.length} characters>`);
      if (job?.kind !== 'command') return;
      job.lines.push(event.body);
      if (!event.aligned) job.misframed = true;
      return;
    }
    const line = event.line;
    this.options.log?.(`< ${line}`);
    if (this.twoLineUrc !== null) {
      const header = this.twoLineUrc;
      this.twoLineUrc = null;
      this.emit('unsolicited', parseUnsolicited(header, line));
      return;
    }
    if (isUnsolicited(line, job?.kind === 'command' ? job.prefix : undefined)) {
      if (startsTwoLineUrc(line)) this.twoLineUrc = line;
      else this.emit('unsolicited', parseUnsolicited(line));
      return;
    }
    if (!job) {
      this.emit('unsolicited', { type: 'other', line });
      return;
    }
    if (job.kind === 'sync') this.onSyncLine(job, line);
    else this.onCommandLine(job, line);
  }

  private onSyncLine(job: SyncJob, line: string): void {
    if (line.toUpperCase() === job.probe.toUpperCase()) return; // echo
    if (PROBE_ANSWERS.has(line)) {
      job.answered = true;
      this.awaitQuiet(job);
      return;
    }
    job.stray.push(line);
  }

  private onCommandLine(command: CommandJob, line: string): void {
    if (line === command.command || (command.promptSent && line === command.promptData)) return; // echo (before ATE0)
    if (command.promptData !== undefined && !command.promptSent && line === '>') {
      this.sendPromptData(command);
      return;
    }
    if (line === 'OK') {
      this.finish(command, command.misframed ? new AtFramingError(command.label) : undefined);
      return;
    }
    const error = parseErrorLine(line, command.label);
    if (error) {
      this.finish(command, error);
      return;
    }
    command.lines.push(line);
    const length = command.bodyLength?.(line);
    if (length !== undefined) this.reader.expectBody(length);
  }

  private onClosed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    const current = this.current;
    const queued = this.queue.splice(0);
    this.current = null;
    if (current) {
      clearTimeout(current.timer);
      const label = current.kind === 'command' ? current.label : current.probe;
      current.reject(new AtLinkClosedError(label, reason, true, current.kind === 'command' && current.promptSent));
    }
    for (const job of queued) job.reject(new AtLinkClosedError(job.kind === 'command' ? job.label : job.probe, reason, false, false));
  }
}
