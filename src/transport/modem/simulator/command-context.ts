/**
 * What a command handler of the simulator sees: the profile, the modem's settings and SIM state,
 * the message memories, and a way to add information lines to the answer. Handlers return the
 * final result; the simulator formats it as the modem's settings ask (ATV0/ATV1, +CMEE).
 */
import type { AtCommand } from './at-command-line';
import type { ModemProfile, RegistrationCommand } from './modem-profiles';
import type { SimStorage } from './sim-storage';
import type { SmsSubmit } from '../pdu';

export type SimState = 'READY' | 'SIM PIN' | 'SIM PUK' | 'NOT INSERTED' | 'NOT READY' | 'BLOCKED';

/** The modem's volatile settings: all reset by ATZ, AT&F, a power cycle or a re-plug. */
export interface ModemSettings {
  echo: boolean;
  verbose: boolean;
  /** ATQ1: no result codes at all (information lines still come). */
  quiet: boolean;
  cmee: number;
  /** 0 PDU, 1 text. */
  cmgf: number;
  cscs: string;
  /** <mode>,<mt>,<bm>,<ds>,<bfr>. */
  cnmi: number[];
  csdh: number;
  /** Text-mode send parameters: <fo>,<vp>,<pid>,<dcs>. */
  csmp: number[];
  cmms: number;
  csms: number;
  /** <mem1> read/list/delete, <mem2> write/send, <mem3> receive. */
  cpms: [string, string, string];
  registrationUrcs: Record<RegistrationCommand, number>;
  /** Vendor notices on (Huawei: until AT^CURC=0). */
  noise: boolean;
}

export interface SimulatorSession {
  settings: ModemSettings;
  sim: SimState;
  pin?: string;
  puk: string;
  pinAttempts: number;
  pukAttempts: number;
  /** +CFUN: 1 full, 0 minimum, 4 flight mode. */
  functionality: number;
  /** Until "SMS Ready": the SIM says NOT READY and SMS commands answer +CMS ERROR 314. */
  starting: boolean;
  smsc: string;
  nextReference: number;
}

/** A final result: OK, a plain ERROR, a +CME / +CMS error, a "> " prompt, or nothing (a hung modem). */
export type CommandResult =
  | { kind: 'ok' }
  | { kind: 'error' }
  | { kind: 'cme'; code: number }
  | { kind: 'cms'; code: number }
  | { kind: 'prompt'; onText: (text: string) => CommandResult }
  | { kind: 'silent' }
  /** OK with the answer lines, but only after `delayMs`: the modem is busy until then (a network that answers late). */
  | { kind: 'late'; delayMs: number };

export const OK: CommandResult = { kind: 'ok' };
export const ERROR: CommandResult = { kind: 'error' };
export const cme = (code: number): CommandResult => ({ kind: 'cme', code });
export const cms = (code: number): CommandResult => ({ kind: 'cms', code });

export interface SentSms {
  /** The message reference the simulator answered in +CMGS. */
  messageReference: number;
  pduHex: string;
  submit: SmsSubmit;
  /** The part's text as the phone would show it. */
  text: string;
  concat?: { ref: number; total: number; seq: number };
}

export interface CommandContext {
  readonly profile: ModemProfile;
  readonly session: SimulatorSession;
  /** CS (+CREG) and packet (+CGREG/+CEREG) registration <stat>, after SIM and +CFUN. */
  registration(command: RegistrationCommand): number;
  readonly operatorName: string;
  readonly rssi: number;
  readonly imsi: string;
  readonly iccid: string;
  memory(name: string): SimStorage | undefined;
  /** Adds an information line to the answer. */
  info(line: string): void;
  /** Accepts a submitted SMS (network side): faults, +CMGS reference, `sent`. */
  submit(submit: SmsSubmit, pduHex: string): CommandResult;
  /** Power cycle (AT+CFUN=1,1): settings lost, start-up notices again. */
  restart(): void;
  /** AT+CFUN=<fun>: the radio (and at 0 the SIM) off or on again. */
  setFunctionality(fun: number): void;
  /** +CNMI changed: buffered indications are flushed (<bfr> 0) or dropped (1) when <mode> leaves 0. */
  indicationsChanged(): void;
  /** AT+CNMA: true when a +CMT/+CDS was waiting for it. */
  acknowledge(): boolean;
  now(): Date;
}

export type CommandHandler = (ctx: CommandContext, command: AtCommand) => CommandResult;

/** The SIM-related error a command gets while the SIM is not usable, or undefined when it is. */
export function simBlocked(session: SimulatorSession, sms: boolean): CommandResult | undefined {
  // AT+CFUN=0 powers the SIM off: it answers as a SIM that does not work.
  if (session.functionality === 0) return sms ? cms(313) : cme(13);
  const code = { READY: 0, 'SIM PIN': 11, 'SIM PUK': 12, 'NOT INSERTED': 10, 'NOT READY': 14, BLOCKED: 13 }[session.sim];
  if (code === 0 && !(sms && session.starting)) return undefined;
  if (!sms) return cme(code === 0 ? 14 : code);
  // +CMS codes 310-316 mirror +CME 10-16 (TS 27.005 3.2.5).
  return cms(code === 0 ? 314 : 300 + code);
}

/** "(0-2)" / "(0,1,4)" as the test form of a command lists ranges. */
export function rangeList(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const contiguous = sorted.length > 2 && sorted.every((v, i) => i === 0 || v === sorted[i - 1] + 1);
  return contiguous ? `(${sorted[0]}-${sorted[sorted.length - 1]})` : `(${sorted.join(',')})`;
}
