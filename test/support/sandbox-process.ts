import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CompiledCore } from './compile-core';

export interface SandboxReport {
  /** Arrival of every submit_sm, ms since the epoch, oldest first. */
  submitTimes: number[];
  stats: Record<string, number>;
}

/** A sandbox SMSC (system_id and password "sandbox") in its own process; see fixtures/sandbox-process.js. */
export class SandboxProcess {
  private nextId = 1;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static start(core: CompiledCore): Promise<SandboxProcess> {
    const child = fork(join(__dirname, 'fixtures/sandbox-process.js'), [], { env: core.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    raisePriority(child.pid);
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
      child.once('message', (message: { port: number }) => resolve(new SandboxProcess(child, message.port)));
      child.send({ coreDir: core.dir });
    });
  }

  private call<T>(cmd: string): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const onMessage = (message: T & { id: number }): void => {
        if (message.id !== id) return;
        this.child.off('message', onMessage);
        resolve(message);
      };
      this.child.on('message', onMessage);
      this.child.send({ cmd, id });
    });
  }

  report(): Promise<SandboxReport> {
    return this.call<SandboxReport>('report');
  }

  async stop(): Promise<void> {
    this.child.removeAllListeners('exit');
    await Promise.race([this.call('stop'), new Promise((r) => setTimeout(r, 2000))]);
    this.child.kill('SIGKILL');
  }
}

/**
 * Lets the measuring SMSC read as soon as bytes arrive on a busy machine (a real carrier's SMSC
 * is not on the sender's loaded host): arrival times are what the TPS tests judge, and a sandbox
 * waiting tens of ms for a CPU makes submits sent apart look bunched. Needs root; without it the
 * sandbox keeps the normal priority.
 */
export function raisePriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, -10);
  } catch {
    // not permitted: normal priority
  }
}
