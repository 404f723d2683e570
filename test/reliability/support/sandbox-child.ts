/** Controls a sandbox SMSC running in a child process (sandbox-process.js), over IPC. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface ChildSandboxStats {
  stats: { binds: number; submits: number; accepted: number; throttled: number; failed: number };
  /** Distinct destinations that got a message. */
  unique: number;
  duplicates: { destinations: number; extraCopies: number };
}

export class ChildSandbox {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: ChildSandboxStats) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: ChildSandboxStats & { id?: number }) => {
      const resolve = message.id === undefined ? undefined : this.waiting.get(message.id);
      if (resolve && message.id !== undefined) {
        this.waiting.delete(message.id);
        resolve(message);
      }
    });
  }

  static start(latencyMs = 0): Promise<ChildSandbox> {
    const child = fork(path.join(__dirname, 'sandbox-process.js'), [], {
      env: { ...process.env, SANDBOX_LATENCY_MS: String(latencyMs) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`the sandbox process exited with ${code} before listening`));
      child.once('error', reject);
      child.once('exit', onExit);
      child.once('message', (message: { ready?: boolean; port?: number }) => {
        child.off('exit', onExit);
        if (message.ready && message.port) resolve(new ChildSandbox(child, message.port));
        else reject(new Error(`unexpected first message from the sandbox process: ${JSON.stringify(message)}`));
      });
    });
  }

  stats(): Promise<ChildSandboxStats> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ cmd: 'stats', id });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ cmd: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
