/** Counters the progress view follows (a subset of SandboxSmsc.stats). */
export interface ThroughputCounters {
  submits: number;
  accepted: number;
  failed: number;
  throttled: number;
}

export interface ThroughputSample extends ThroughputCounters {
  at: number;
  /** Accepted submits per second since the previous sample. */
  acceptedPerSecond: number;
  submitsPerSecond: number;
}

/** Turns counter snapshots into per-second rates between consecutive samples (clock injected by the caller). */
export class ThroughputMeter {
  private previous: { at: number; counters: ThroughputCounters } | null = null;

  sample(at: number, counters: ThroughputCounters): ThroughputSample {
    const previous = this.previous;
    this.previous = { at, counters: { ...counters } };
    const seconds = previous ? (at - previous.at) / 1000 : 0;
    const rate = (now: number, before: number): number => {
      // Counters go down when the store is cleared or the sandbox restarts: no negative rates.
      if (seconds <= 0 || now < before) return 0;
      return Math.round(((now - before) / seconds) * 10) / 10;
    };
    return {
      at,
      ...counters,
      acceptedPerSecond: previous ? rate(counters.accepted, previous.counters.accepted) : 0,
      submitsPerSecond: previous ? rate(counters.submits, previous.counters.submits) : 0,
    };
  }
}
