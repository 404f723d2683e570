/**
 * The network and SIM side of the simulated modem: message memories, what arrives (SMS-DELIVER
 * parts, status reports) and how it is announced (+CMTI, +CMT, +CDS, +CDSI, as +CNMI asks, see
 * indications.ts), what a send meets (no SMSC, no network, injected +CMS errors, a hang, an
 * answer that comes late, an unplug), a SIM that restarts, and registration changes with their
 * unsolicited codes. A message for a modem that cannot take it (SIM locked, radio off, not
 * registered) waits in the network, as an SMSC keeps it, until the modem can.
 */
import type { CommandResult, SentSms, SimulatorSession } from './command-context';
import type { RegistrationCommand, ModemProfile, ModemProfileId } from './modem-profiles';
import { resolveProfile } from './modem-profiles';
import { CombinedStorage, SimStorage } from './sim-storage';
import { decodeSubmittedText, deliverPdus, statusReportPdu } from './sim-messages';
import type { IncomingSmsSpec, StatusReportSpec } from './sim-messages';
import { registrationUrc } from './handlers/network-commands';
import { Indications } from './indications';
import { textModeEntry } from './text-mode-format';
import type { SmsSubmit } from '../pdu';

export interface SimulatorPort {
  write(data: string | Buffer): void;
  onData(listener: (chunk: Buffer) => void): void;
}

export interface ModemSimulatorOptions {
  /** Which modem to be (default 'generic'); `overrides` changes single traits (e.g. smsModes: [1]). */
  profile?: ModemProfileId;
  overrides?: Partial<ModemProfile>;
  /** The SIM asks for this PIN (AT+CPIN? answers "SIM PIN"); absent: no PIN. */
  pin?: string;
  /** PUK of the SIM (default 12345678). */
  puk?: string;
  /** false: no SIM card in the modem. */
  simInserted?: boolean;
  /** SMSC number the SIM holds (AT+CSCA?); empty makes AT+CMGS fail with +CMS ERROR 330. */
  smsc?: string;
  operatorName?: string;
  imsi?: string;
  iccid?: string;
  /** How long a +CMT/+CDS shown with +CSMS=1 waits for AT+CNMA before the modem turns routing off (default 15 000 ms). */
  ackTimeoutMs?: number;
  /** AT+CSQ <rssi> 0-31 (99 unknown). */
  rssi?: number;
  /** +CREG <stat>: 1 home, 5 roaming, 0 not registered, 2 searching, 3 denied. */
  registration?: number;
  /** +CGREG/+CEREG <stat> (default: as registration). */
  packetRegistration?: number;
  /** Capacity of the SIM memory "SM" (default 30); the modem's "ME" holds meStorageSize (default 50). */
  storageSize?: number;
  meStorageSize?: number;
  /** false: no vendor notices in the middle of answers. */
  noise?: boolean;
  clock?: () => Date;
  /** Called for every SMS the simulated network accepted (the CLI prints them). */
  onSent?: (sms: SentSms) => void;
}

type SendFault = { cms: number } | { hang: true } | { lateMs: number } | { unplug: true; reachesNetwork: boolean };

export abstract class SimulatedNetwork {
  readonly profile: ModemProfile;
  /** The SIM memory "SM". */
  readonly storage: SimStorage;
  readonly memories = new Map<string, SimStorage>();
  readonly sent: SentSms[] = [];
  session!: SimulatorSession;
  /** Set by the pty wrapper: unplugs the device. */
  unplug: () => void = () => undefined;
  private readonly faults: SendFault[] = [];
  /** SMS-DELIVER parts the network holds until the modem can take them, in order. */
  private readonly waiting: Buffer[] = [];
  private fullAnnounced = false;
  protected readonly indications: Indications;
  private csRegistration: number;
  private packetRegistration: number;
  /** AT+CSQ <rssi> now (see setSignal). */
  protected rssiNow: number;

  constructor(
    protected readonly port: SimulatorPort,
    protected readonly options: ModemSimulatorOptions,
  ) {
    this.profile = resolveProfile(options.profile, options.overrides);
    this.storage = new SimStorage(options.storageSize ?? 30, 'SM');
    this.memories.set('SM', this.storage);
    this.memories.set('ME', new SimStorage(options.meStorageSize ?? 50, 'ME'));
    this.memories.set('SR', new SimStorage(20, 'SR'));
    this.memories.set('MT', new CombinedStorage([this.storage, this.memories.get('ME') as SimStorage]));
    this.csRegistration = options.registration ?? 1;
    this.packetRegistration = options.packetRegistration ?? this.csRegistration;
    this.rssiNow = options.rssi ?? 20;
    this.indications = new Indications(
      (text) => this.port.write(text),
      () => this.session.settings,
      options.ackTimeoutMs ?? 15_000,
    );
    port.onData((chunk) => this.onData(chunk));
  }

