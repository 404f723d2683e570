/**
 * Memory readings for the resource-limit tests: heapUsed (what our objects hold) and RSS (what
 * the process takes from the machine), sampled on a timer to catch the peak. global.gc is used
 * when node runs with --expose-gc; otherwise readings include garbage not yet collected, which
 * is why the bounds in these tests are generous.
 */
export interface MemoryReading {
  heapUsed: number;
  rss: number;
}

export const MB = 1024 * 1024;

/** Memory now, after a full collection when global.gc is available. */
export function settledMemory(): MemoryReading {
  global.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

export function growthMb(from: MemoryReading, to: MemoryReading): { heapUsed: number; rss: number } {
  return { heapUsed: Math.round((to.heapUsed - from.heapUsed) / MB), rss: Math.round((to.rss - from.rss) / MB) };
}

/** Highest heapUsed and RSS seen between start() and stop(); sample() adds a reading by hand (e.g. from a progress callback). */
export class PeakMemory {
  private timer: NodeJS.Timeout | null = null;
  peak: MemoryReading = { heapUsed: 0, rss: 0 };
  readonly readings: MemoryReading[] = [];

  start(everyMs = 50): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    return this;
  }

  sample(): MemoryReading {
    const { heapUsed, rss } = process.memoryUsage();
    const reading = { heapUsed, rss };
    this.readings.push(reading);
    this.peak = { heapUsed: Math.max(this.peak.heapUsed, heapUsed), rss: Math.max(this.peak.rss, rss) };
    return reading;
  }

  stop(): MemoryReading {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return this.peak;
  }
}
