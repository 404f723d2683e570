/**
 * Issue 23: CPU per message of the whole client process on the Bulk Alert Broadcast path
 * (`runBroadcast` over `SmppTransport`: validation, dedupe, journal) when answers arrive one by
 * one, against an SMSC written on the `smpp` library in its own process (bench/smpp-sink.ts),
 * next to the raw `smpp` client and the bare floor client in the same run, and Kannel's bearerbox
 * at windows 1 and 10 when it is installed (bench/kannel-baseline.ts).
 * `BENCH_ONLY=sink npm run bench` runs these rows alone.
 */
import * as os from 'os';
import { SmppSinkChild } from './smpp-sink-child';
import { broadcastOn, openBenchTransport, runBroadcastCpu, sinkRecipients } from './broadcast-cpu';
import { runRawClient } from './raw-smpp-client';
import { runBareClient } from './bare-client';
import { KannelBox, bearerboxVersion, findBearerbox, measureKannel } from './kannel-baseline';
import { result } from './bench-result';
import type { BenchResult } from './bench-result';

/** latency, window, messages (about 8 s each at 20 ms; the counts for windows 10 and 100). */
const ROWS: Array<[number, number, number]> = [
  [20, 1, 400],
  [20, 10, 4000],
  [20, 100, 40_000],
  [0, 100, 100_000],
];

/**
 * Every client warms up (JIT) at 0 ms first, as a long-running n8n process is warm; each row then
 * settles (below). The warm-up is two runs, each on a connection of its own: the first
 * connection's close generalises field types in the stream and transport code, and V8 throws
 * away the code it had optimised for them (in every client). A long-running process has that
 * behind it; with one run it fell into the window-1 row, where at ~48 msg/s V8 takes thousands
 * of messages to optimise the code again (2026-12-03, `cpu-probe.js 20 1 400` with
 * `WARMUP_ROUNDS=1` / `2`: functions compiled during the measured run, ours 17 / 6, raw 12 / 7,
 * bare 3 / 2; the compiler threads' CPU, ours 75 / 37 µs per message, raw 47 / 14).
 */
const WARM_UP = 20_000;
const WARM_UP_RUNS = 2;

/**
 * Then, per row, three whole runs at the row's own latency and window before the measured one
 * (for every client, ours on the transport it is measured on): the measured run is a warm
 * process's steady state. After the 0 ms warm-up V8 re-optimises for the new timing over several
 * runs: broadcasts of 4,000 at 20 ms / window 10 on one transport, one after another, cost 113,
 * 74, 68, 41 and 42 µs per message (2026-12-03, bench/README.md "Steady state"); the first run's
 * cost is a row of its own. Kannel (no JIT) settles with a tenth of the row, as before.
 */
const SETTLE_RUNS = 3;

