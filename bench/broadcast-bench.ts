import { SandboxChild } from './sandbox-child';
import { runRawClient } from './raw-smpp-client';
import { SmppTransport } from '../src/transport/smpp/smpp-transport';
import { runBroadcast } from '../src/broadcast/broadcast-runner';
import { MemoryBroadcastJournal } from '../src/broadcast/broadcast-journal';
import type { BroadcastRecipient } from '../src/broadcast/broadcast-types';
import { result } from './bench-result';
import type { BenchResult } from './bench-result';

/** 100,000 recipients through the Bulk Alert Broadcast code path at window 100, vs the raw client. */
export async function benchBroadcast(count = Number(process.env.BENCH_BROADCAST_COUNT ?? 100_000)): Promise<BenchResult[]> {
  const sandbox = await SandboxChild.start();
  try {
    const raw = await runRawClient(sandbox.port, count, 100);
    await sandbox.reset();
    const recipients = benchRecipients(count);
    if (global.gc) global.gc();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const { seconds, accepted } = await runNodeCodePathBroadcast(sandbox.port, recipients);
    clearInterval(sampler);
    const sb = await sandbox.stats();
    if (accepted !== count || sb.unique !== count) throw new Error(`broadcast bench: accepted ${accepted}, sandbox unique ${sb.unique}, expected ${count}`);
    const rate = count / seconds;
    console.log(
      `broadcast ${count}: ${Math.round(rate)} msg/s vs raw ${Math.round(raw.perSecond)} msg/s; peak RSS growth ${Math.round((peakRss - baseRss) / 1e6)} MB`,
    );
    return [
      result(`broadcast ${count} recipients (node code path), window 100`, 'msg/s', rate, raw.perSecond, 'raw smpp client', '>= 0.7'),
      result(`broadcast ${count} recipients peak memory growth`, 'MB', (peakRss - baseRss) / 1e6, 200, 'limit', '< 1'),
    ];
  } finally {
    await sandbox.stop();
  }
}

/** The broadcast through the node's code path (`runBroadcast`) to a sandbox at window 100. */
export async function runNodeCodePathBroadcast(port: number, recipients: BroadcastRecipient[]): Promise<{ seconds: number; accepted: number }> {
  const transport = new SmppTransport({
    host: '127.0.0.1',
    port,
    systemId: 'sandbox',
    password: 'sandbox',
    windowSize: 100,
    enquireLinkMs: 0,
    maxQueued: 1_000_000,
  });
  await transport.start();
  try {
    const started = performance.now();
    const { summary } = await runBroadcast(recipients, {
      broadcastId: `bench-${Date.now()}`,
      sender: transport,
      defaults: { from: 'CITYALERT' },
      message: {},
      journal: new MemoryBroadcastJournal(),
      collectResults: false,
    });
    return { seconds: (performance.now() - started) / 1000, accepted: summary.accepted };
  } finally {
    await transport.close();
  }
}

/** Distinct UK mobile numbers, one alert text (as a node's input items would give them). */
export function benchRecipients(count: number): BroadcastRecipient[] {
  return Array.from({ length: count }, (_, i) => ({
    to: `+4479${String(i).padStart(8, '0')}`,
    text: 'Flood warning: move to higher ground now. Details: city.example/alert',
    itemIndex: i,
  }));
}
