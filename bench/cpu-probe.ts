/**
 * One broadcast-path CPU measurement against the `smpp`-library sink, for profiling:
 *   node dist/bench/cpu-probe.js <latencyMs> <window> <count> [ours|transport|raw|bare] [profile.cpuprofile]
 * `transport`: SmppTransport.submit alone (no broadcast: no validation, journal or pipeline).
 * SETTLE=<n>: messages at the row's latency and window before the measured run (default a tenth).
 * With a file name, V8's CPU profile of the measured run only (after a warm-up) is written there;
 * `node scripts/profile-summary.js <file>` summarises it.
 * Bytes allocated per message: `node --expose-gc --max-semi-space-size=64 dist/bench/cpu-probe.js 0 1 2000`
 * (printed when no GC ran during the measured run); HEAP_PROFILE=<file> writes a sampling heap
 * profile of the run (`node scripts/heap-summary.js <file> 40 <count>`).
 * COUNT_IO=1: also counts socket writes and stream reads per message (by patching net.Socket's
 * prototype, which makes V8 throw away and recompile the socket code it optimised during the run:
 * not for CPU figures).
 */
import * as fs from 'fs';
import * as net from 'net';
import { PerformanceObserver } from 'perf_hooks';
import { Session } from 'inspector';
import { SmppSinkChild } from './smpp-sink-child';
import { TpsThrottle } from '../src/throttle/tps-throttle';
import { broadcastOn, openBenchTransport, runBroadcastCpu, sinkRecipients } from './broadcast-cpu';
import { runRawClient } from './raw-smpp-client';
import { runBareClient } from './bare-client';
import { runTransport } from './transport-client';

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))));
}

/**
 * CPU time per thread of this process in microseconds (/proc schedstat: nanoseconds on the CPU,
 * not 10 ms ticks): the main thread's against V8's helpers (GC, compiler).
 */
