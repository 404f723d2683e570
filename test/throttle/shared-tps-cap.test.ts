/**
 * The shared TPS cap from several processes, as n8n's queue mode runs them: each process has its
 * own transport and throttle, they share only Redis, and the sandbox counts every submit_sm by
 * its arrival. The attack pattern that broke the old limiter: every process sends one message,
 * stays idle for 3 s (holding whatever tokens it had), then sends flat out.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { busiestWindow } from '../../src/sandbox/message-store';
import { compileCore } from '../support/compile-core';
import type { CompiledCore } from '../support/compile-core';
import { SandboxProcess } from '../support/sandbox-process';
import { runSenders } from './support/sender-processes';

const REDIS = { host: '127.0.0.1', port: 6379 };

let core: CompiledCore;
let smsc: SandboxProcess;
const keys: string[] = [];

beforeAll(() => {
  core = compileCore();
});
afterAll(async () => {
  core.remove();
  const redis = new Redis(REDIS);
  for (const key of keys) {
    const found = await redis.keys(`*${key}*`);
    if (found.length > 0) await redis.del(...found);
  }
  await redis.quit();
});
beforeEach(async () => {
  smsc = await SandboxProcess.start(core);
});
afterEach(async () => {
  await smsc.stop();
});

function uniqueKey(): string {
  const key = `tps-test-${randomUUID()}`;
  keys.push(key);
  return key;
}

const cases = [
  { processes: 4, tps: 10, burst: 20 },
  { processes: 3, tps: 20, burst: 40 },
  { processes: 4, tps: 1000, burst: 1000 },
];

describe.each(cases)('shared TPS cap of $tps across $processes processes', ({ processes, tps, burst }) => {
  it(`one message each, 3 s idle, then ${burst} each flat out: no sliding second at the SMSC holds more than ${tps}`, async () => {
    const outcomes = await runSenders(core, processes, {
      port: smsc.port, tps, key: uniqueKey(), redis: REDIS,
      phases: [{ send: 1 }, { idleMs: 3000 }, { send: burst }],
    });
    const { submitTimes, stats } = await smsc.report();
    const busiest = busiestWindow(submitTimes, 1000);
    expect(outcomes.map((o) => o.failed)).toEqual(outcomes.map(() => 0));
    expect(stats.submits).toBe(processes * (burst + 1));
    // The message says what an attacker (or bad luck) got through.
    expect({ busiestSecond: busiest, cap: tps }).toEqual({ busiestSecond: Math.min(busiest, tps), cap: tps });
  });
});
