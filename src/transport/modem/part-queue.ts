/**
 * Sends SMS-SUBMIT parts one at a time with AT+CMGS, in the order they were queued, and keeps
 * them across a lost device: a part whose AT+CMGS was cut off is sent again after the reconnect
 * (flagged as a possible duplicate, as the network may already have it). An AT+CMGS that timed
 * after its PDU was written is not sent again at once: the network may still answer it, so the
 * queue waits until the channel is back in step (synced()); a late "+CMGS: <mr>" met on the way
 * means the network took it (no resend). Temporary +CMS errors (network busy, no service for a
 * moment) are retried after a pause; a SIM that asks for its PIN again has the modem
 * initialised again (the part waits); permanent errors fail the part.
 */
import { SmppSubmitError } from '../smpp/types';
import type { SubmitResult } from '../smpp/types';
import { AtCommandError, AtLinkClosedError, AtTimeoutError, parseErrorLine } from './at/at-errors';
import type { AtChannel } from './at/at-channel';
import type { SmsFormat } from './sms-format';
import { PduError } from './pdu';
import type { BuiltSubmit } from './pdu';
import { submitAsText } from './text-mode-codec';
import type { TextModeSubmit } from './text-mode-codec';
import { sendFailureAdvice } from './send-failure-advice';

interface PartJob {
  built: BuiltSubmit;
  attempts: number;
  /** An earlier attempt may have reached the network. */
  uncertain: boolean;
  /** The last attempt's PDU was written and its answer did not come in time: it may still come. */
  awaitingLate: boolean;
  /** Times a SIM that was not ready had the modem initialised again for this part. */
  simRestarts: number;
  resolve: (result: SubmitResult) => void;
  reject: (error: Error) => void;
}

export interface PartQueueOptions {
  label: string;
  maxAttempts: number;
  retryDelayMs: number;
  sendTimeoutMs: number;
  /** The channel when the modem is ready, else null (the queue waits for pump()). */
  channel: () => AtChannel | null;
  /** How long parts wait for a modem that went away before they fail (default 60 000 ms). */
  offlineLimitMs?: number;
  /** PDU or text mode, as the modem was set up (default PDU). */
  format?: () => SmsFormat;
  /** The SIM is not ready (asks for its PIN again): initialise the modem again. */
  simLost?: (reason: string) => void;
}

/** SIM states that a fresh initialisation fixes (PIN entered again) or reports (no SIM, PUK): +CMS 310-316 but 314 (busy) and +CME 10-16. */
const SIM_NOT_READY_CMS = new Set([310, 311, 312, 313, 315, 316]);
const SIM_NOT_READY_CME = new Set([10, 11, 12, 13, 15, 16]);
const MAX_SIM_RESTARTS = 2;

const MAYBE_SENT = '; it may have reached the network before the modem went away, so sending it again could duplicate it';
const MAYBE_TAKEN = '; the network may have taken an attempt without saying so, so the SMS may still arrive';

/**
 * +CMS codes after which the SMS centre may have the message: 332 "network timeout" (no
 * acknowledgement came; it may have been lost on its way back) and 500, which a SIM800 answers
 * for the same. A resend after them is a possible duplicate; a refusal (42 congestion) is not.
 */
const MAYBE_TAKEN_CMS = new Set([332, 500]);

export class PartQueue {
  private readonly jobs: PartJob[] = [];
  private busy = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private offlineTimer: NodeJS.Timeout | null = null;
  /** Set when the modem stayed away past the limit: new parts fail at once until it is back. */
  private unavailable: string | null = null;

  constructor(private readonly options: PartQueueOptions) {}

  get size(): number {
    return this.jobs.length;
  }

  enqueue(built: BuiltSubmit): Promise<SubmitResult> {
    if (this.unavailable !== null) return Promise.reject(new SmppSubmitError(`${this.unavailable}; the SMS was not sent`, 'retries_exhausted'));
    return new Promise((resolve, reject) => {
      this.jobs.push({ built, attempts: 0, uncertain: false, awaitingLate: false, simRestarts: 0, resolve, reject });
      this.pump();
    });
  }

  /** Sends what is queued if the modem is ready; call again after a reconnect. */
  pump(): void {
    if (this.busy || this.retryTimer || this.jobs.length === 0 || this.jobs[0].awaitingLate) return;
    const channel = this.options.channel();
    if (!channel) return;
    this.busy = true;
    void this.sendHead(channel).finally(() => {
      this.busy = false;
      this.pump();
    });
  }

  /**
   * The modem went away (unplugged, hung): queued parts wait for it to come back, up to the
   * limit; then they fail, and so does every new part until online() is called.
   */
  offline(reason: string): void {
    if (this.offlineTimer || this.unavailable !== null) return;
    const limitMs = this.options.offlineLimitMs ?? 60_000;
    this.offlineTimer = setTimeout(() => {
      this.offlineTimer = null;
      this.unavailable = `${this.options.label} went away (${reason}) and did not come back within ${Math.round(limitMs / 1000)} s`;
      this.failAll(`${this.unavailable}; the SMS was not sent`, 'retries_exhausted');
    }, limitMs);
    this.offlineTimer.unref();
  }

  /** The modem is back (or closed): parts are sent again. */
  online(): void {
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    this.offlineTimer = null;
    this.unavailable = null;
  }

