import { SmppSubmitError } from './types';
import type { SubmitReceiver, SubmitResult } from './types';

/** A submit that has ended, with the receiver to tell how. */
export interface EndedSubmit {
  receiver: SubmitReceiver;
  /** How it ended, kept until its receiver is told. */
  outcome: SubmitResult | SmppSubmitError | null;
}

/**
 * Receivers of ended submits, told in the order their submits ended, once the window's own step
 * is done (its state whole). A receiver that submits again (the next message of a broadcast) runs
 * while tellAll() is on the stack: what ends meanwhile joins the loop instead of nesting a call,
 * so a long run of refusals (a TPS limit that is down) cannot grow the stack. The slots are kept
 * (no array per turn).
 */
export class ReceiverQueue<T extends EndedSubmit> {
  private readonly slots: Array<T | undefined> = [];
  private head = 0;
  private tail = 0;
  private telling = false;

  add(entry: T, outcome: SubmitResult | SmppSubmitError): void {
    entry.outcome = outcome;
    this.slots[this.tail++] = entry;
  }

  tellAll(): void {
    if (this.telling) return;
    this.telling = true;
    try {
      while (this.head < this.tail) {
        const entry = this.slots[this.head] as T;
        this.slots[this.head++] = undefined;
        const outcome = entry.outcome as SubmitResult | SmppSubmitError;
        entry.outcome = null;
        try {
          if (outcome instanceof SmppSubmitError) entry.receiver.notSubmitted(outcome);
          else entry.receiver.submitted(outcome);
        } catch (err) {
          // A receiver must not throw; if one does, the others are still told, and the error
          // surfaces as a promise callback's would (an unhandled rejection).
          void Promise.reject(err);
        }
      }
    } finally {
      this.head = 0;
      this.tail = 0;
      this.telling = false;
      // After a mass ending (a closed link failing 100,000 waiting parts), do not keep the slots.
      if (this.slots.length > 1024) this.slots.length = 0;
    }
  }
}

/** The receiver behind a promise (SubmitWindow.enqueue). */
export class PromisedSubmit implements SubmitReceiver {
  constructor(
    private readonly resolve: (result: SubmitResult) => void,
    private readonly reject: (error: SmppSubmitError) => void,
  ) {}
  submitted(result: SubmitResult): void {
    this.resolve(result);
  }
  notSubmitted(error: SmppSubmitError): void {
    this.reject(error);
  }
}
