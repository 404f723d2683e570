/**
 * The connection side of a GSM modem: opens the serial device, initialises the modem (see
 * modem-init.ts), keeps watch (an AT on an idle modem, the device node while a send waits),
 * gets back in step after a command timed out (the modem may answer it late: that answer is
 * handed to synced(), never taken for the answer of the next command), notices a vanished or
 * hung device, a SIM that restarted or a modem that restarted by itself, and reconnects with backoff, gives up after a permanent
 * error (a wrong PIN is never retried), and closes. GsmModem builds sending and receiving on it.
 */
import { EventEmitter } from 'events';
import { existsSync } from 'fs';
import { backoffDelay } from '../smpp/backoff';
import { AtChannel } from './at/at-channel';
import type { ByteLink } from './at/byte-link';
import type { UnsolicitedEvent } from './at/unsolicited';
import { SYNC_PROBE } from './init-commands';
import type { MemoryChoice, ModemIdentity } from './modem-capabilities';
import { initializeModem } from './modem-init';
import type { ModemInitResult, SmsFormat } from './modem-init';
import { ModemInitError } from './modem-init-error';
import { openSerialLink } from './serial-link';
import type { GsmModemEvents, GsmModemOptions, ModemState, StatusReportRouting } from './types';

const DEVICE_WATCH_MS = 1000;

export abstract class ModemLink extends EventEmitter<GsmModemEvents> {
  protected stateValue: ModemState = 'idle';
  protected channel: AtChannel | null = null;
  private link: ByteLink | null = null;
  private openPromise: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private deviceWatchTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private setup: ModemInitResult;

  constructor(readonly options: GsmModemOptions) {
    super();
    const storage = options.storage ?? 'SM';
    this.setup = {
      format: { mode: 'pdu' },
      statusReports: 'none',
      identity: {},
      memories: { read: storage, receive: storage, scan: [storage] },
      strayLines: [],
      notes: [],
      acknowledge: false,
    };
    // A failed first open leaves no listener for 'error'; keep Node from throwing on it.
    this.on('error', () => undefined);
  }

  /** The modem is initialised (first open or reconnect): send what waits, read what is stored. */
  protected abstract linkReady(): void;
  /** The device went away or hung; a reconnect follows. */
  protected abstract linkLost(reason: string): void;
  protected abstract unsolicited(event: UnsolicitedEvent): void;
  /**
   * The channel is in step again (after a timeout, or at a (re)connect); `strayLines` arrived
   * unasked on the way: a late "+CMGS: <mr>" answers the send that timed out. Called before
   * linkReady() and before anything queued is written.
   */
  protected abstract synced(strayLines: string[]): void;
  /** A send is under way (the keep-alive then only checks the device node). */
  protected abstract get busy(): boolean;
  /** Fails what waits to be sent: the modem was closed or given up on. */
  protected abstract failQueued(message: string, reason: 'closed' | 'retries_exhausted'): void;
  /** Timers of the subclass start after the first open and stop at close. */
  protected abstract started(): void;
  protected abstract stopped(): void;

  get state(): ModemState {
    return this.stateValue;
  }

  get label(): string {
    return this.options.label ?? `GSM modem ${this.options.path}`;
  }

  /** How status reports reach us with this modem: +CDS, stored (+CDSI), or not at all. */
  get statusReports(): StatusReportRouting {
    return this.setup.statusReports;
  }

  /** Who the modem says it is (+CGMI, +CGMM, +CGMR), as read at the last initialisation. */
  get identity(): ModemIdentity {
    return this.setup.identity;
  }

  /** PDU mode, or text mode (with its character set) on a modem that has nothing else. */
  get format(): SmsFormat {
    return this.setup.format;
  }

  /** What the last initialisation changed that the user should know (the credential test shows it). */
  get notes(): string[] {
    return this.setup.notes;
  }

  /** +CSMS service 1: a status report shown directly (+CDS) must be acknowledged with AT+CNMA. */
  get acknowledgeDirect(): boolean {
    return this.setup.acknowledge;
  }

  /** The message memories in use: read from, received into, scanned at start-up. */
  get memories(): MemoryChoice {
    return this.setup.memories;
  }

