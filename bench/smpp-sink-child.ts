import * as path from 'path';
import { ChildController } from './child-controller';

/** The `smpp`-library sink (smpp-sink.ts) in a child process, controlled over IPC. */
export class SmppSinkChild extends ChildController {
  static async start(latencyMs = 0): Promise<SmppSinkChild> {
    const env = { ...process.env, SINK_LATENCY_MS: String(latencyMs), SINK_PORT: '0' };
    // No inherited V8 flags (--cpu-prof, --trace-*): the sink's own output would mix with the client's.
    const { child, port } = await ChildController.fork(path.join(__dirname, 'smpp-sink.js'), 'smpp sink', { env, execArgv: [] });
    return new SmppSinkChild(child, port);
  }

  setLatency(ms: number): Promise<unknown> {
    return this.call({ cmd: 'latency', ms });
  }
  /** Submits answered since the last reset, and the sink's own CPU (µs) meanwhile. */
  async stats(): Promise<{ accepted: number; cpuMicros: number }> {
    return (await this.call({ cmd: 'stats' })) as unknown as { accepted: number; cpuMicros: number };
  }
}
