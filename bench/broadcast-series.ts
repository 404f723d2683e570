/**
 * Broadcasts one after another on one transport, as a long-running n8n process sends them, each
 * one's CPU per message printed: how many broadcasts V8 needs, after the 0 ms warm-up, to reach
 * the steady state the sink rows measure (bench/sink-cpu-bench.ts, SETTLE_RUNS).
 *   node dist/bench/broadcast-series.js <latencyMs> <window> <count> <broadcasts>
 * With `node --trace-deopt --trace-opt`, the deopts and compiles fall between the "broadcast N" lines.
 */
import { SmppSinkChild } from './smpp-sink-child';
import { broadcastOn, openBenchTransport, runBroadcastCpu, sinkRecipients } from './broadcast-cpu';

async function main(): Promise<void> {
  const [latencyMs, window, count, broadcasts] = process.argv.slice(2, 6).map(Number);
  if (![latencyMs, window, count, broadcasts].every((n) => Number.isInteger(n) && n >= 0) || window < 1 || count < 1)
    throw new Error('usage: node dist/bench/broadcast-series.js <latencyMs> <window> <count> <broadcasts>');
  const sink = await SmppSinkChild.start(0);
  try {
    const target = { host: '127.0.0.1', port: sink.port, systemId: 'bench', password: 'bench' };
    // The sink rows' warm-up: 20,000 at 0 ms, window 100, in two runs on connections of their own.
    for (let run = 0; run < 2; run++) await runBroadcastCpu(target, sinkRecipients(10_000, 5_000_000 + run * 10_000), 100);
    await sink.setLatency(latencyMs);
    const transport = await openBenchTransport(target, window);
    try {
      for (let n = 0; n < broadcasts; n++) {
        console.log(`--- broadcast ${n}`);
        const run = await broadcastOn(transport, sinkRecipients(count, 6_000_000 + n * count));
        console.log(`broadcast ${n}: ${run.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg, ${Math.round(run.perSecond)} msg/s`);
      }
    } finally {
      await transport.close();
    }
  } finally {
    await sink.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