  /** Opens and initialises the modem once; rejects with ModemOpenError / ModemInitError. */
  open(): Promise<void> {
    this.openPromise ??= this.firstOpen();
    return this.openPromise;
  }

  private async firstOpen(): Promise<void> {
    this.stateValue = 'opening';
    try {
      await this.connect();
    } catch (err) {
      this.stateValue = 'closed';
      throw err;
    }
    this.started();
    const keepAliveMs = this.options.keepAliveMs ?? 30_000;
    if (keepAliveMs > 0) {
      this.keepAliveTimer = setInterval(() => this.keepAlive(), keepAliveMs);
      this.keepAliveTimer.unref();
      // A send can wait up to 120 s for the network: while one does, the device node is looked at every second.
      this.deviceWatchTimer = setInterval(
        () => {
          if (this.busy) this.checkDevice();
        },
        Math.min(keepAliveMs, DEVICE_WATCH_MS),
      );
      this.deviceWatchTimer.unref();
    }
    this.emit('ready');
  }

  private async connect(): Promise<void> {
    const link = await openSerialLink({ path: this.options.path, baudRate: this.options.baudRate ?? 115_200 });
    const probeTimeoutMs = Math.min(2000, this.options.commandTimeoutMs ?? 10_000);
    const channel = new AtChannel(link, {
      defaultTimeoutMs: this.options.commandTimeoutMs ?? 10_000,
      log: this.options.log,
      resyncAfterTimeout: { probe: SYNC_PROBE, attempts: 3, timeoutMs: probeTimeoutMs },
    });
    channel.on('unsolicited', (event) => this.onUnsolicited(event));
    link.onClose((reason) => this.onLinkClosed(link, reason));
    this.link = link;
    this.channel = channel;
    try {
      this.setup = await initializeModem(channel, {
        device: `${this.options.path} at ${this.options.baudRate ?? 115_200} baud`,
        devicePath: this.options.path,
        pin: this.options.pin,
        smsc: this.options.smsc,
        storage: this.options.storage,
        log: this.options.log,
        probeTimeoutMs,
        readyTimeoutMs: this.options.readyTimeoutMs,
      });
    } catch (err) {
      this.link = null;
      this.channel = null;
      await link.close();
      throw err;
    }
    if (this.stateValue === 'closing' || this.stateValue === 'closed') {
      // close() ran while we were initialising: do not leave the port open behind it.
      if (this.link === link) this.link = null;
      this.channel = null;
      await link.close();
      return;
    }
    // From here on, a command without an answer sends the channel back into step; a modem that
    // answers not even that is hung: reset the link.
    channel.on('resynced', (lines) => this.synced(lines));
    channel.on('desynced', (error) => this.resetLink(link, `no answer even to ${SYNC_PROBE} (${error.message})`));
    this.stateValue = 'ready';
    this.reconnectAttempt = 0;
    this.synced(this.setup.strayLines);
    this.linkReady();
  }

  private onUnsolicited(event: UnsolicitedEvent): void {
    // "+CPIN: NOT READY" / "+CPIN: SIM PIN" on a ready modem: the SIM restarted (a brown-out, a
    // loose card) and forgot it was unlocked. Everything waits for a fresh initialisation.
    const sim = event.type === 'other' ? /^\+CPIN:\s*(.+)$/.exec(event.line)?.[1].trim() : undefined;
    if (sim !== undefined && sim.toUpperCase() !== 'READY') this.setUpAgain(`the SIM card restarted (+CPIN: ${sim})`);
    // "RDY" is what SIMCom and Quectel modems say at power-on: it restarted with its power-on settings.
    else if (event.type === 'other' && event.line === 'RDY') this.setUpAgain('the modem restarted by itself (RDY)');
    else this.unsolicited(event);
  }

  /** The SIM or the modem restarted (it asks for its PIN again, or forgot its settings): initialise the modem again. */
  protected setUpAgain(reason: string): void {
    if (this.stateValue === 'ready' && this.link) this.resetLink(this.link, reason, reason);
  }

  /** Runs a raw AT command on the ready modem (diagnostics). */
  command(command: string): Promise<string[]> {
    const channel = this.stateValue === 'ready' ? this.channel : null;
    if (!channel) return Promise.reject(new Error(`${this.label} is not ready (state: ${this.stateValue})`));
    return channel.run(command);
  }

