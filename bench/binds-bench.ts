/**
 * Several binds per credential (issue 21): one SmppBindPool with 1, 2 and 4 binds, window 10 per
 * bind, at 20 ms sandbox latency. The bound is binds x window / latency; each run must reach
 * 0.93 of it, with every bind within its own window at the sandbox.
 */
import { SmppBindPool } from '../src/transport/smpp/bind-pool';
import { SandboxChild } from './sandbox-child';
import { measureSubmits, messagesForBound } from './transport-client';
import { result } from './bench-result';
import type { BenchResult } from './bench-result';

const WINDOW = 10;
const LATENCY_MS = 20;

async function runPool(port: number, binds: number, count: number): Promise<{ perSecond: number; cpuMicrosPerMessage: number }> {
  const pool = new SmppBindPool({
    host: '127.0.0.1',
    port,
    systemId: 'sandbox',
    password: 'sandbox',
    windowSize: WINDOW,
    binds,
    enquireLinkMs: 0,
    maxQueued: 1_000_000,
  });
  await pool.start();
  // Every bind up before the clock starts (start() resolves on the first).
  while (pool.boundCount < binds) await new Promise((r) => setTimeout(r, 5));
  const run = await measureSubmits((pdu) => pool.submit(pdu), count, binds * WINDOW * 2);
  await pool.close();
  return run;
}

export async function benchBinds(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const sandbox = await SandboxChild.start(0, { recordMode: 'none' });
  try {
    // A pass at 0 ms only warms both processes' JIT (as bench:bound does): the first row is not the cold one.
    await runPool(sandbox.port, 4, 40_000);
    await sandbox.setFaults({ latencyMs: LATENCY_MS });
    for (const binds of [1, 2, 4]) {
      const bound = (binds * WINDOW * 1000) / LATENCY_MS;
      const count = messagesForBound(binds * WINDOW, LATENCY_MS);
      await sandbox.reset();
      const run = await runPool(sandbox.port, binds, count);
      const sb = await sandbox.stats();
      if (sb.stats.accepted !== count) throw new Error(`binds bench: the sandbox accepted ${sb.stats.accepted} of ${count} submits`);
      if (sb.peakSessions !== binds) throw new Error(`binds bench: ${sb.peakSessions} binds at the sandbox, expected ${binds}`);
      if (sb.maxOutstanding > WINDOW) throw new Error(`binds bench: a bind had ${sb.maxOutstanding} submits outstanding, window ${WINDOW}`);
      const tag = `${binds} bind${binds > 1 ? 's' : ''}, window ${WINDOW} each, ${LATENCY_MS} ms`;
      console.log(`binds ${tag}: ${Math.round(run.perSecond)} msg/s of ${bound} (${run.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg)`);
      results.push(
        result(`binds vs binds x window/latency bound, ${tag}`, 'msg/s', run.perSecond, bound, 'binds x window/latency bound', '>= 0.93 (issue 21)'),
      );
      results.push(result(`binds CPU per message, ${tag}`, 'µs', run.cpuMicrosPerMessage, null));
    }
  } finally {
    await sandbox.stop();
  }
  return results;
}
