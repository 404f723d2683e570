import { fork } from 'child_process';
import type { ChildProcess, ForkOptions } from 'child_process';

/**
 * A bench peer (the sandbox SMSC, the `smpp`-library sink) in its own child process, so its CPU
 * is not counted as the client's and it cannot be the client's bottleneck on one event loop.
 * The child sends `{ ready, port }` once listening and answers `{ id, ... }` to each command.
 */
export class ChildController {
  private nextId = 1;
  private readonly waiting = new Map<number, (msg: Record<string, unknown>) => void>();

  protected constructor(
    protected readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (msg: Record<string, unknown>) => {
      const id = msg.id as number | undefined;
      const waiter = id ? this.waiting.get(id) : undefined;
      if (id && waiter) {
        this.waiting.delete(id);
        waiter(msg);
      }
    });
  }

  /** Forks `script` and resolves with the port it reports once it is ready. */
  protected static fork(script: string, name: string, options: ForkOptions): Promise<{ child: ChildProcess; port: number }> {
    const child = fork(script, [], { ...options, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${name} process exited with ${code}`)));
      child.once('message', (msg: { ready?: boolean; port?: number }) => {
        if (msg.ready) resolve({ child, port: msg.port ?? 0 });
      });
    });
  }

  protected call(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...message, id });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  reset(): Promise<unknown> {
    return this.call({ cmd: 'reset' });
  }

  /** Asks the child to stop, and kills it if it has not exited within 2 s. */
  async stop(): Promise<void> {
    this.child.removeAllListeners('exit');
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ cmd: 'stop', id: 0 });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    this.child.kill('SIGKILL');
  }
}
