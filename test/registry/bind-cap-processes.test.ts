// A carrier allows 4 binds for the account; two n8n processes each want 3. With Redis leases the
// sandbox never sees more than 4 at once, and the binds of a process that dies (kill -9) go to
// the other process once their leases run out.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { compileCore } from '../support/compile-core';
import type { CompiledCore } from '../support/compile-core';
import { startSandbox, waitFor } from '../support/sandbox';

interface Reply {
  ready?: boolean;
  failure?: string;
  bound?: number;
  sent?: number;
  failed?: number;
}

class PoolProcess {
  private readonly replies: Reply[] = [];
  private waiter: (() => void) | null = null;
  readonly child: ChildProcess;
  constructor(core: CompiledCore, config: Record<string, unknown>) {
    this.child = fork(join(__dirname, 'fixtures/bind-pool-process.js'), [], {
      env: { ...core.env, SMS_GATEWAY_BIND_LEASE_MS: '1500' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (reply: Reply) => {
      this.replies.push(reply);
      this.waiter?.();
    });
    this.child.send({ ...config, coreDir: core.dir });
  }
  async next(): Promise<Reply> {
    const deadline = Date.now() + 20_000;
    while (this.replies.length === 0) {
      if (Date.now() > deadline) throw new Error('no answer from the process');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 100);
      });
    }
    return this.replies.shift() as Reply;
  }
  async ask(message: Record<string, unknown>): Promise<Reply> {
    this.child.send(message);
    return this.next();
  }
  kill(): void {
    this.child.kill('SIGKILL');
  }
}

describe('a cap on binds across n8n processes (Redis leases)', () => {
  let core: CompiledCore;
  let smsc: SandboxSmsc;
  const processes: PoolProcess[] = [];
  const keyPrefix = `test-bindcap-${process.pid}-${Date.now()}:`;
  beforeAll(() => {
    core = compileCore();
  });
  afterAll(async () => {
    core.remove();
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) p.kill();
    await smsc.stop();
  });

  const start = (firstNumber: number): PoolProcess => {
    const p = new PoolProcess(core, { port: smsc.port, binds: 3, cap: 4, keyPrefix, firstNumber });
    processes.push(p);
    return p;
  };

  it('two processes with 3 binds each and a cap of 4: never more than 4 binds at the sandbox', async () => {
    smsc = await startSandbox();
    let over = 0;
    smsc.on('bound', () => {
      if (smsc.sessionCount > 4) over++;
    });
    const a = start(447000000000);
    expect(await a.next()).toMatchObject({ ready: true });
    await waitFor(() => smsc.sessionCount === 3, "the first process's 3 binds");
    const b = start(447100000000);
    expect(await b.next()).toMatchObject({ ready: true });
    await waitFor(() => smsc.sessionCount === 4, '4 binds');
    // The second process keeps trying for its other two binds: still 4.
    await new Promise((r) => setTimeout(r, 1500));
    expect(smsc.sessionCount).toBe(4);
    expect(await b.ask({ status: true })).toMatchObject({ bound: 1 });
    // Both send, over the binds they hold.
    const [sentA, sentB] = await Promise.all([a.ask({ send: 300 }), b.ask({ send: 300 })]);
    expect(sentA).toMatchObject({ sent: 300, failed: 0 });
    expect(sentB).toMatchObject({ sent: 300, failed: 0 });
    // The first process dies without a word: its leases run out and the second takes them (3, its own count).
    a.kill();
    await waitFor(() => smsc.sessionCount === 1, "the dead process's binds gone");
    await waitFor(() => smsc.sessionCount === 3, 'the second process taking the freed slots', 15_000);
    expect(await b.ask({ status: true })).toMatchObject({ bound: 3 });
    // A new process gets the one slot left.
    const c = start(447200000000);
    expect(await c.next()).toMatchObject({ ready: true, bound: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(smsc.sessionCount).toBe(4);
    expect(smsc.peakSessionCount).toBe(4);
    expect(over).toBe(0);
  }, 60_000);
});
