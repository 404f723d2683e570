/**
 * A GSM modem on the other end of a serial line, speaking 3GPP TS 27.007 / 27.005 as the chosen
 * profile's modem does (modem-profiles.ts): command lines parsed as V.250 says
 * (at-command-line.ts), one handler per command (handlers/), answers in the modem's current
 * format (echo, ATV0/ATV1, ATQ1, +CMEE 0/1/2 in the vendor's own words, error-wording.ts), the
 * "> " prompt ended by Ctrl-Z or cancelled by Esc, start-up notices, vendor notices in the middle
 * of answers, a modem busy until a late answer. The network side (what it accepts, what
 * arrives, faults to inject) is in simulated-network.ts.
 */
import { parseCommandLine } from './at-command-line';
import type { AtCommand } from './at-command-line';
import type { CommandContext, CommandHandler, CommandResult } from './command-context';
import { GENERAL_COMMANDS } from './handlers/general-commands';
import { NETWORK_COMMANDS } from './handlers/network-commands';
import { SIM_COMMANDS } from './handlers/sim-commands';
import { SMS_SEND_COMMANDS } from './handlers/sms-send-commands';
import { SMS_SETTINGS_COMMANDS } from './handlers/sms-settings-commands';
import { SMS_STORAGE_COMMANDS } from './handlers/sms-storage-commands';
import { VENDOR_COMMANDS } from './handlers/vendor-commands';
import { verboseError } from './error-wording';
import type { RegistrationCommand } from './modem-profiles';
import { SimulatedNetwork } from './simulated-network';
import type { ModemSimulatorOptions, SimulatorPort } from './simulated-network';
import { newSession, simAfterStartup } from './sim-session';

export type { ModemSimulatorOptions, SimulatorPort } from './simulated-network';
export type { SentSms } from './command-context';

const HANDLERS: Record<string, CommandHandler> = {
  ...GENERAL_COMMANDS,
  ...SIM_COMMANDS,
  ...NETWORK_COMMANDS,
  ...SMS_SETTINGS_COMMANDS,
  ...SMS_STORAGE_COMMANDS,
  ...SMS_SEND_COMMANDS,
  ...VENDOR_COMMANDS,
};

const REGISTRATION_COMMANDS = new Set(['+CREG', '+CGREG', '+CEREG']);

export class ModemSimulator extends SimulatedNetwork {
  /** Every command line received, PIN included (the simulator is a test tool, not a log). */
  readonly commands: string[] = [];
  private buffer = '';
  private prompt: ((text: string) => CommandResult) | null = null;
  /** The answer lines of the command waiting at the prompt (its handler fills them after the text). */
  private promptLines: string[] = [];
  private silent = false;
  /** Until a late answer is written, typed commands wait in the buffer. */
  private busyTimer: NodeJS.Timeout | null = null;
  private startupTimer: NodeJS.Timeout | null = null;
  private answers = 0;

  constructor(port: SimulatorPort, options: ModemSimulatorOptions = {}) {
    super(port, options);
    this.powerOn(true);
  }

  /** Stops answering (a hung modem) or starts again. */
  setSilent(silent: boolean): void {
    this.silent = silent;
    this.buffer = '';
    this.prompt = null;
  }

  /**
   * After a vanish/restore or AT+CFUN=1,1 the modem restarts: settings lost, start-up again; the
   * SIM keeps its PIN, PUK and lock. `announce: false` holds the start-up notices until
   * announceStartup() (the port is not there yet while a re-plug is under way).
   */
  reset(options: { announce?: boolean } = {}): void {
    const card = this.session;
    this.powerOn(options.announce ?? true);
    // The last message reference is kept on the SIM (EF SMSS), so references go on after a restart.
    this.session.nextReference = card.nextReference;
    this.session.pin = card.pin;
    this.session.puk = card.puk;
    this.session.pinAttempts = card.pinAttempts;
    this.session.pukAttempts = card.pukAttempts;
    if (card.sim === 'SIM PUK' || card.sim === 'BLOCKED') this.session.sim = card.sim;
  }

  protected override setSilentAfterSend(): void {
    this.setSilent(true);
  }

