/**
 * A GSM modem on the other end of a serial line: answers the AT command set GsmModem uses (PIN,
 * PDU mode, CNMI, CMGS/CMGR/CMGL/CMGD, CSQ/CREG/COPS), decodes what is sent so tests can read
 * the text that would reach the phone, and can inject incoming SMS, status reports and faults.
 * Answers follow TS 27.007 / 27.005 formatting ("\r\n<line>\r\n", "\r\n> " prompt).
 */
import { CME_ERRORS, CMS_ERRORS } from '../at/at-errors';
import { decodeSmsSubmit, pduHexToBuffer } from '../pdu';
import type { SmsSubmit } from '../pdu';
import { SimStorage } from './sim-storage';
import { decodeSubmittedText, deliverPdus, statusReportPdu } from './sim-messages';
import type { IncomingSmsSpec, StatusReportSpec } from './sim-messages';

export interface SimulatorPort {
  write(data: string | Buffer): void;
  onData(listener: (chunk: Buffer) => void): void;
}

export interface ModemSimulatorOptions {
  /** The SIM asks for this PIN at start (AT+CPIN? answers "SIM PIN"); absent: no PIN. */
  pin?: string;
  /** SMSC number the SIM holds (AT+CSCA?); empty makes AT+CMGS fail with +CMS ERROR 330. */
  smsc?: string;
  operatorName?: string;
  /** AT+CSQ <rssi> 0-31 (99 unknown). */
  rssi?: number;
  /** AT+CREG? <stat>: 1 home, 5 roaming, 0/2/3 not registered. */
  registration?: number;
  /** Answer "+CNMI" with ERROR for these settings (tests of the fallback). */
  unsupportedCnmi?: string[];
  storageSize?: number;
  clock?: () => Date;
  /** Called for every SMS the simulated network accepted (the CLI prints them). */
  onSent?: (sms: SentSms) => void;
}

export interface SentSms {
  /** The message reference the simulator answered in +CMGS. */
  messageReference: number;
  pduHex: string;
  submit: SmsSubmit;
  /** The part's text as the phone would show it. */
  text: string;
  concat?: { ref: number; total: number; seq: number };
}

type Mode = { kind: 'command' } | { kind: 'pdu'; length: number };

export class ModemSimulator {
  readonly storage: SimStorage;
  readonly sent: SentSms[] = [];
  /** Every command line received, PIN included (the simulator is a test tool, not a log). */
  readonly commands: string[] = [];
  private buffer = '';
  private mode: Mode = { kind: 'command' };
  private echo = true;
  private cmee = 0;
  private pinState: 'READY' | 'SIM PIN' | 'SIM PUK';
  private pinAttempts = 3;
  private pduMode = false;
  private cnmi = '0,0,0,0,0';
  private smsc: string;
  private nextReference = 1;
  private silent = false;
  private readonly sendFaults: number[] = [];
  private hangAfterSend = false;

  constructor(private readonly port: SimulatorPort, private readonly options: ModemSimulatorOptions = {}) {
    this.storage = new SimStorage(options.storageSize ?? 30);
    this.pinState = options.pin ? 'SIM PIN' : 'READY';
    this.smsc = options.smsc ?? '+447700900999';
    port.onData((chunk) => this.onData(chunk));
  }

  /** Stops answering (a hung modem) or starts again. */
  setSilent(silent: boolean): void {
    this.silent = silent;
    this.buffer = '';
    this.mode = { kind: 'command' };
  }

  /** The next AT+CMGS answers +CMS ERROR <code> (queue several for several sends). */
  failNextSend(cmsCode: number): void {
    this.sendFaults.push(cmsCode);
  }

  /** The next AT+CMGS reaches the network (it is recorded in `sent`) but the modem then hangs. */
  hangOnNextSend(): void {
    this.hangAfterSend = true;
  }

  /** After a vanish/restore the modem restarts: echo on, PIN asked again, settings lost. */
  reset(): void {
    this.echo = true;
    this.cmee = 0;
    this.pduMode = false;
    this.cnmi = '0,0,0,0,0';
    this.pinState = this.options.pin ? 'SIM PIN' : 'READY';
    this.buffer = '';
    this.mode = { kind: 'command' };
  }