function threadTimes(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      out.set(tid, Number(fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1000);
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** Voluntary context switches per thread of this process: how often each went to sleep (a helper thread's wake-ups). */
function threadSleeps(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const status = fs.readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
      out.set(tid, Number(/\nvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** Voluntary context switches of the main thread: how often it went to sleep (one per wake-up). */
function mainSleeps(): number {
  const status = fs.readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8');
  return Number(/\nvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const [latencyMs, window, count] = process.argv.slice(2, 5).map(Number);
  const which = process.argv[5] ?? 'ours';
  const profileFile = process.argv[6];
  const sink = await SmppSinkChild.start(latencyMs);
  try {
    // BENCH_TPS=<n>: the broadcast's transport under a TPS cap of n (one process's own budget).
    const tps = Number(process.env.BENCH_TPS ?? 0);
    const target = {
      host: '127.0.0.1',
      port: sink.port,
      systemId: 'bench',
      password: 'bench',
      transport: tps > 0 ? { throttle: new TpsThrottle({ tps, key: 'bench' }) } : undefined,
    };
    // Warm-up (JIT: a long-running n8n process has its hot paths optimised) at 0 ms, then the measured run.
    const warm = Number(process.env.WARMUP ?? 20_000);
    await sink.setLatency(0);
    // WARMUP_ROUNDS=<n>: the warm-up in n runs, each on a connection of its own (opened and closed).
    const rounds = Math.max(1, Number(process.env.WARMUP_ROUNDS ?? 1));
    for (let round = 0; round < rounds; round++) {
      const n = Math.round(warm / rounds);
      if (which === 'raw') await runRawClient(sink.port, n, 100);
      else if (which === 'bare') await runBareClient(sink.port, n, 100);
      else if (which === 'transport') await runTransport(sink.port, n, 100);
      else await runBroadcastCpu(target, sinkRecipients(n, 5_000_000 + round * n), 100);
    }
    await sink.setLatency(latencyMs);
    // A tenth of the run at its own latency and window first (see sink-cpu-bench.ts).
    const settle = Number(process.env.SETTLE ?? Math.max(40, Math.round(count / 10)));
    if (which === 'raw') await runRawClient(sink.port, settle, window);
    else if (which === 'bare') await runBareClient(sink.port, settle, window);
    else if (which === 'transport') await runTransport(sink.port, settle, window);
    const transport = which === 'ours' ? await openBenchTransport(target, window) : null;
    if (transport) await broadcastOn(transport, sinkRecipients(settle, 6_000_000));
    await sink.reset();
    const session = new Session();
    const heapProfile = process.env.HEAP_PROFILE;
    if (heapProfile) {
      session.connect();
      await post(session, 'HeapProfiler.startSampling', {
        samplingInterval: 256,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }
    if (profileFile) {
      if (!heapProfile) session.connect();
      await post(session, 'Profiler.enable');
      await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
      await post(session, 'Profiler.start');
    }
    // With --expose-gc and a young generation larger than the run (--max-semi-space-size=64):
    // a GC first, so that heapUsed after the run minus before is the bytes the run allocated.
    const collect = (globalThis as { gc?: () => void }).gc;
    if (collect) collect();
    // Socket writes and reads of this process during the run (how many wake-ups carry how many PDUs).
    const io = { writes: 0, reads: 0 };
    const timesBefore = threadTimes();
    const threadSleepsBefore = threadSleeps();
    const sleepsBefore = mainSleeps();
    const gc = { count: 0, ms: 0 };
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        gc.count++;
        gc.ms += e.duration;
      }
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const heapBefore = process.memoryUsage().heapUsed;
    const proto = net.Socket.prototype as unknown as { write: (...a: unknown[]) => boolean; emit: (e: string, ...a: unknown[]) => boolean };
    const write = proto.write;
    const emit = proto.emit;
    // COUNT_IO=1 only: patching Socket.prototype throws away the code V8 optimised for sockets (every client recompiles it during the run).
    if (process.env.COUNT_IO === '1') {
      proto.write = function (this: unknown, ...a: unknown[]) {
        io.writes++;
        return write.apply(this, a);
      };
      proto.emit = function (this: unknown, e: string, ...a: unknown[]) {
        if (e === 'data') io.reads++;
        return emit.call(this, e, ...a);
      };
    }
    console.log('--- measured run starts');
    const r =
      which === 'raw'
        ? await runRawClient(sink.port, count, window)
        : which === 'bare'
          ? await runBareClient(sink.port, count, window)
          : which === 'transport'
            ? await runTransport(sink.port, count, window)
            : await broadcastOn(transport!, sinkRecipients(count));
    if (process.env.COUNT_IO === '1') {
      proto.write = write;
      proto.emit = emit;
    }
    const timesAfter = threadTimes();
    const threadSleepsAfter = threadSleeps();
    const sleeps = mainSleeps() - sleepsBefore;
    gcObserver.disconnect();
    const heapAfter = process.memoryUsage().heapUsed;
    const main = String(process.pid);
    let helpers = 0;
    for (const [tid, t] of timesAfter) if (tid !== main) helpers += t - (timesBefore.get(tid) ?? 0);
    const mainMicros = (timesAfter.get(main) ?? 0) - (timesBefore.get(main) ?? 0);
    // Each helper thread (V8's platform workers: concurrent compiler and GC; libuv's pool): CPU and wake-ups per message.
    const perThread = [...timesAfter]
      .filter(([tid]) => tid !== main)
      .map(([tid, t]) => ({ tid, micros: t - (timesBefore.get(tid) ?? 0), sleeps: (threadSleepsAfter.get(tid) ?? 0) - (threadSleepsBefore.get(tid) ?? 0) }))
      .filter((t) => t.micros > 0 || t.sleeps > 0)
      .map((t) => `${t.tid}: ${(t.micros / count).toFixed(1)} µs ${(t.sleeps / count).toFixed(2)} wake-ups`);
    console.log(`helper threads per msg: ${perThread.join('; ') || 'none ran'}`);
    if (heapProfile) {
      const { profile } = await post<{ profile: object }>(session, 'HeapProfiler.stopSampling');
      fs.writeFileSync(heapProfile, JSON.stringify(profile));
    }
    if (profileFile) {
      const { profile } = await post<{ profile: object }>(session, 'Profiler.stop');
      fs.writeFileSync(profileFile, JSON.stringify(profile));
      session.disconnect();
    }
    await transport?.close();
    const s = await sink.stats();
    const bound = latencyMs > 0 ? (window * 1000) / latencyMs : Infinity;
    console.log(
      `${which} ${latencyMs} ms window ${window}: ${count} msgs, ${Math.round(r.perSecond)} msg/s (${(r.perSecond / bound).toFixed(3)} of W/L), ${r.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg, ${process.env.COUNT_IO === '1' ? `${(io.reads / count).toFixed(2)} stream reads and ${(io.writes / count).toFixed(2)} writes per msg, ` : ''}${(sleeps / count).toFixed(3)} wake-ups per msg, threads: main ${(mainMicros / count).toFixed(1)} µs/msg, helpers ${(helpers / count).toFixed(1)} µs/msg, ${gc.count} GCs ${gc.ms.toFixed(0)} ms (heap ${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB${collect && gc.count === 0 ? `, ${Math.round((heapAfter - heapBefore) / count)} B allocated/msg` : ''}); sink ${(s.cpuMicros / count).toFixed(1)} µs/msg`,
    );
  } finally {
    await sink.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