  /** The modem side reads commands (ModemSimulator). */
  protected abstract onData(chunk: Buffer): void;

  /** The modem stops answering after a send (hangOnNextSend). */
  protected abstract setSilentAfterSend(): void;

  memory(name: string): SimStorage | undefined {
    return this.profile.memories.includes(name) ? this.memories.get(name) : undefined;
  }

  /** The next AT+CMGS answers +CMS ERROR <code> (queue several for several sends). */
  failNextSend(cmsCode: number): void {
    this.faults.push({ cms: cmsCode });
  }

  /** The next AT+CMGS reaches the network (it is recorded in `sent`) but the modem then hangs. */
  hangOnNextSend(): void {
    this.faults.push({ hang: true });
  }

  /**
   * The network takes the next AT+CMGS but answers only after `delayMs` (Quectel documents up to
   * 120 s): the modem is busy until then, and answers what was typed meanwhile afterwards.
   */
  answerNextSendLate(delayMs: number): void {
    this.faults.push({ lateMs: delayMs });
  }

  /** The device is unplugged in the middle of the next AT+CMGS, after (or before) the network got it. */
  unplugOnNextSend(reachesNetwork = false): void {
    this.faults.push({ unplug: true, reachesNetwork });
  }

  /** The signal changes (AT+CSQ <rssi>: 0-31, 99 unknown), as when the modem is moved or the cell fades. */
  setSignal(rssi: number): void {
    this.rssiNow = rssi;
  }

  /** Registration changes (CS, and packet/LTE); unsolicited +CREG/+CGREG/+CEREG where enabled. */
  setRegistration(stat: number, packetStat = stat): void {
    this.csRegistration = stat;
    this.packetRegistration = packetStat;
    for (const command of this.profile.registrationCommands) {
      const n = this.session.settings.registrationUrcs[command];
      if (n > 0) this.unsolicited(registrationUrc(command, this.registrationOf(command), n, this.profile.accessTechnology));
    }
  }

  protected registrationOf(command: RegistrationCommand): number {
    const s = this.session;
    if (s.sim !== 'READY' || s.functionality !== 1 || s.starting) return s.starting && s.sim !== 'NOT INSERTED' ? 2 : 0;
    return command === '+CREG' ? this.csRegistration : this.packetRegistration;
  }

  /** The modem can take a message from the network: SIM unlocked, radio on, registered. */
  private get reachable(): boolean {
    return [1, 5].includes(this.registrationOf('+CREG')) || [1, 5].includes(this.registrationOf('+CEREG'));
  }

  /**
   * An SMS arrives: stored in <mem3> (with "MT": the SIM, then the modem memory) and announced as
   * +CNMI asks. A modem that cannot take it now (SIM locked, radio off, <mem3> full) gets it once
   * it can: the network keeps it (TS 24.011: the phone answered "memory capacity exceeded", and
   * tells the network when a slot is free), so the parts of one message may arrive apart.
   * `announce: false` puts it in the memory as if it had arrived earlier, unannounced.
   * Returns the indexes it was stored at now (none while the network keeps it).
   */
  receiveSms(spec: IncomingSmsSpec, announce = true): number[] {
    const pdus = deliverPdus(spec, this.now());
    if (!announce) {
      return pdus.map((pdu) => {
        const placed = this.store(pdu, false);
        if (placed === undefined) throw new Error(`simulated message memory ${this.session.settings.cpms[2]} is full`);
        return placed;
      });
    }
    this.waiting.push(...pdus);
    return this.deliverWaiting();
  }

  /** Hands the network's waiting messages to a modem that can take them now (also after every command). */
  protected deliverWaiting(): number[] {
    const indexes: number[] = [];
    while (this.waiting.length > 0 && this.reachable) {
      const placed = this.store(this.waiting[0], true);
      if (placed === undefined) {
        this.memoryFull();
        break;
      }
      this.waiting.shift();
      this.fullAnnounced = false;
      if (placed >= 0) indexes.push(placed);
    }
    return indexes;
  }