  /** An SMS arrives: stored on the SIM and announced with +CMTI when AT+CNMI asked for it. */
  receiveSms(spec: IncomingSmsSpec, announce = true): number[] {
    const indexes: number[] = [];
    for (const pdu of deliverPdus(spec, this.now())) {
      const stored = this.storage.store(pdu);
      if (!stored) throw new Error('simulated SIM memory is full');
      indexes.push(stored.index);
      if (announce && this.cnmi.split(',')[1] !== '0') this.unsolicited(`+CMTI: "SM",${stored.index}`);
    }
    return indexes;
  }

  /** A status report arrives: +CDS (CNMI ds=1) or stored and +CDSI (ds=2). */
  receiveStatusReport(spec: StatusReportSpec): void {
    const pdu = statusReportPdu(spec, this.now());
    const ds = this.cnmi.split(',')[3];
    if (ds === '1') {
      this.port.write(`\r\n+CDS: ${pdu.length - 1 - pdu[0]}\r\n${pdu.toString('hex').toUpperCase()}\r\n`);
    } else if (ds === '2') {
      const stored = this.storage.store(pdu);
      if (stored) this.unsolicited(`+CDSI: "SM",${stored.index}`);
    }
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  private unsolicited(line: string): void {
    this.port.write(`\r\n${line}\r\n`);
  }

  private onData(chunk: Buffer): void {
    if (this.silent) return;
    this.buffer += chunk.toString('latin1');
    for (;;) {
      if (this.mode.kind === 'pdu') {
        // Ctrl-Z (0x1A) ends a PDU and ESC (0x1B) cancels it, as on a real modem.
        // eslint-disable-next-line no-control-regex -- these control characters are the protocol
        const end = this.buffer.search(/[\x1a\x1b]/);
        if (end < 0) return;
        const hex = this.buffer.slice(0, end).trim();
        const cancelled = this.buffer[end] === '\x1b';
        this.buffer = this.buffer.slice(end + 1);
        const length = this.mode.length;
        this.mode = { kind: 'command' };
        if (cancelled) this.port.write('\r\nOK\r\n');
        else this.onPdu(hex, length);
        continue;
      }
      const end = this.buffer.indexOf('\r');
      if (end < 0) return;
      const line = this.buffer.slice(0, end).replace(/\n/g, '').trim();
      this.buffer = this.buffer.slice(end + 1);
      if (this.echo) this.port.write(`${line}\r`);
      if (line.length > 0) this.onCommand(line);
    }
  }

  private ok(...lines: string[]): void {
    this.port.write(lines.map((l) => `\r\n${l}\r\n`).join('') + '\r\nOK\r\n');
  }

  private cmeError(code: number): void {
    this.port.write(this.cmee === 0 ? '\r\nERROR\r\n' : `\r\n+CME ERROR: ${this.cmee === 1 ? code : CME_ERRORS[code]}\r\n`);
  }

  private cmsError(code: number): void {
    this.port.write(this.cmee === 0 ? '\r\nERROR\r\n' : `\r\n+CMS ERROR: ${this.cmee === 1 ? code : CMS_ERRORS[code] ?? code}\r\n`);
  }

  private onCommand(line: string): void {
    this.commands.push(line);
    const upper = line.toUpperCase();
    if (upper === 'AT' || upper === 'ATZ' || upper === 'AT+CSMS=0' || upper.startsWith('AT+CPMS=')) return this.ok();
    if (upper === 'ATE0' || upper === 'ATE1') {
      this.echo = upper === 'ATE1';
      return this.ok();
    }
    if (upper.startsWith('AT+CMEE=')) {
      this.cmee = Number(upper.slice(8)) || 0;
      return this.ok();
    }
    if (upper === 'AT+CGMI') return this.ok('n8n-nodes-sms-gateway');
    if (upper === 'AT+CGMM') return this.ok('GSM modem simulator');
    if (upper === 'AT+CPIN?') return this.pinState === 'READY' ? this.ok('+CPIN: READY') : this.ok(`+CPIN: ${this.pinState}`);
    if (upper.startsWith('AT+CPIN=')) return this.enterPin(line.slice(8).replace(/"/g, ''));
    if (this.pinState !== 'READY') return upper.startsWith('AT+CM') ? this.cmsError(311) : this.cmeError(11);
    this.onReadyCommand(line, upper);
  }

  private enterPin(pin: string): void {
    if (this.pinState === 'READY') return this.cmeError(3);
    if (this.pinState === 'SIM PUK') return this.cmeError(12);
    if (pin === this.options.pin) {
      this.pinState = 'READY';
      this.pinAttempts = 3;
      return this.ok();
    }
    this.pinAttempts--;
    if (this.pinAttempts === 0) this.pinState = 'SIM PUK';
    this.cmeError(16);
  }

  private onReadyCommand(line: string, upper: string): void {
    if (upper.startsWith('AT+CMGF=')) {
      this.pduMode = upper.endsWith('0');
      return this.ok();
    }
    if (upper === 'AT+CSCA?') return this.ok(`+CSCA: "${this.smsc}",${this.smsc.startsWith('+') ? 145 : 129}`);
    if (upper.startsWith('AT+CSCA=')) {
      this.smsc = /"([^"]*)"/.exec(line)?.[1] ?? '';
      return this.ok();
    }
    if (upper.startsWith('AT+CNMI=')) {
      const setting = upper.slice(8);
      if (this.options.unsupportedCnmi?.includes(setting)) return this.cmsError(303);
      this.cnmi = setting;
      return this.ok();
    }
    if (upper === 'AT+CSQ') return this.ok(`+CSQ: ${this.options.rssi ?? 20},99`);
    if (upper === 'AT+CREG?') return this.ok(`+CREG: 0,${this.options.registration ?? 1}`);
    if (upper === 'AT+COPS?') return this.ok(`+COPS: 0,0,"${this.options.operatorName ?? 'Simulated Network'}",2`);
    if (upper.startsWith('AT+CMGS=')) return this.startSend(Number(upper.slice(8)));
    if (upper.startsWith('AT+CMGR=')) return this.readMessage(Number(upper.slice(8)));
    if (upper.startsWith('AT+CMGD=')) {
      return this.storage.delete(Number(upper.slice(8).split(',')[0])) ? this.ok() : this.cmsError(321);
    }
    if (upper.startsWith('AT+CMGL=')) return this.listMessages(Number(upper.slice(8)));
    this.port.write('\r\nERROR\r\n');
  }

  private startSend(length: number): void {
    if (!this.pduMode) return this.cmsError(302);
    if (!(length > 0 && length <= 164)) return this.cmsError(304);
    this.mode = { kind: 'pdu', length };
    this.port.write('\r\n> ');
  }

  private onPdu(hex: string, length: number): void {
    let submit: SmsSubmit;
    try {
      const pdu = pduHexToBuffer(hex);
      if (pdu.length - 1 - pdu[0] !== length) return this.cmsError(304);
      submit = decodeSmsSubmit(pdu);
    } catch {
      return this.cmsError(304);
    }
    if (!submit.smsc && !this.smsc) return this.cmsError(330);
    const fault = this.sendFaults.shift();
    if (fault !== undefined) return this.cmsError(fault);
    const messageReference = this.nextReference;
    this.nextReference = (this.nextReference + 1) % 256;
    const sms: SentSms = { messageReference, pduHex: hex.toUpperCase(), submit, ...decodeSubmittedText(submit) };
    this.sent.push(sms);
    this.options.onSent?.(sms);
    if (this.hangAfterSend) {
      this.hangAfterSend = false;
      this.setSilent(true);
      return;
    }
    this.ok(`+CMGS: ${messageReference}`);
  }

  private readMessage(index: number): void {
    const stored = this.storage.read(index);
    if (!stored) return this.cmsError(321);
    const status = stored.status;
    if (stored.status === 0) stored.status = 1;
    this.ok(`+CMGR: ${status},,${stored.tpduLength}`, stored.pdu);
  }

  private listMessages(status: number): void {
    const lines: string[] = [];
    for (const stored of this.storage.list(status)) {
      lines.push(`+CMGL: ${stored.index},${stored.status},,${stored.tpduLength}`, stored.pdu);
      if (stored.status === 0) stored.status = 1;
    }
    this.ok(...lines);
  }
}
