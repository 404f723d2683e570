import { SmppTransport } from '../src/transport/smpp/smpp-transport';
import type { SmppTransportOptions } from '../src/transport/smpp/types';
import { runBroadcast } from '../src/broadcast/broadcast-runner';
import { MemoryBroadcastJournal } from '../src/broadcast/broadcast-journal';
import type { ThroughputRun } from './raw-smpp-client';

export interface BroadcastTarget {
  host: string;
  port: number;
  systemId: string;
  password: string;
  /** Extra transport settings (TLS, bind mode, a TPS cap). */
  transport?: Partial<SmppTransportOptions>;
}

/** A transport for broadcast runs: one per window, kept across runs as n8n's registry keeps one per credential. */
export async function openBenchTransport(target: BroadcastTarget, window: number): Promise<SmppTransport> {
  const transport = new SmppTransport({
    host: target.host,
    port: target.port,
    systemId: target.systemId,
    password: target.password,
    windowSize: window,
    enquireLinkMs: 0,
    maxQueued: 1_000_000,
    ...target.transport,
  });
  await transport.start();
  return transport;
}

/**
 * One broadcast through the Bulk Alert Broadcast code path (`runBroadcast` over `SmppTransport`:
 * phone validation, dedupe, the memory journal, the bounded pipeline). CPU is the whole client
 * process's (`process.cpuUsage()`) from before the run to its end, per message.
 */
export async function broadcastOn(
  transport: SmppTransport,
  recipients: Array<{ to: string; text: string; itemIndex: number }>,
  from = 'CITYALERT',
): Promise<ThroughputRun & { accepted: number; failed: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { summary } = await runBroadcast(recipients, {
    broadcastId: `bench-${Date.now()}-${recipients.length}`,
    sender: transport,
    defaults: { from },
    message: {},
    journal: new MemoryBroadcastJournal(),
    collectResults: false,
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const count = recipients.length;
  return {
    messages: count,
    seconds,
    perSecond: summary.accepted / seconds,
    cpuMicrosPerMessage: (used.user + used.system) / count,
    accepted: summary.accepted,
    failed: summary.failed,
  };
}

/** One broadcast on a transport of its own (opened and closed around it). */
export async function runBroadcastCpu(
  target: BroadcastTarget,
  recipients: Array<{ to: string; text: string; itemIndex: number }>,
  window: number,
  from = 'CITYALERT',
): Promise<ThroughputRun & { accepted: number; failed: number }> {
  const transport = await openBenchTransport(target, window);
  try {
    return await broadcastOn(transport, recipients, from);
  } finally {
    await transport.close();
  }
}

/** Distinct UK mobile numbers from `offset` on, one alert text (as a node's input items would give them). */
export function sinkRecipients(count: number, offset = 0): Array<{ to: string; text: string; itemIndex: number }> {
  return Array.from({ length: count }, (_, i) => ({
    to: `+4479${String(offset + i).padStart(8, '0')}`,
    text: 'Flood warning: move to higher ground now. Details: city.example/alert',
    itemIndex: i,
  }));
}
