import * as path from 'path';
/**
 * `npm run bench`: every speed and memory target, measured side by side in one run against the
 * same sandbox SMSC (in its own process). Prints a table and writes bench/results.json.
 * Select parts with BENCH_ONLY=transport,sink,binds,metrics,tps,broadcast,n8n,otp; `million`
 * (n8n-million-bench.ts) and `queue` (n8n-queue-bench.ts) run only when named.
 */
import { SandboxChild } from './sandbox-child';
import { runRawClient } from './raw-smpp-client';
import { messagesForBound, runTransport } from './transport-client';
import { printTable, result, writeResults } from './bench-result';
import type { BenchResult } from './bench-result';
import { BenchUsageError, parseSmscOptions, SMSC_USAGE } from './smsc-options';

const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const wants = (part: string): boolean => only.length === 0 || only.includes(part);

async function benchTransport(results: BenchResult[]): Promise<void> {
  // Throughput only: the sandbox keeps counters, not destinations (each client checks every answer).
  const sandbox = await SandboxChild.start(0, { recordMode: 'none' });
  try {
    for (const latencyMs of [0, 20]) {
      await sandbox.setFaults({ latencyMs });
      for (const window of [10, 100, 1000]) {
        // Enough messages for ~3 s at the expected rate where latency bounds it; at 0 ms, 100,000
        // (our client sends them in about half a second, the raw client in about three).
        const bound = latencyMs > 0 ? (window * 1000) / latencyMs : Infinity;
        const count = latencyMs > 0 ? messagesForBound(window, latencyMs) : 100_000;
        await sandbox.reset();
        const raw = await runRawClient(sandbox.port, count, window);
        await sandbox.reset();
        const ours = await runTransport(sandbox.port, count, window);
        const sb = await sandbox.stats();
        if (sb.stats.accepted !== count) throw new Error(`transport bench: the sandbox accepted ${sb.stats.accepted} of ${count} submits`);
        const tag = `window ${window}, ${latencyMs} ms`;
        console.log(
          `transport ${tag}: ours ${Math.round(ours.perSecond)} msg/s (${ours.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg), raw smpp ${Math.round(raw.perSecond)} msg/s (${raw.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg), sandbox ${(sb.cpuMicros / count).toFixed(1)} µs CPU/msg`,
        );
        results.push(
          result(
            `transport throughput, ${tag}`,
            'msg/s',
            ours.perSecond,
            raw.perSecond,
            'raw smpp client',
            latencyMs === 0 && window <= 100 ? '>= 0.8' : undefined,
          ),
        );
        results.push(
          result(
            `transport CPU per message, ${tag}`,
            'µs',
            ours.cpuMicrosPerMessage,
            raw.cpuMicrosPerMessage,
            'raw smpp client',
            latencyMs === 0 && window === 100 ? '< 1 (and <= 50 µs)' : undefined,
          ),
        );
        // The sink's own CPU while it answered our client (its process, whole run): it must not be the bottleneck.
        results.push(result(`sandbox CPU per message (answering ours), ${tag}`, 'µs', sb.cpuMicros / count, null));
        if (latencyMs > 0) {
          results.push(
            result(
              `transport vs window/latency bound, ${tag}`,
              'msg/s',
              ours.perSecond,
              bound,
              'window/latency bound',
              window <= 100 ? '>= 0.9' : '>= 0.93 (issue 11)',
            ),
          );
          results.push(result(`raw smpp vs window/latency bound, ${tag}`, 'msg/s', raw.perSecond, bound, 'window/latency bound'));
        }
      }
    }
  } finally {
    await sandbox.stop();
  }
}

/** `--smsc host:port ...`: the throughput rows against the user's SMSC instead of the local runs. */
async function againstUserSmsc(): Promise<boolean> {
  let parsed: ReturnType<typeof parseSmscOptions>;
  try {
    parsed = parseSmscOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    console.error(`npm run bench: ${err.message}\n\n${SMSC_USAGE}`);
    process.exit(2);
  }
  if (parsed === null) return false;
  if ('help' in parsed) {
    console.log(SMSC_USAGE);
    return true;
  }
  const { benchExternalSmsc, smscWarning } = await import('./external-smsc-bench');
  console.log(smscWarning(parsed));
  if (!parsed.yes) {
    console.log('  Starting in 10 s: press Ctrl-C to stop (--yes skips this wait).');
    await new Promise((r) => setTimeout(r, 10_000));
  }
  const results = await benchExternalSmsc(parsed);
  console.log('');
  printTable(results);
  console.log(`\nwritten to ${writeResults('results-smsc.json', results)}`);
  return true;
}

async function main(): Promise<void> {
  if (await againstUserSmsc()) return;
  const results: BenchResult[] = [];
  if (wants('transport')) await benchTransport(results);
  if (wants('sink')) {
    const { benchSinkCpu } = await import('./sink-cpu-bench');
    results.push(...(await benchSinkCpu()));
  }
  if (wants('binds')) {
    const { benchBinds } = await import('./binds-bench');
    results.push(...(await benchBinds()));
  }
  if (wants('metrics')) {
    const { benchMetricsOverhead } = await import('./metrics-bench');
    results.push(...(await benchMetricsOverhead()));
  }
  if (wants('tps')) {
    const { benchSharedTps } = await import('./tps-bench');
    results.push(...(await benchSharedTps()));
  }
  if (wants('broadcast')) {
    const { benchBroadcast } = await import('./broadcast-bench');
    results.push(...(await benchBroadcast()));
  }
  if (wants('n8n')) {
    // The real n8n (provisioned in the cache folder, see scripts/n8n): 100,000 recipients in one execution.
    const { benchN8nBroadcast } = await import('./n8n-bench');
    results.push(...(await benchN8nBroadcast()));
  }
  if (only.includes('million')) {
    // Opt-in (a few minutes): a million recipients from a CSV file in one execution of the real n8n.
    const { benchN8nMillion } = await import('./n8n-million-bench');
    results.push(...(await benchN8nMillion()));
  }
  if (only.includes('queue')) {
    // Opt-in (starts an n8n main and 2 workers): one broadcast split over 2 queue-mode workers.
    const { benchN8nQueue } = await import('./n8n-queue-bench');
    results.push(...(await benchN8nQueue()));
  }
  if (wants('otp')) {
    try {
      const { benchOtp } = await import('./otp-bench');
      const otp = await benchOtp({});
      results.push(result('OTP issue+verify pairs per second (Redis store)', 'pairs/s', otp.pairsPerSecond, 2000, 'target', '>= 1'));
      results.push(result('OTP verify latency p99 (Redis store)', 'ms', otp.verifyP99Ms, null));
    } catch (err) {
      console.error(`OTP bench skipped: ${(err as Error).message}`);
    }
  }
  console.log('');
  printTable(results);
  const file = writeResults('results.json', results);
  console.log(`\nwritten to ${file}`);
  // Keep bench/README.md's tables in step with the last run.
  require(path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../scripts/bench-tables.js' : '../scripts/bench-tables.js'));
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
