import { fork } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as path from 'path';

/** The `smpp`-library sink (smpp-sink.ts) in a child process, controlled over IPC. */
export class SmppSinkChild {
  private nextId = 1;
  private readonly waiting = new Map<number, (msg: Record<string, unknown>) => void>();

  private constructor(private readonly child: ChildProcess, readonly port: number) {
    child.on('message', (msg: Record<string, unknown>) => {
      const id = msg.id as number | undefined;
      const waiter = id ? this.waiting.get(id) : undefined;
      if (id && waiter) {
        this.waiting.delete(id);
        waiter(msg);
      }
    });
  }

  static start(latencyMs = 0): Promise<SmppSinkChild> {
    const env = { ...process.env, SINK_LATENCY_MS: String(latencyMs), SINK_PORT: '0' };
    // No inherited V8 flags (--cpu-prof, --trace-*): the sink's own output would mix with the client's.
    const child = fork(path.join(__dirname, 'smpp-sink.js'), [], { env, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`smpp sink process exited with ${code}`)));
      child.once('message', (msg: { ready?: boolean; port?: number }) => {
        if (msg.ready) resolve(new SmppSinkChild(child, msg.port ?? 0));
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

  setLatency(ms: number): Promise<unknown> {
    return this.call({ cmd: 'latency', ms });
  }
  reset(): Promise<unknown> {
    return this.call({ cmd: 'reset' });
  }
  /** Submits answered since the last reset, and the sink's own CPU (µs) meanwhile. */
  async stats(): Promise<{ accepted: number; cpuMicros: number }> {
    return (await this.call({ cmd: 'stats' })) as unknown as { accepted: number; cpuMicros: number };
  }
  async stop(): Promise<void> {
    this.child.removeAllListeners('exit');
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ cmd: 'stop', id: 0 });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    this.child.kill('SIGKILL');
  }
}