  failAll(message: string, reason: 'closed' | 'retries_exhausted'): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (reason === 'closed') this.online();
    for (const job of this.jobs.splice(0)) {
      const uncertain = job.uncertain || job.awaitingLate;
      const text = uncertain ? message.replace(/; the SMS was not sent$/, MAYBE_SENT) : message;
      job.reject(new SmppSubmitError(text, reason, undefined, undefined, uncertain, job.attempts));
    }
  }

  /**
   * The channel is in step again; `lines` arrived unasked on the way. For a part whose answer
   * was late: "+CMGS: <mr>" means the network took it; a +CMS ERROR that it refused it; nothing,
   * that nobody knows (it is sent again, flagged as a possible duplicate).
   */
  synced(lines: string[]): void {
    const job = this.jobs[0];
    if (!job?.awaitingLate) return;
    job.awaitingLate = false;
    const accepted = /^\+CMGS:\s*(\d+)/.exec(lines.find((l) => l.startsWith('+CMGS:')) ?? '');
    const refused = lines.map((l) => parseErrorLine(l, 'AT+CMGS')).find((e) => e !== undefined);
    if (accepted) {
      this.settle(job);
      job.resolve({ messageId: String(Number(accepted[1])), possibleDuplicate: job.uncertain, attempts: job.attempts, throttled: 0 });
    } else if (refused) {
      this.onFailure(job, refused);
    } else {
      job.uncertain = true;
      if (job.attempts >= this.options.maxAttempts) {
        this.settle(job);
        job.reject(
          new SmppSubmitError(
            `${this.options.label} could not send the SMS: no answer to AT+CMGS after ${job.attempts} attempts${MAYBE_SENT}`,
            'retries_exhausted',
            undefined,
            undefined,
            true,
            job.attempts,
          ),
        );
      }
    }
    this.pump();
  }

  private settle(job: PartJob): void {
    const index = this.jobs.indexOf(job);
    if (index >= 0) this.jobs.splice(index, 1);
  }

  private async sendHead(channel: AtChannel): Promise<void> {
    const job = this.jobs[0];
    job.attempts++;
    try {
      const lines = await this.sendOne(channel, job);
      if (!lines) return;
      const reference = /^\+CMGS:\s*(\d+)/.exec(lines.find((l) => l.startsWith('+CMGS:')) ?? '');
      this.settle(job);
      job.resolve({ messageId: reference ? String(Number(reference[1])) : '', possibleDuplicate: job.uncertain, attempts: job.attempts, throttled: 0 });
    } catch (err) {
      this.onFailure(job, err as Error);
    }
  }

  /** AT+CMGS in PDU mode, or AT+CSMP + AT+CMGS="<da>" in text mode; undefined when the part cannot go as text. */
  private async sendOne(channel: AtChannel, job: PartJob): Promise<string[] | undefined> {
    const format = this.options.format?.() ?? { mode: 'pdu' };
    if (format.mode === 'pdu') {
      return channel.run(`AT+CMGS=${job.built.tpduLength}`, { promptData: job.built.pdu.toString('hex').toUpperCase(), timeoutMs: this.options.sendTimeoutMs });
    }
    let text: TextModeSubmit;
    try {
      text = submitAsText(job.built, format.charset);
    } catch (err) {
      if (!(err instanceof PduError)) throw err;
      this.settle(job);
      job.reject(new SmppSubmitError(`${this.options.label} cannot send this message: ${err.message}`, 'invalid', undefined, undefined, false, job.attempts));
      return undefined;
    }
    await channel.run(`AT+CSMP=${text.csmp}`);
    return channel.run(text.command, { promptData: text.text, timeoutMs: this.options.sendTimeoutMs });
  }

  private onFailure(job: PartJob, error: Error): void {
    const { label, maxAttempts } = this.options;
    const exhausted = job.attempts >= maxAttempts;
    if (error instanceof AtCommandError && this.simNotReady(error) && job.simRestarts < MAX_SIM_RESTARTS && this.options.simLost) {
      // The SIM restarted and asks for its PIN (or is gone): nothing reached the network.
      job.attempts--;
      job.simRestarts++;
      this.options.simLost(`the SIM card is not ready (${error.message})`);
      return;
    }
    if (error instanceof AtCommandError) {
      if (error.kind === 'cms' && error.code !== undefined && MAYBE_TAKEN_CMS.has(error.code)) job.uncertain = true;
      if (error.temporary && !exhausted) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.pump();
        }, this.options.retryDelayMs);
        return;
      }
      this.settle(job);
      const why = error.temporary ? `still failing after ${job.attempts} attempts: ` : '';
      const text = `${label} could not send the SMS: ${why}${error.message}${sendFailureAdvice(error)}${job.uncertain ? MAYBE_TAKEN : ''}`;
      job.reject(new SmppSubmitError(text, 'rejected', error.code, error.meaning, job.uncertain, job.attempts));
      return;
    }
    if (error instanceof AtTimeoutError && error.dataSent) {
      job.awaitingLate = true; // decided by synced(), once the channel is back in step
      return;
    }
    if (error instanceof AtTimeoutError || error instanceof AtLinkClosedError) {
      if (error instanceof AtLinkClosedError && !error.written) {
        job.attempts--; // never reached the modem: not an attempt
        return;
      }
      // Once the PDU is written the modem may have passed it to the network before the answer was lost.
      job.uncertain ||= error.dataSent;
      if (!exhausted) return; // stays at the head; pump() runs it again once the modem is back
      this.settle(job);
      job.reject(
        new SmppSubmitError(
          `${label} could not send the SMS after ${job.attempts} attempts: ${error.message}`,
          'retries_exhausted',
          undefined,
          undefined,
          job.uncertain,
          job.attempts,
        ),
      );
      return;
    }
    this.settle(job);
    job.reject(error);
  }

  private simNotReady(error: AtCommandError): boolean {
    return error.code !== undefined && (error.kind === 'cms' ? SIM_NOT_READY_CMS : SIM_NOT_READY_CME).has(error.code);
  }
}
