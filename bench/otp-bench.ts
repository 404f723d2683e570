/**
 * OTP throughput on the Redis store: issue + verify pairs, many in flight, with the pumping
 * guard's counters on. Target on the 2-core dev machine: at least 2,000 pairs/s.
 * Each pair is 4 Redis round trips (read + send script, read + check script).
 *
 * Run: build (npm run build) and `node dist/bench/otp-bench.js [pairs] [inFlight]`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { createRedisOtpStore, OtpService } from '../src/otp';

export interface OtpBenchOptions {
  redisUrl?: string;
  /** issue + verify pairs to run (default 20,000). */
  pairs?: number;
  /** pairs in flight at once (default 50). */
  inFlight?: number;
}

export interface OtpBenchResult {
  pairsPerSecond: number;
  verifyP99Ms: number;
  issueP99Ms: number;
  /** CPU time of this process per pair (user + system), in ms. */
  cpuMsPerPair: number;
  pairs: number;
}

export async function benchOtp(options: OtpBenchOptions = {}): Promise<OtpBenchResult> {
  const pairs = options.pairs ?? 20_000;
  const inFlight = options.inFlight ?? 50;
  const redis = new Redis(options.redisUrl ?? 'redis://127.0.0.1:6379');
  const keyPrefix = `bench:otp:${randomBytes(4).toString('hex')}:`;
  const service = new OtpService({
    store: createRedisOtpStore(redis, { keyPrefix }),
    serverKey: randomBytes(32),
    defaultCountry: 'DE',
    // Realistic per-number limit; prefix and global ceilings high enough not to trip.
    guard: { perNumberPerHour: 10, perPrefixPerHour: 1e9, globalPerHour: 1e9 },
  });
  const issueMs: number[] = [];
  const verifyMs: number[] = [];
  let next = 0;
  const runPair = async (index: number): Promise<void> => {
    const phone = `+49151${String(10_000_000 + index).padStart(8, '0')}`;
    const t0 = performance.now();
    const { code } = await service.issue(phone, 'bench');
    const t1 = performance.now();
    const result = await service.verify(phone, code, 'bench');
    verifyMs.push(performance.now() - t1);
    issueMs.push(t1 - t0);
    if (!result.approved) throw new Error(`bench pair ${index} was not approved (${result.reason})`);
  };
  const lane = async (): Promise<void> => {
    while (next < pairs) await runPair(next++);
  };
  try {
    await redis.ping();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(Array.from({ length: inFlight }, lane));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      pairsPerSecond: Math.round(pairs / seconds),
      verifyP99Ms: percentile(verifyMs, 0.99),
      issueP99Ms: percentile(issueMs, 0.99),
      cpuMsPerPair: Number(((cpu.user + cpu.system) / 1000 / pairs).toFixed(3)),
      pairs,
    };
  } finally {
    await deletePrefix(redis, keyPrefix);
    await redis.quit();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return Number(value.toFixed(2));
}

async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = nextCursor;
  } while (cursor !== '0');
}

if (require.main === module) {
  const [pairs, inFlight] = process.argv.slice(2).map(Number);
  benchOtp({ pairs: pairs || undefined, inFlight: inFlight || undefined, redisUrl: process.env.REDIS_URL }).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
