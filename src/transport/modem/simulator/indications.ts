/**
 * How the simulated modem hands new-message indications to the terminal, as +CNMI says
 * (TS 27.005 3.4.1): with <mode> 0 they are kept in the modem's buffer and handed out (<bfr> 0)
 * or dropped (<bfr> 1) when <mode> changes to 1-3; otherwise they are written at once. With
 * +CSMS service 1, a message or report shown directly (+CMT, +CDS) must be acknowledged with
 * AT+CNMA; if it is not in time, the modem turns that routing off (<mt> and <ds> to 0), as the
 * standard says, and nothing more is shown until +CNMI is set again.
 */
import type { ModemSettings } from './command-context';

export class Indications {
  private buffered: string[] = [];
  /** +CNMI left <mode> 0 with <bfr> 0: the buffer goes out after the command's OK. */
  private flushDue = false;
  private ackTimer: NodeJS.Timeout | null = null;
  /** Directly shown messages/reports whose AT+CNMA never came. */
  missedAcks = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly settings: () => ModemSettings,
    private readonly ackTimeoutMs: number,
  ) {}

  /** Writes (or, with <mode> 0, buffers) an indication; `direct`: a +CMT/+CDS that may need AT+CNMA. */
  indicate(text: string, direct = false): void {
    const { cnmi, csms } = this.settings();
    if (cnmi[0] === 0) {
      this.buffered.push(text);
      return;
    }
    this.write(text);
    if (direct && csms === 1) this.awaitAck();
  }

  /** +CNMI was set: a <mode> other than 0 flushes the buffer (<bfr> 0, after the OK: afterCommand()) or clears it (<bfr> 1). */
  changed(): void {
    const [mode, , , , bfr] = this.settings().cnmi;
    if (mode === 0) return;
    if (bfr === 0) this.flushDue = true;
    else this.buffered = [];
  }

  /** The command's answer is written: "OK response shall be given before flushing the codes" (TS 27.005 3.4.1). */
  afterCommand(): void {
    if (!this.flushDue) return;
    this.flushDue = false;
    for (const text of this.buffered.splice(0)) this.write(text);
  }

  /** AT+CNMA: true when an acknowledgement was awaited. */
  acknowledge(): boolean {
    if (!this.ackTimer) return false;
    clearTimeout(this.ackTimer);
    this.ackTimer = null;
    return true;
  }

  dispose(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.buffered = [];
  }

  private awaitAck(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      this.missedAcks++;
      const cnmi = this.settings().cnmi;
      cnmi[1] = 0;
      cnmi[3] = 0;
    }, this.ackTimeoutMs);
    this.ackTimer.unref();
  }
}
