/**
 * What the metrics cost on the transport's hot path (issue 20: < 1 µs CPU per message): the same
 * transport, messages and sandbox, with and without the SubmitObserver the registry attaches
 * (per-answer counts by status, the latency histogram, the id kept for the receipt latency).
 * Runs alternate (without, with, without, ...) so drift on a shared machine hits both; the
 * medians are compared.
 */
import { SmppSubmitCounter } from '../src/observability/smpp-observer';
import { result } from './bench-result';
import type { BenchResult } from './bench-result';
import { SandboxChild } from './sandbox-child';
import { runTransport } from './transport-client';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchMetricsOverhead(rounds = Number(process.env.BENCH_METRICS_ROUNDS ?? 5), count = 100_000, window = 100): Promise<BenchResult[]> {
  const sandbox = await SandboxChild.start(0, { recordMode: 'none' });
  const without: number[] = [];
  const withMetrics: number[] = [];
  try {
    await sandbox.setFaults({ latencyMs: 0 });
    // One warm-up each, not counted: the JIT settles on the first 100,000.
    await runTransport(sandbox.port, count, window);
    await runTransport(sandbox.port, count, window, { observer: new SmppSubmitCounter('bench-warmup') });
    for (let i = 0; i < rounds; i++) {
      await sandbox.reset();
      without.push((await runTransport(sandbox.port, count, window)).cpuMicrosPerMessage);
      await sandbox.reset();
      withMetrics.push((await runTransport(sandbox.port, count, window, { observer: new SmppSubmitCounter(`bench-${i}`) })).cpuMicrosPerMessage);
    }
  } finally {
    await sandbox.stop();
  }
  const off = median(without);
  const on = median(withMetrics);
  console.log(`metrics overhead, window ${window}, 0 ms: without ${off.toFixed(2)} µs CPU/msg, with ${on.toFixed(2)} µs (runs: without ${without.map((v) => v.toFixed(2)).join(' ')}; with ${withMetrics.map((v) => v.toFixed(2)).join(' ')})`);
  return [
    result(`metrics: transport CPU per message with metrics on, window ${window}, 0 ms`, 'µs', on, off, 'same transport without metrics'),
    result(`metrics: their cost per message on the transport, window ${window}, 0 ms`, 'µs', on - off, 1, '1 µs budget', '< 1'),
  ];
}
