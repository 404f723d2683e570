import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { SlidingWindowLog, windowLogPolicy } from '../../src/throttle/sliding-window-log';
import { TpsThrottle } from '../../src/throttle/tps-throttle';
import { busiestGrantSpan } from './support/grant-span';
import type { RecordedGrant } from './support/grant-span';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { numberRange, simpleSubmit } from '../support/messages';
import { compileCore } from '../support/compile-core';
import { SandboxProcess } from '../support/sandbox-process';

const REDIS = { host: '127.0.0.1', port: 6379 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('sliding-window log (injected clock)', () => {
  it('never grants more than the cap in any window, nor more than perBucket per slot, over 20,000 random requests', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const tps of [1, 7, 10, 100, 1000]) {
      const policy = windowLogPolicy(tps, 1040);
      const log = new SlidingWindowLog(policy);
      const grants: Array<[number, number]> = [];
      let now = 0;
      for (let i = 0; i < 20_000; i++) {
        now += random() < 0.01 ? random() * 3000 : random() * 5; // mostly busy, sometimes idle for seconds
        const answer = log.take(now, 1 + Math.floor(random() * 20));
        if (answer.granted > 0) grants.push([now, answer.granted]);
        else if (!(answer.retryInMs > 0)) throw new Error(`refused without a wait at ${now}`);
      }
      let start = 0;
      let inWindow = 0;
      let busiest = 0;
      for (const [at, n] of grants) {
        inWindow += n;
        while (grants[start][0] <= at - policy.windowMs) inWindow -= grants[start++][1];
        busiest = Math.max(busiest, inWindow);
      }
      expect({ tps, busiest }).toEqual({ tps, busiest: Math.min(busiest, policy.cap) });
      const perSlot = new Map<number, number>();
      for (const [at, n] of grants) perSlot.set(Math.floor(at / policy.bucketMs), (perSlot.get(Math.floor(at / policy.bucketMs)) ?? 0) + n);
      expect(Math.max(...perSlot.values())).toBeLessThanOrEqual(policy.perBucket);
    }
  });

  it('says how long to wait when the cap is reached: until the oldest grant leaves the window', () => {
    const log = new SlidingWindowLog({ cap: 2, windowMs: 1000, bucketMs: 100, perBucket: 2 });
    expect(log.take(0, 5)).toEqual({ granted: 2, retryInMs: 0, at: 0 });
    expect(log.take(400, 1)).toEqual({ granted: 0, retryInMs: 600 });
    expect(log.take(1000, 1)).toEqual({ granted: 1, retryInMs: 0, at: 1000 });
  });

  it("counts a grant until its tokens' end: tokens that may be held 200 ms keep the window closed 200 ms longer", () => {
    const log = new SlidingWindowLog({ cap: 2, windowMs: 1000, bucketMs: 100, perBucket: 2 });
    expect(log.take(0, 2, 200).granted).toBe(2);
    expect(log.take(1000, 1)).toEqual({ granted: 0, retryInMs: 200 });
    expect(log.take(1200, 1).granted).toBe(1);
  });

  it('charges a write that left 300 ms after its token when it left: the next grant waits a window from then (it came 700 ms after the late write before)', () => {
    const log = new SlidingWindowLog({ cap: 2, windowMs: 1000, bucketMs: 100, perBucket: 2 });
    expect(log.take(0, 2).granted).toBe(2);
    log.charge(300, 2);
    expect(log.take(1000, 2)).toEqual({ granted: 0, retryInMs: 300 });
    expect(log.take(1300, 2).granted).toBe(2);
  });
});

describe('shared TPS budget tokens', () => {
  const keys: string[] = [];
  afterAll(async () => {
    const redis = new Redis(REDIS);
    for (const key of keys) await redis.del(`sms-gateway:tps:{${key}}:grants`, `sms-gateway:tps:{${key}}:budget`);
    await redis.quit();
  });

  it('10 tokens granted, 1 used, 3 s idle: the other 9 are dropped when their lifetime ends, not spent on top of fresh ones', async () => {
    const key = `tps-test-${randomUUID()}`;
    keys.push(key);
    // A lifetime a loaded test machine cannot miss between the grant and the first take (default: 15 ms).
    const throttle = new TpsThrottle({ tps: 100, key, redis: REDIS, tokenLifetimeMs: 500 });
    try {
      await throttle.ready();
      await new Promise<void>((resolve) => throttle.onAvailable(resolve, () => 10));
      expect(throttle.tryTake()).toBe(true);
      await sleep(3000);
      expect(throttle.tryTake()).toBe(false);
      expect(throttle.expiredTokens).toBe(9);
    } finally {
      await throttle.close();
    }
  });
});

/**
 * Judged on the grants (this process's clock): the SMSC's count also moves with how long the OS
 * leaves the sender or the SMSC without a CPU, which no limiter controls (see late-writes.test.ts).
 */
describe('TPS limit in one process (sandbox in its own process)', () => {
  const core = compileCore();
  let smsc: SandboxProcess;
  afterEach(async () => smsc.stop());
  afterAll(() => core.remove());

  const send = async (tps: number, windowSize: number, run: (transport: SmppTransport) => Promise<void>): Promise<{ granted: number; submits: number }> => {
    const grants: RecordedGrant[] = [];
    const throttle = new TpsThrottle({ tps, key: 'local', onGrant: (grant) => grants.push(grant) });
    smsc = await SandboxProcess.start(core);
    const transport = new SmppTransport({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'sandbox',
      password: 'sandbox',
      enquireLinkMs: 0,
      windowSize,
      throttle,
    });
    await transport.start();
    try {
      await run(transport);
    } finally {
      await transport.close(100);
      await throttle.close();
    }
    const { submitTimes } = await smsc.report();
    return { granted: busiestGrantSpan(grants, 1025), submits: submitTimes.length };
  };

  it('1 message, 3 s idle, then 300 flat out at a cap of 100: no second holds more than 100 grants', async () => {
    const busiest = await send(100, 50, async (transport) => {
      await transport.submit(simpleSubmit('447700900000'));
      await sleep(3000);
      await Promise.all(numberRange(300).map((to) => transport.submit(simpleSubmit(to))));
    });
    expect(busiest).toEqual({ granted: Math.min(busiest.granted, 100), submits: 301 });
  });

  it('1,000 queued in a turn that then runs 100 ms more, at a cap of 200: no second holds more than 200 grants', async () => {
    const busiest = await send(200, 20, async (transport) => {
      const sending = Promise.all(numberRange(1000).map((to) => transport.submit(simpleSubmit(to, `msg ${to}`))));
      const until = performance.now() + 100; // the rest of a busy turn (n8n preparing items, say)
      while (performance.now() < until);
      await sending;
    });
    expect(busiest).toEqual({ granted: Math.min(busiest.granted, 200), submits: 1000 });
  });
});