export async function benchSinkCpu(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const sink = await SmppSinkChild.start(0);
  const target = { host: '127.0.0.1', port: sink.port, systemId: 'bench', password: 'bench' };
  const load = os.loadavg()[0];
  const bearerbox = findBearerbox();
  const kannel = bearerbox ? `Kannel ${bearerboxVersion(bearerbox)} bearerbox` : '';
  if (!bearerbox) console.log('smpp sink: Kannel rows not measured: kannel not installed (bearerbox not found; Debian: apt-get install kannel)');
  console.log(
    `smpp sink: load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the start (CPU per message is process.cpuUsage() of this client process)`,
  );
  try {
    const warmUpRun = WARM_UP / WARM_UP_RUNS;
    for (let run = 0; run < WARM_UP_RUNS; run++) {
      await runRawClient(sink.port, warmUpRun, 100, { systemId: 'bench', password: 'bench' });
      await runBareClient(sink.port, warmUpRun, 100);
      await runBroadcastCpu(target, sinkRecipients(warmUpRun, 5_000_000 + run * warmUpRun), 100);
    }
    let offset = 0;
    for (const [latencyMs, window, count] of ROWS) {
      await sink.setLatency(latencyMs);
      // SETTLE_RUNS whole runs at the row's own latency and window first, not measured: see SETTLE_RUNS.
      let rawFirst = 0;
      for (let run = 0; run < SETTLE_RUNS; run++) {
        const r = await runRawClient(sink.port, count, window, { systemId: 'bench', password: 'bench' });
        if (run === 0) rawFirst = r.cpuMicrosPerMessage;
      }
      await sink.reset();
      const raw = await runRawClient(sink.port, count, window, { systemId: 'bench', password: 'bench' });
      for (let run = 0; run < SETTLE_RUNS; run++) await runBareClient(sink.port, count, window);
      await sink.reset();
      const bare = await runBareClient(sink.port, count, window);
      // Ours: one transport for the settling runs and the measured one, as n8n keeps one per credential.
      const transport = await openBenchTransport(target, window);
      let ours: Awaited<ReturnType<typeof broadcastOn>>;
      let oursFirst = 0;
      try {
        for (let run = 0; run < SETTLE_RUNS; run++) {
          const first = await broadcastOn(transport, sinkRecipients(count, 6_000_000 + offset + run * count));
          if (run === 0) oursFirst = first.cpuMicrosPerMessage;
        }
        await sink.reset();
        ours = await broadcastOn(transport, sinkRecipients(count, offset));
      } finally {
        await transport.close();
      }
      offset += count;
      const settle = Math.max(40, Math.round(count / 10));
      const answered = (await sink.stats()).accepted;
      if (ours.accepted !== count || answered !== count)
        throw new Error(`smpp sink bench: broadcast accepted ${ours.accepted}, sink answered ${answered}, expected ${count}`);
      const tag = `window ${window}, ${latencyMs} ms`;
      console.log(
        `smpp sink ${tag}: broadcast ${Math.round(ours.perSecond)} msg/s ${ours.cpuMicrosPerMessage.toFixed(1)} µs/msg; raw smpp ${Math.round(raw.perSecond)} msg/s ${raw.cpuMicrosPerMessage.toFixed(1)} µs/msg; bare floor ${bare.cpuMicrosPerMessage.toFixed(1)} µs/msg; load ${os.loadavg()[0].toFixed(2)}`,
      );
      const cpuTarget = latencyMs === 20 && window <= 10 ? '<= 75 µs (issue 23)' : latencyMs === 0 && window === 100 ? '<= 40 µs (issue 23)' : undefined;
      results.push(
        result(`smpp sink: broadcast CPU per message, ${tag}`, 'µs', ours.cpuMicrosPerMessage, raw.cpuMicrosPerMessage, 'raw smpp client', cpuTarget),
      );
      results.push(
        result(`smpp sink: broadcast CPU per message, first run at this rate, ${tag}`, 'µs', oursFirst, rawFirst, 'raw smpp client (its first run)'),
      );
      results.push(
        result(`smpp sink: bare client CPU per message (floor), ${tag}`, 'µs', bare.cpuMicrosPerMessage, raw.cpuMicrosPerMessage, 'raw smpp client'),
      );
      results.push(result(`smpp sink: broadcast throughput, ${tag}`, 'msg/s', ours.perSecond, raw.perSecond, 'raw smpp client'));
      if (latencyMs > 0)
        results.push(
          result(
            `smpp sink: broadcast vs window/latency bound, ${tag}`,
            'msg/s',
            ours.perSecond,
            (window * 1000) / latencyMs,
            'window/latency bound',
            '>= 0.93 (issue 23)',
          ),
        );
      if (bearerbox && latencyMs === 20 && window <= 10) {
        // Kannel on the same sink, same count; its CPU is bearerbox's (all threads), per message.
        const box = await KannelBox.start(bearerbox, sink.port, window);
        let k: Awaited<ReturnType<typeof measureKannel>>;
        try {
          const answered = async (): Promise<number> => (await sink.stats()).accepted;
          await sink.reset();
          await measureKannel(box, settle, 7_000_000 + offset, answered);
          await sink.reset();
          k = await measureKannel(box, count, offset, answered);
        } finally {
          await box.stop();
        }
        console.log(
          `smpp sink ${tag}: ${kannel} ${Math.round(k.perSecond)} msg/s ${k.cpuMicrosPerMessage.toFixed(1)} µs/msg (by its 10 ms ticks: ${k.tickMicrosPerMessage.toFixed(0)} µs/msg)`,
        );
        results.push(result(`smpp sink: broadcast vs Kannel CPU per message, ${tag}`, 'µs', ours.cpuMicrosPerMessage, k.cpuMicrosPerMessage, kannel));
        results.push(result(`smpp sink: broadcast vs Kannel throughput, ${tag}`, 'msg/s', ours.perSecond, k.perSecond, kannel));
      }
    }
  } finally {
    await sink.stop();
  }
  results.push(result('smpp sink: load average (1 min) at the start of these rows', 'load', load, null));
  return results;
}
