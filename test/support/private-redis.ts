/**
 * A redis-server of a test's own, on a free port, that the test stops and starts again (Redis
 * down, Redis restarted mid-run): never the shared one on 6379, which other tests use.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from '../inbound/support/trigger-node-setup';

export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  /** Starts (again) on the same port, empty (no persistence), and waits until it answers. */
  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await answers(this.port))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server on port ${this.port} did not answer`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Empties it, as a restart without persistence would, without the time a restart takes. */
  async flushAll(): Promise<void> {
    const client = new Redis({ port: this.port });
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  /** Kills it at once (SIGKILL: like a crash, nothing is answered any more). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

async function answers(port: number): Promise<boolean> {
  const client = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