  /**
   * A pty or a USB port does not always report a vanished device on the read side; a periodic
   * AT on an idle modem finds it (the write fails) as well as a hung modem (no answer). While a
   * send waits for its answer, the device path is checked instead (a Unix device node goes away
   * with the device), so an unplug mid-send is not noticed only when the send times out.
   */
  private keepAlive(): void {
    const channel = this.stateValue === 'ready' ? this.channel : null;
    const link = this.link;
    if (!channel || !link || !this.checkDevice() || this.busy) return;
    const indications = this.setup.indications;
    if (!indications) {
      channel.run('AT').catch(() => undefined);
      return;
    }
    // The +CNMI setting doubles as a sign of life: a modem that restarted by itself without
    // saying so (a SIM800 set to autobaud prints no "RDY") is back at <mt> 0 and announces nothing.
    channel.run('AT+CNMI?').then(
      (lines) => {
        const mt = /^\+CNMI:\s*\d+\s*,\s*(\d+)/.exec(lines.find((l) => l.startsWith('+CNMI:')) ?? '')?.[1];
        // Only <mt> 0, the power-on value, counts: a modem that reads back another value than it took is no restart.
        if (mt === '0' && indications.split(',')[1] !== '0' && link === this.link)
          this.setUpAgain('the modem forgot its settings (+CNMI <mt> 0): it restarted by itself');
      },
      () => undefined,
    );
  }

  /** False (and the link reset) when the device node is gone. */
  private checkDevice(): boolean {
    if (this.stateValue !== 'ready' || !this.link) return true;
    if (this.options.path.startsWith('/') && !existsSync(this.options.path)) {
      this.resetLink(this.link, `the device ${this.options.path} disappeared`);
      return false;
    }
    return true;
  }

  private resetLink(link: ByteLink, reason: string, description = `the modem stopped answering (${reason})`): void {
    if (link !== this.link) return;
    this.onLinkClosed(link, description);
    void link.close();
  }

  private onLinkClosed(link: ByteLink, reason: string): void {
    if (link !== this.link) return;
    this.link = null;
    this.channel?.close(reason);
    this.channel = null;
    if (this.stateValue !== 'ready') return; // closing, or still initialising (connect() reports it)
    this.stateValue = 'reconnecting';
    this.linkLost(reason);
    this.emit('disconnected', { reason });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnectAttempt++;
    const limit = this.options.reconnectAttempts ?? 0;
    if (limit > 0 && this.reconnectAttempt > limit) {
      this.giveUp(new Error(`${this.label}: gave up reconnecting after ${limit} attempts`));
      return;
    }
    const delayMs = backoffDelay(this.reconnectAttempt, this.options.reconnectBaseMs ?? 500, this.options.reconnectMaxMs ?? 30_000);
    this.emit('reconnecting', { attempt: this.reconnectAttempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().then(
        () => {
          if (this.stateValue === 'ready') this.emit('reconnected');
        },
        (err: Error) => {
          if (this.stateValue !== 'reconnecting') return;
          this.emit('error', err);
          // Never try a wrong PIN again: three wrong PINs lock the SIM.
          if (err instanceof ModemInitError && err.permanent) this.giveUp(err);
          else this.scheduleReconnect();
        },
      );
    }, delayMs);
  }

  private giveUp(error: Error): void {
    this.stateValue = 'closed';
    this.stopTimers();
    this.failQueued(`${error.message}; the SMS was not sent`, 'retries_exhausted');
    this.emit('gaveUp', error);
    this.emit('closed');
  }

  private stopTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    if (this.deviceWatchTimer) clearInterval(this.deviceWatchTimer);
    this.deviceWatchTimer = null;
    this.reconnectTimer = null;
    this.keepAliveTimer = null;
    this.stopped();
  }

  /** Stops sending (queued parts fail with reason 'closed') and closes the port. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed' || this.stateValue === 'closing') return;
    this.stateValue = 'closing';
    this.stopTimers();
    this.failQueued(`${this.label} was closed before the SMS was sent`, 'closed');
    const link = this.link;
    this.link = null;
    this.channel?.close('closed');
    this.channel = null;
    await link?.close();
    this.stateValue = 'closed';
    this.emit('closed');
  }
}