  announceStartup(): void {
    const urcs = [...this.profile.bootUrcs];
    if (urcs.length > 0 && !this.session.starting) urcs.push(...this.cpinUrc());
    for (const line of urcs) this.unsolicited(line);
  }

  /** Stops the start-up timer (the simulator is being stopped). */
  dispose(): void {
    if (this.startupTimer) clearTimeout(this.startupTimer);
    if (this.busyTimer) clearTimeout(this.busyTimer);
    this.startupTimer = null;
    this.busyTimer = null;
    this.indications.dispose();
  }

  private powerOn(announce: boolean): void {
    this.dispose();
    this.session = newSession(this.profile, this.options, this.session?.smsc ?? this.options.smsc ?? '+447700900999');
    this.buffer = '';
    this.prompt = null;
    if (announce) this.announceStartup();
    if (!this.session.starting) return;
    // Two stages, as a SIM800 shows them: the SIM is ready half-way ("+CPIN: READY"), the SMS
    // service only at the end ("SMS Ready"); until then SMS commands answer +CMS ERROR 314.
    this.startupTimer = setTimeout(() => {
      const session = this.session;
      if (session.sim === 'NOT READY') session.sim = simAfterStartup(this.options);
      for (const line of this.cpinUrc()) this.unsolicited(line);
      this.startupTimer = setTimeout(() => {
        this.startupTimer = null;
        this.session.starting = false;
        for (const line of this.profile.readyUrcs) this.unsolicited(line);
      }, this.profile.startupMs / 2);
      this.startupTimer.unref();
    }, this.profile.startupMs / 2);
    this.startupTimer.unref();
  }

  private cpinUrc(): string[] {
    return this.session.sim === 'READY' || this.session.sim === 'SIM PIN' || this.session.sim === 'SIM PUK'
      ? [`+CPIN: ${this.session.sim}`]
      : this.session.sim === 'NOT INSERTED'
        ? ['+CPIN: NOT INSERTED']
        : [];
  }

  protected override onData(chunk: Buffer): void {
    if (this.silent) return;
    this.buffer += chunk.toString('latin1');
    this.processInput();
  }