  /** One SMS-DELIVER into <mem3> (or shown directly with <mt> 2: -1); undefined when <mem3> is full. */
  private store(pdu: Buffer, announce: boolean): number | undefined {
    const mt = this.session.settings.cnmi[1];
    if (announce && mt === 2) {
      this.twoLineUrc(`+CMT: ,${pdu.length - 1 - pdu[0]}`, pdu);
      return -1;
    }
    const target = this.session.settings.cpms[2];
    let offset = 0;
    for (const name of target === 'MT' ? ['SM', 'ME'] : [target]) {
      const memory = this.memories.get(name);
      const stored = memory?.store(pdu);
      if (!stored) {
        offset += memory?.capacity ?? 0;
        continue;
      }
      const announced = target === 'MT' && this.profile.announceMt ? `"MT",${stored.index + offset}` : `"${name}",${stored.index}`;
      if (announce && (mt === 1 || mt === 3)) this.indications.indicate(`\r\n+CMTI: ${announced}\r\n`);
      return stored.index;
    }
    return undefined;
  }

  /** The vendor's notice that <mem3> is full, once until a message fits again. */
  private memoryFull(): void {
    if (this.fullAnnounced || !this.profile.memoryFullUrc) return;
    this.fullAnnounced = true;
    this.unsolicited(this.profile.memoryFullUrc.replace('{mem}', this.session.settings.cpms[2]));
  }

  /**
   * A status report arrives: +CDS (<ds> 1), or stored in the profile's report memory and
   * announced with +CDSI (<ds> 2); with <ds> 0 the modem keeps nothing (TS 27.005 3.4.1).
   */
  receiveStatusReport(spec: StatusReportSpec): void {
    const pdu = statusReportPdu(spec, this.now());
    const ds = this.session.settings.cnmi[3];
    if (ds === 1) this.twoLineUrc(`+CDS: ${pdu.length - 1 - pdu[0]}`, pdu);
    else if (ds === 2) {
      const memoryName = this.profile.reportMemory;
      const stored = this.memories.get(memoryName)?.store(pdu);
      if (stored) this.indications.indicate(`\r\n+CDSI: "${memoryName}",${stored.index}\r\n`);
    }
  }

  /** +CMT / +CDS: the PDU on the next line in PDU mode; in text mode the fields (and text). */
  private twoLineUrc(pduHeader: string, pdu: Buffer): void {
    const hex = pdu.toString('hex').toUpperCase();
    const { cmgf, cscs, csdh } = this.session.settings;
    if (cmgf === 0) {
      this.indications.indicate(`\r\n${pduHeader}\r\n${hex}\r\n`, true);
      return;
    }
    const entry = textModeEntry(hex, 0, cscs, csdh);
    const fields = entry.fields.replace(/^"REC UNREAD",/, '');
    this.indications.indicate(entry.text === undefined ? `\r\n+CDS: ${fields}\r\n` : `\r\n+CMT: ${fields}\r\n${entry.text}\r\n`, true);
  }

  /**
   * The SIM restarts mid-session (a brown-out, a loose card): "+CPIN: NOT READY", and after
   * `notReadyMs` it asks for its PIN again (or is ready, without a PIN). The modem keeps its settings.
   */
  restartSim(notReadyMs = 300): void {
    this.session.sim = 'NOT READY';
    this.unsolicited('+CPIN: NOT READY');
    const timer = setTimeout(() => {
      if (this.session.sim !== 'NOT READY') return;
      this.session.sim = this.options.simInserted === false ? 'NOT INSERTED' : this.session.pin ? 'SIM PIN' : 'READY';
      this.unsolicited(`+CPIN: ${this.session.sim}`);
    }, notReadyMs);
    timer.unref();
  }

  protected acceptSubmit(submit: SmsSubmit, pduHex: string, lines: string[]): CommandResult {
    if (!this.reachable) return { kind: 'cms', code: 331 };
    if (!submit.smsc && !this.session.smsc) return { kind: 'cms', code: 330 };
    const fault = this.faults.shift();
    if (fault && 'cms' in fault) return { kind: 'cms', code: fault.cms };
    if (fault && 'unplug' in fault && !fault.reachesNetwork) {
      this.unplug();
      return { kind: 'silent' };
    }
    const messageReference = this.session.nextReference;
    this.session.nextReference = (messageReference + 1) % 256;
    const sms: SentSms = { messageReference, pduHex, submit, ...decodeSubmittedText(submit) };
    this.sent.push(sms);
    this.options.onSent?.(sms);
    lines.push(`+CMGS: ${messageReference}`);
    if (fault && 'lateMs' in fault) return { kind: 'late', delayMs: fault.lateMs };
    if (fault) {
      lines.length = 0;
      if ('unplug' in fault) this.unplug();
      else this.setSilentAfterSend();
      return { kind: 'silent' };
    }
    return { kind: 'ok' };
  }

  protected unsolicited(line: string): void {
    this.port.write(`\r\n${line}\r\n`);
  }

  protected now(): Date {
    return this.options.clock?.() ?? new Date();
  }
}
