import * as path from 'path';
import type { SandboxFaults } from '../src/sandbox/types';
import { ChildController } from './child-controller';

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
export class SandboxChild extends ChildController {
  static async start(port = 0, options: { recordFile?: string; latencyMs?: number; recordMode?: 'count' | 'none' } = {}): Promise<SandboxChild> {
    const env = {
      ...process.env,
      BENCH_SANDBOX_PORT: String(port),
      BENCH_RECORD_FILE: options.recordFile ?? '',
      BENCH_LATENCY_MS: String(options.latencyMs ?? 0),
      BENCH_RECORD_MODE: options.recordMode ?? 'count',
    };
    const started = await ChildController.fork(path.join(__dirname, 'sandbox-process.js'), 'sandbox', { env });
    return new SandboxChild(started.child, started.port);
  }

  setFaults(faults: Partial<SandboxFaults>): Promise<unknown> {
    return this.call({ cmd: 'faults', faults });
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
}