  private processInput(): void {
    for (;;) {
      if (this.busyTimer) return;
      if (this.prompt) {
        // Ctrl-Z (0x1A) ends the text and Esc (0x1B) cancels it, as on a real modem.
        // eslint-disable-next-line no-control-regex -- these control characters are the protocol
        const end = this.buffer.search(/[\x1a\x1b]/);
        if (end < 0) return;
        const text = this.buffer.slice(0, end).replace(/^[\r\n]+/, '');
        const cancelled = this.buffer[end] === '\x1b';
        this.buffer = this.buffer.slice(end + 1);
        const onText = this.prompt;
        this.prompt = null;
        if (this.session.settings.echo) this.port.write(text);
        const lines = this.promptLines;
        this.finish(lines, cancelled ? { kind: 'ok' } : onText(text));
        continue;
      }
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) return;
      // A modem waits for "AT": what comes before it (a stray Esc, line noise) is not a command.
      const raw = this.buffer.slice(0, end);
      const at = raw.search(/AT/i);
      const line = (at > 0 ? raw.slice(at) : raw).trim();
      this.buffer = this.buffer.slice(end + 1);
      if (line.length === 0) continue;
      if (this.session.settings.echo) this.port.write(`${line}\r`);
      this.commands.push(line);
      this.runLine(line);
      this.indications.afterCommand();
      this.deliverWaiting();
      if (this.silent) return;
    }
  }

  private runLine(line: string): void {
    const commands = parseCommandLine(line);
    const lines: string[] = [];
    if (!commands) return this.finish(lines, { kind: 'error' });
    let result: CommandResult = { kind: 'ok' };
    for (const command of commands) {
      result = this.dispatch(command, lines);
      if (result.kind !== 'ok') break;
    }
    this.finish(lines, result);
  }

  private dispatch(command: AtCommand, lines: string[]): CommandResult {
    const handler = HANDLERS[command.name];
    if (!handler || (REGISTRATION_COMMANDS.has(command.name) && !this.profile.registrationCommands.includes(command.name as RegistrationCommand))) {
      return { kind: 'error' };
    }
    return handler(this.context(lines), command);
  }

  private context(lines: string[]): CommandContext {
    return {
      profile: this.profile,
      session: this.session,
      registration: (command) => this.registrationOf(command),
      operatorName: this.options.operatorName ?? 'Simulated Network',
      rssi: this.rssiNow,
      imsi: this.options.imsi ?? '234991234567890',
      iccid: this.options.iccid ?? '8944991234567890123',
      memory: (name) => this.memory(name),
      info: (line) => lines.push(line),
      submit: (submit, hex) => this.acceptSubmit(submit, hex, lines),
      restart: () => setImmediate(() => this.reset()),
      setFunctionality: (fun) => this.setFunctionality(fun),
      indicationsChanged: () => this.indications.changed(),
      acknowledge: () => this.indications.acknowledge(),
      now: () => this.now(),
    };
  }

  /** AT+CFUN: 0 powers the SIM off, 4 only the radio; back at 1 the SIM starts again (and asks for its PIN). */
  private setFunctionality(fun: number): void {
    const session = this.session;
    const wasOff = session.functionality === 0;
    session.functionality = fun;
    if (wasOff && fun !== 0 && session.sim !== 'NOT INSERTED' && session.sim !== 'SIM PUK' && session.sim !== 'BLOCKED') {
      session.sim = session.pin ? 'SIM PIN' : 'READY';
      setImmediate(() => {
        for (const line of this.cpinUrc()) this.unsolicited(line);
      });
    }
  }

  private finish(lines: string[], result: CommandResult): void {
    if (result.kind === 'silent') return;
    if (result.kind === 'late') {
      // Busy until the network answers: nothing is written, and typed commands wait.
      this.busyTimer = setTimeout(() => {
        this.busyTimer = null;
        this.finish(lines, { kind: 'ok' });
        this.processInput();
      }, result.delayMs);
      this.busyTimer.unref();
      return;
    }
    const verbose = this.session.settings.verbose;
    const noisy = this.noiseLine(lines.length);
    if (noisy) lines.splice(this.profile.noiseAt === 'inside' ? 1 : 0, 0, noisy);
    // V.250 frames the information text as a whole: lines of one answer (a header and its body)
    // are separated by a single CR LF, as TS 27.005 shows "+CMGR: ...<CR><LF><data>".
    let out = lines.length === 0 ? '' : verbose ? `\r\n${lines.join('\r\n')}\r\n` : lines.map((l) => `${l}\r\n`).join('');
    if (result.kind === 'prompt') {
      this.prompt = result.onText;
      lines.length = 0;
      this.promptLines = lines;
      this.port.write(`${out}\r\n> `);
      return;
    }
    if (!this.session.settings.quiet) {
      const final = this.finalText(result);
      out += verbose ? `\r\n${final}\r\n` : `${final}\r`;
    }
    if (out !== '') this.port.write(out);
  }

  private finalText(result: CommandResult): string {
    const verbose = this.session.settings.verbose;
    const cmee = this.session.settings.cmee;
    switch (result.kind) {
      case 'ok':
        return verbose ? 'OK' : '0';
      case 'cme':
        if (cmee === 0) return verbose ? 'ERROR' : '4';
        return `+CME ERROR: ${cmee === 1 ? result.code : verboseError(this.profile.id, 'cme', result.code)}`;
      case 'cms':
        // +CMS ERROR is given whatever +CMEE says (TS 27.005 3.2.5); +CMEE=2 makes it verbose.
        return `+CMS ERROR: ${cmee === 2 ? verboseError(this.profile.id, 'cms', result.code) : result.code}`;
      default:
        return verbose ? 'ERROR' : '4';
    }
  }

  /** Every second answer with information lines gets a vendor notice, before them or after the first. */
  private noiseLine(infoLines: number): string | undefined {
    const noise = this.options.noise === false || !this.session.settings.noise ? [] : this.profile.noise;
    if (noise.length === 0 || infoLines === 0) return undefined;
    this.answers++;
    return this.answers % 2 === 0 ? noise[(this.answers / 2) % noise.length] : undefined;
  }
}
