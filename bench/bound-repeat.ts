/**
 * `npm run bench:bound`: our transport at 20 ms SMSC latency, windows 10, 100 and 1000, repeated
 * (BENCH_REPEAT, default 5) on one sandbox: the share of the window/latency bound per run, with
 * min / median / max. One run of `npm run bench` is one sample on a noisy machine; this shows the
 * spread. The first pass at 0 ms only warms both processes' JIT.
 */
import { SandboxChild } from './sandbox-child';
import { messagesForBound, runTransport } from './transport-client';

const LATENCY_MS = 20;

async function main(): Promise<void> {
  const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 5));
  const sandbox = await SandboxChild.start(0, { recordMode: 'none' });
  try {
    await runTransport(sandbox.port, 60_000, 100);
    await sandbox.setFaults({ latencyMs: LATENCY_MS });
    const shares = new Map<number, number[]>();
    for (let r = 0; r < repeat; r++) {
      for (const window of [10, 100, 1000]) {
        const bound = (window * 1000) / LATENCY_MS;
        await sandbox.reset();
        const run = await runTransport(sandbox.port, messagesForBound(window, LATENCY_MS), window);
        const list = shares.get(window) ?? [];
        list.push(run.perSecond / bound);
        shares.set(window, list);
      }
    }
    for (const [window, list] of shares) {
      const sorted = [...list].sort((a, b) => a - b);
      const f = (n: number): string => n.toFixed(3);
      console.log(
        `window ${window}, ${LATENCY_MS} ms: share of the bound per run ${list.map(f).join(' ')}; min ${f(sorted[0])}, median ${f(sorted[Math.floor(sorted.length / 2)])}, max ${f(sorted[sorted.length - 1])}`,
      );
    }
  } finally {
    await sandbox.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
