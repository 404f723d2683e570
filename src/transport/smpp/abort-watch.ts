/**
 * Which submit signals have aborted, without reading `signal.aborted` on every submit: each
 * AbortSignal Node makes has a hidden class of its own, so code V8 had optimised around one
 * signal's `aborted` getter was thrown away at the next broadcast's signal (and the window's whole
 * submit path with it), until the site went megamorphic some four broadcasts later. A signal is
 * looked at once, on its first submit; from then on its abort listener tells.
 *
 * One listener per signal, not per submit: a broadcast passes one signal for 100,000 submits.
 */
export class AbortWatch {
  private readonly seen = new WeakSet<AbortSignal>();
  private readonly abortedSignals = new WeakSet<AbortSignal>();

  /** `onAbort` runs once when a watched signal aborts (to withdraw what still waits with it). */
  constructor(private readonly onAbort: (signal: AbortSignal) => void) {}

  /** Whether `signal` has aborted; watches it from its first call on. */
  aborted(signal: AbortSignal): boolean {
    if (!this.seen.has(signal)) this.watch(signal);
    return this.abortedSignals.has(signal);
  }

  private watch(signal: AbortSignal): void {
    this.seen.add(signal);
    if (signal.aborted) {
      this.abortedSignals.add(signal);
      return;
    }
    signal.addEventListener(
      'abort',
      () => {
        this.abortedSignals.add(signal);
        this.onAbort(signal);
      },
      { once: true },
    );
  }
}
