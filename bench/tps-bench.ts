/**
 * The shared TPS cap (issue 18): 1, 2, 4 and 8 processes share one budget through Redis and send
 * flat out to the sandbox SMSC (its own process). Reports, per run, the busiest sliding second
 * at the SMSC (must be at most the cap) and the achieved share of the cap.
 */
import { fork } from 'child_process';
import { randomUUID } from 'crypto';
import { setPriority } from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { result } from './bench-result';
import type { BenchResult } from './bench-result';
import { SandboxChild } from './sandbox-child';
import { busiestWindow } from '../src/sandbox/message-store';

const REDIS_PORT = 6379;
const SECONDS = 6;

interface SenderReply {
  ready?: boolean;
  done?: boolean;
  failure?: string;
  failed?: number;
  expiredTokens?: number;
}

/** How far the tightest run of cap + 1 submits stayed from fitting in one second (ms; negative: the cap was broken). */
export function tightestMargin(times: readonly number[], cap: number): number {
  let tightest = Infinity;
  for (let i = 0; i + cap < times.length; i++) tightest = Math.min(tightest, times[i + cap] - times[i]);
  return tightest - 1000;
}

/**
 * The mean count of a sliding second whose start runs over the middle of the run (the first
 * and the last second left out): each arrival t counts for the part of [t - 1000, t] that lies
 * in that range. This is the rate a carrier sees, without the edges of the run.
 */
export function meanSecond(times: readonly number[]): number {
  const from = times[0] + 1000;
  const to = times[times.length - 1] - 1000;
  if (!(to > from)) return NaN;
  let covered = 0;
  for (const t of times) covered += Math.max(0, Math.min(t, to) - Math.max(t - 1000, from));
  return covered / (to - from);
}

function startSender(job: object): Promise<{ go: () => Promise<SenderReply>; kill: () => void }> {
  const child = fork(path.join(__dirname, 'tps-sender.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (): Promise<SenderReply> =>
    new Promise((resolve, reject) => {
      child.once('message', (msg: SenderReply) => (msg.failure ? reject(new Error(msg.failure)) : resolve(msg)));
      child.once('exit', (code) => reject(new Error(`TPS sender exited with ${code}`)));
    });
  const ready = next();
  child.send(job);
  return ready.then(() => ({
    go: () => {
      const done = next();
      child.send('go');
      return done;
    },
    kill: () => child.kill('SIGKILL'),
  }));
}

async function runOnce(
  sandbox: SandboxChild,
  tps: number,
  processes: number,
): Promise<{ busiest: number; mean: number; margin: number; failed: number; expired: number }> {
  const key = `bench-${randomUUID()}`;
  const perProcess = Math.ceil((tps * SECONDS) / processes);
  await sandbox.reset();
  const senders = await Promise.all(
    Array.from({ length: processes }, (_, i) =>
      startSender({
        port: sandbox.port,
        tps,
        key,
        guardMs: process.env.BENCH_TPS_GUARD_MS ? Number(process.env.BENCH_TPS_GUARD_MS) : undefined,
        tokenLifetimeMs: process.env.BENCH_TPS_LIFETIME_MS ? Number(process.env.BENCH_TPS_LIFETIME_MS) : undefined,
        redisPort: REDIS_PORT,
        messages: perProcess,
        firstNumber: 447000000000 + i * 10_000_000,
      }),
    ),
  );
  try {
    const replies = await Promise.all(senders.map((s) => s.go()));
    const times = await sandbox.submitTimes();
    return {
      busiest: busiestWindow(times, 1000),
      mean: meanSecond(times),
      margin: tightestMargin(times, tps),
      failed: replies.reduce((n, r) => n + (r.failed ?? 0), 0),
      expired: replies.reduce((n, r) => n + (r.expiredTokens ?? 0), 0),
    };
  } finally {
    senders.forEach((s) => s.kill());
    const redis = new Redis({ port: REDIS_PORT });
    await redis.del(`sms-gateway:tps:{${key}}:grants`, `sms-gateway:tps:{${key}}:budget`);
    redis.disconnect();
  }
}

export async function benchSharedTps(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const sandbox = await SandboxChild.start(0, { recordMode: 'count' });
  try {
    // The SMSC's clock is the judge: on a busy host it must read as bytes arrive (needs root; else normal priority).
    if (sandbox.pid !== undefined) setPriority(sandbox.pid, -10);
  } catch {
    // not permitted
  }
  try {
    for (const tps of [100, 1000]) {
      for (const processes of [1, 2, 4, 8]) {
        const run = await runOnce(sandbox, tps, processes);
        if (run.failed > 0) throw new Error(`shared TPS bench: ${run.failed} messages failed`);
        const tag = `cap ${tps}, ${processes} process${processes > 1 ? 'es' : ''}`;
        console.log(
          `shared TPS ${tag}: busiest sliding second ${run.busiest}, mean second ${run.mean.toFixed(1)} (${(run.mean / tps).toFixed(3)} of the cap), ${tps + 1} submits never closer than 1000 ms + ${run.margin.toFixed(1)} ms, ${run.expired} tokens expired unused`,
        );
        results.push(result(`shared TPS busiest sliding second at the SMSC, ${tag}`, 'submits', run.busiest, tps, 'cap', '<= 1'));
        results.push(result(`shared TPS achieved share of the cap, ${tag}`, 'submits/s', run.mean, tps, 'cap', '>= 0.95'));
      }
    }
  } finally {
    await sandbox.stop();
  }
  return results;
}
