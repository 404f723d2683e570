/**
 * The sandbox SMSC in its own process for benchmarks, so its CPU is not counted as the client's
 * and it cannot be the client's bottleneck on the same event loop. Controlled over IPC.
 */
import { SandboxSmsc } from '../src/sandbox/sandbox-smsc';
import type { SandboxFaults } from '../src/sandbox/types';

type Command =
  | { id: number; cmd: 'faults'; faults: Partial<SandboxFaults> }
  | { id: number; cmd: 'stats' }
  | { id: number; cmd: 'submitTimes' }
  | { id: number; cmd: 'reset' }
  | { id: number; cmd: 'drop' }
  | { id: number; cmd: 'unbind' }
  | { id: number; cmd: 'stop' };

async function main(): Promise<void> {
  const smsc = new SandboxSmsc({
    port: Number(process.env.BENCH_SANDBOX_PORT ?? 0),
    recordMode: process.env.BENCH_RECORD_MODE === 'none' ? 'none' : 'count',
    preciseLatency: true,
    maxStoredMessages: 10,
    recordFile: process.env.BENCH_RECORD_FILE || undefined,
    faults: { latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 0) },
  });
  const { port } = await smsc.start();
  let cpuStart = process.cpuUsage();
  const send = (msg: object): void => {
    process.send?.(msg);
  };
  process.on('message', (raw: Command) => {
    switch (raw.cmd) {
      case 'faults':
        smsc.setFaults(raw.faults);
        return send({ id: raw.id, ok: true });
      case 'reset':
        smsc.store.clear();
        Object.keys(smsc.stats).forEach((k) => ((smsc.stats as Record<string, number>)[k] = 0));
        smsc.peakSessionCount = smsc.sessionCount;
        cpuStart = process.cpuUsage();
        return send({ id: raw.id, ok: true });
      case 'submitTimes':
        return send({ id: raw.id, times: [...smsc.store.submitTimes].sort((a, b) => a - b) });
      case 'drop':
        return send({ id: raw.id, dropped: smsc.dropConnections() });
      case 'unbind':
        return send({ id: raw.id, unbound: smsc.unbindSessions() });
      case 'stats': {
        const cpu = process.cpuUsage(cpuStart);
        return send({
          id: raw.id,
          stats: { ...smsc.stats },
          unique: smsc.store.uniqueDestinations(),
          duplicates: smsc.store.duplicates(),
          maxInWindow: smsc.store.maxInWindow(1000),
          cpuMicros: cpu.user + cpu.system,
          peakSessions: smsc.peakSessionCount,
          maxOutstanding: smsc.maxOutstanding,
        });
      }
      case 'stop':
        void smsc.stop().then(() => process.exit(0));
    }
  });
  send({ ready: true, port });
}

void main();
