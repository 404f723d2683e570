/**
 * Queue mode for real: Issue in this process, Verify in separate node processes, each with its
 * own Redis connection and OtpService, sharing state only through Redis.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createRedisOtpStore } from '../../src/otp';
import type { OtpVerifyResult } from '../../src/otp';
import { compileOtpCore, PROJECT_ROOT } from './helpers/compile-otp';
import { deleteRedisPrefix, REDIS_URL, uniquePrefix } from './helpers/otp-backends';
import { makeService, PHONE, SERVER_KEY, wrongCode } from './helpers/service-factory';

interface Operation {
  op: 'issue' | 'verify';
  phone: string;
  code?: string;
  channel?: string;
}
interface OperationResult<T> {
  ok: boolean;
  value?: T;
  error?: string;
}
interface WorkerReply<T> {
  pid: number;
  results?: Array<OperationResult<T>>;
  failure?: string;
}

const compiled = compileOtpCore();
const redis = new Redis(REDIS_URL);
const keyPrefix = uniquePrefix();

afterAll(async () => {
  await deleteRedisPrefix(redis, keyPrefix);
  await redis.quit();
  compiled.remove();
});

/** Runs operations (concurrently) in a fresh node process and returns their results. */
function runInWorkerProcess<T>(operations: Operation[], now: number): Promise<WorkerReply<T>> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'fixtures/otp-worker-process.js'), [], {
      env: { ...process.env, NODE_PATH: join(PROJECT_ROOT, 'node_modules') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let reply: WorkerReply<T> | undefined;
    child.once('message', (message) => {
      reply = message as WorkerReply<T>;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (reply) resolve(reply);
      else reject(new Error(`OTP worker process exited with ${code} before answering`));
    });
    child.send({ compiledDir: compiled.dir, redisUrl: REDIS_URL, keyPrefix, serverKey: SERVER_KEY, now, operations });
  });
}

describe('OTP across processes through Redis', () => {
  test('issued here, checked in another process: wrong code, right code, then already used', async () => {
    const { service, clock } = makeService(createRedisOtpStore(redis, { keyPrefix }));
    const { code } = await service.issue(PHONE, 'login');
    const wrong = await runInWorkerProcess<OtpVerifyResult>([{ op: 'verify', phone: PHONE, code: wrongCode(code), channel: 'login' }], clock.now());
    expect(wrong.pid).not.toBe(process.pid);
    expect(wrong.results?.[0].value).toMatchObject({ approved: false, reason: 'invalid_code', attemptsLeft: 4 });
    const right = await runInWorkerProcess<OtpVerifyResult>([{ op: 'verify', phone: PHONE, code, channel: 'login' }], clock.now());
    expect(right.results?.[0].value).toMatchObject({ approved: true, status: 'approved' });
    expect(await service.verify(PHONE, code, 'login')).toMatchObject({ approved: false, reason: 'already_used' });
  });

  test('two worker processes verifying the right code at once: exactly one approves', async () => {
    const { service, clock } = makeService(createRedisOtpStore(redis, { keyPrefix }));
    const { code } = await service.issue(PHONE, 'payment');
    const operations: Operation[] = Array.from({ length: 8 }, () => ({ op: 'verify', phone: PHONE, code, channel: 'payment' }));
    const replies = await Promise.all([
      runInWorkerProcess<OtpVerifyResult>(operations, clock.now()),
      runInWorkerProcess<OtpVerifyResult>(operations, clock.now()),
    ]);
    const results = replies.flatMap((reply) => reply.results ?? []);
    expect(results).toHaveLength(16);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.value?.approved)).toHaveLength(1);
    expect(results.filter((r) => r.value?.reason === 'already_used')).toHaveLength(15);
  });
});
