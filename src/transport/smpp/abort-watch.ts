/**
 * The submits' signals, each watched by one abort listener (a broadcast passes one signal for
 * 100,000 submits: a listener per submit would be 100,000 listeners, each added after a scan of
 * the others). The listener withdraws what still waits with the signal; whether a new submit's
 * signal has aborted is read from the signal itself each time, never from the listener: a listener
 * added earlier may submit before ours runs, or stop the event reaching ours at all. A signal
 * that has not aborted is taken at its word: Node 20 aborts an `AbortSignal.any` signal only after
 * its sources' listeners ran, so a submit from such a listener with the combined signal is sent.
 */
export class AbortWatch {
  private readonly seen = new WeakSet<AbortSignal>();

  /** `onAbort` runs once when a watched signal aborts (to withdraw what still waits with it). */
  constructor(private readonly onAbort: (signal: AbortSignal) => void) {}

  /** Whether `signal` has aborted; watches it from its first call on. */
  aborted(signal: AbortSignal): boolean {
    if (signal.aborted) return true;
    // Checked before watch(): a function whose closure captures its locals allocates that
    // context on entry, even when it returns before making the closure (every submit after the first).
    if (!this.seen.has(signal)) this.watch(signal);
    return false;
  }

  private watch(signal: AbortSignal): void {
    this.seen.add(signal);
    signal.addEventListener('abort', () => this.onAbort(signal), { once: true });
  }
}
