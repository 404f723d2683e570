import { fork } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as path from 'path';
import type { SandboxFaults } from '../src/sandbox/types';

export interface SandboxStats {
  stats: Record<string, number>;
  unique: number;
  duplicates: { destinations: number; extraCopies: number };
  maxInWindow: number;
  cpuMicros: number;
  /** Most binds at once since the last reset, and the most answers one bind had outstanding. */
  peakSessions: number;
  maxOutstanding: number;
}

/** A sandbox SMSC running in a child process (see sandbox-process.ts). */
export class SandboxChild {
  private nextId = 1;
  private readonly waiting = new Map<number, (msg: Record<string, unknown>) => void>();

  private constructor(private readonly child: ChildProcess, readonly port: number) {
    child.on('message', (msg: Record<string, unknown>) => {
      const id = msg.id as number | undefined;
      if (id && this.waiting.has(id)) {
        this.waiting.get(id)!(msg);
        this.waiting.delete(id);
      }
    });
  }

  static start(port = 0, options: { recordFile?: string; latencyMs?: number; recordMode?: 'count' | 'none' } = {}): Promise<SandboxChild> {
    const env = { ...process.env, BENCH_SANDBOX_PORT: String(port), BENCH_RECORD_FILE: options.recordFile ?? '', BENCH_LATENCY_MS: String(options.latencyMs ?? 0), BENCH_RECORD_MODE: options.recordMode ?? 'count' };
    const child = fork(path.join(__dirname, 'sandbox-process.js'), [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
      child.once('message', (msg: { ready?: boolean; port?: number }) => {
        if (msg.ready) resolve(new SandboxChild(child, msg.port ?? 0));
      });
    });
  }

  private call(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...message, id });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  setFaults(faults: Partial<SandboxFaults>): Promise<unknown> {
    return this.call({ cmd: 'faults', faults });
  }
  reset(): Promise<unknown> {
    return this.call({ cmd: 'reset' });
  }
  drop(): Promise<unknown> {
    return this.call({ cmd: 'drop' });
  }
  /** Arrival of every submit_sm (ms since the epoch, sub-ms precision), oldest first. */
  async submitTimes(): Promise<number[]> {
    return ((await this.call({ cmd: 'submitTimes' })) as { times: number[] }).times;
  }
  /** Maintenance: the SMSC unbinds every session, answering the submits it took after its unbind. */
  unbind(): Promise<unknown> {
    return this.call({ cmd: 'unbind' });
  }
  async stats(): Promise<SandboxStats> {
    return (await this.call({ cmd: 'stats' })) as unknown as SandboxStats;
  }
  /** Kills the process abruptly (scenario: SMSC restart). */
  kill(): void {
    this.child.kill('SIGKILL');
  }
  async stop(): Promise<void> {
    this.child.removeAllListeners('exit');
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ cmd: 'stop', id: 0 });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    this.child.kill('SIGKILL');
  }
}
