/**
 * The shared TPS budget when its Redis goes away: nobody may send on stale tokens, messages fail
 * with the reason once the deadline passes, and a Redis that comes back empty (restarted, no
 * persistence) must not hand out a fresh second's budget on top of the one just spent.
 */
import { busiestWindow } from '../../src/sandbox/message-store';
import { TpsThrottle } from '../../src/throttle/tps-throttle';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { SmppSubmitError } from '../../src/transport/smpp/types';
import { numberRange, simpleSubmit } from '../support/messages';
import { compileCore } from '../support/compile-core';
import type { CompiledCore } from '../support/compile-core';
import Redis from 'ioredis';
import { PrivateRedis } from '../../bench/private-redis';
import { SandboxProcess } from '../support/sandbox-process';
import { waitFor } from '../support/sandbox';

const TPS = 50;

let core: CompiledCore;
let redis: PrivateRedis;
let smsc: SandboxProcess;
const opened: Array<{ transport: SmppTransport; throttle: TpsThrottle }> = [];

beforeAll(() => {
  core = compileCore();
});
afterAll(() => core.remove());
beforeEach(async () => {
  redis = await PrivateRedis.start({ persist: false });
  smsc = await SandboxProcess.start(core);
});
afterEach(async () => {
  for (const { transport, throttle } of opened.splice(0)) {
    await transport.close(100);
    await throttle.close();
  }
  await smsc.stop();
  await redis.stop();
});

/** One "n8n process": its own transport and throttle, sharing the budget through the private Redis. */
async function openProcess(extra: { unavailableAfterMs?: number } = {}): Promise<{ transport: SmppTransport; throttle: TpsThrottle }> {
  // 60 ms of guard: the senders are the jest worker itself (see tps-throttle.test.ts).
  const throttle = new TpsThrottle({ tps: TPS, key: 'redis-down-test', redis: { host: '127.0.0.1', port: redis.port }, guardMs: 60, ...extra });
  await throttle.ready();
  const transport = new SmppTransport({
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'sandbox',
    password: 'sandbox',
    enquireLinkMs: 0,
    windowSize: 20,
    throttle,
  });
  await transport.start();
  const process = { transport, throttle };
  opened.push(process);
  return process;
}

async function submitsAtLeast(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await smsc.report()).submitTimes.length < count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} submits at the SMSC`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Outcome = { ok: true } | { ok: false; error: SmppSubmitError; settledAt: number };

function sendAll(transport: SmppTransport, numbers: string[]): Promise<Outcome[]> {
  return Promise.all(
    numbers.map((to) =>
      transport.submit(simpleSubmit(to)).then(
        (): Outcome => ({ ok: true }),
        (error: SmppSubmitError): Outcome => ({ ok: false, error, settledAt: Date.now() }),
      ),
    ),
  );
}

it(`Redis killed while 2 processes send 300 at ${TPS} TPS: nothing reaches the SMSC after 50 ms, and after the 1.5 s deadline every waiting message fails naming Redis`, async () => {
  const processes = [await openProcess({ unavailableAfterMs: 1500 }), await openProcess({ unavailableAfterMs: 1500 })];
  const sending = processes.map((p, i) => sendAll(p.transport, numberRange(150, 447100000000 + i * 1000)));
  await submitsAtLeast(40);
  await redis.kill();
  const killedAt = performance.timeOrigin + performance.now();
  const outcomes = (await Promise.all(sending)).flat();
  const { submitTimes } = await smsc.report();
  const late = submitTimes.filter((t) => t > killedAt + 50);
  expect({ submitsMoreThan50msAfterRedisDied: late.length }).toEqual({ submitsMoreThan50msAfterRedisDied: 0 });
  const failed = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
  expect(failed.length + submitTimes.length).toBe(300);
  expect(failed.length).toBeGreaterThan(0);
  for (const f of failed) {
    expect(f.error.reason).toBe('limit_unavailable');
    expect(f.error.message).toMatch(
      new RegExp(
        `^Cannot reach Redis at 127\\.0\\.0\\.1:${redis.port} for the shared TPS limit .*: (connection refused|connection closed|not connected).*; the message was not sent$`,
      ),
    );
    expect(f.error.possibleDuplicate).toBe(false);
  }
  // Failed at the deadline, not at once, and not much later.
  const firstFailure = Math.min(...failed.map((f) => f.settledAt));
  expect(firstFailure - killedAt).toBeGreaterThanOrEqual(1400);
  expect(firstFailure - killedAt).toBeLessThan(5000);

  // Redis back (empty): the throttle notices by itself, sending resumes, and the cap held over the whole run.
  await redis.restart();
  await waitFor(() => processes[0].throttle.unavailable() === null, 'the throttle to see Redis again', 5000);
  const after = (await sendAll(processes[0].transport, numberRange(60, 447200000000))).filter((o) => !o.ok);
  expect(after).toEqual([]);
  expect(busiestWindow((await smsc.report()).submitTimes, 1000)).toBeLessThanOrEqual(TPS);
});

it(`Redis emptied mid-run (a restart without persistence, or FLUSHALL) after one process spent the second's ${TPS}: a second process starting then gets nothing that second`, async () => {
  const [first, second] = [await openProcess(), await openProcess()];
  const firstSending = sendAll(first.transport, numberRange(100, 447300000000));
  await submitsAtLeast(TPS);
  const client = new Redis({ port: redis.port });
  await client.flushall();
  client.disconnect();
  // A new execution on another worker: an empty log would grant it a full second again at once.
  const outcomes = (await Promise.all([firstSending, sendAll(second.transport, numberRange(100, 447400000000))])).flat();
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  const busiest = busiestWindow((await smsc.report()).submitTimes, 1000);
  expect({ busiestSecond: busiest, cap: TPS }).toEqual({ busiestSecond: Math.min(TPS, busiest), cap: TPS });
});
