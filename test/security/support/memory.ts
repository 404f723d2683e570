import * as v8 from 'v8';
import * as vm from 'vm';

/**
 * Memory measurements for flood tests. A forced GC before each reading (V8's gc exposed at run
 * time) keeps garbage that is merely uncollected out of the numbers, so a bound on the growth
 * measures what is really retained.
 */
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

export interface MemoryReading {
  /** JS heap in use plus Buffer memory (socket buffers live there), in bytes. */
  retained: number;
  rss: number;
}

export function readMemory(): MemoryReading {
  collect();
  collect();
  const m = process.memoryUsage();
  return { retained: m.heapUsed + m.arrayBuffers, rss: m.rss };
}

export const MiB = 1024 * 1024;

export function describeGrowth(before: MemoryReading, after: MemoryReading): string {
  const mb = (n: number): string => `${(n / MiB).toFixed(1)} MiB`;
  return `retained ${mb(before.retained)} -> ${mb(after.retained)}, rss ${mb(before.rss)} -> ${mb(after.rss)}`;
}

/**
 * Polls `progress` until it reaches `target` or stops moving for `quietMs` (a server that paused
 * reading); returns the last value. This waits for the server to settle; it asserts nothing
 * about time.
 */
export async function waitUntilSettled(progress: () => number, target: number, quietMs = 1000, pollMs = 50): Promise<number> {
  let last = progress();
  let quietSince = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, pollMs));
    const now = progress();
    if (now >= target) return now;
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      return now;
    }
  }
}
