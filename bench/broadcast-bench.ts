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
    const recipients: BroadcastRecipient[] = Array.from({ length: count }, (_, i) => ({ to: `+4479${String(i).padStart(8, "0")}`, text: 'Flood warning: move to higher ground now. Details: city.example/alert', itemIndex: i }));
    if (global.gc) global.gc();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const transport = new SmppTransport({ host: '127.0.0.1', port: sandbox.port, systemId: 'sandbox', password: 'sandbox', windowSize: 100, enquireLinkMs: 0, maxQueued: 1_000_000 });
    await transport.start();
    const started = performance.now();
    const { summary } = await runBroadcast(recipients, {
      broadcastId: `bench-${Date.now()}`, sender: transport, defaults: { from: 'CITYALERT' }, message: {}, journal: new MemoryBroadcastJournal(), collectResults: false,
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    await transport.close();
    const sb = await sandbox.stats();
    if (summary.accepted !== count || sb.unique !== count) throw new Error(`broadcast bench: accepted ${summary.accepted}, sandbox unique ${sb.unique}, expected ${count}`);
    const rate = count / seconds;
    console.log(`broadcast ${count}: ${Math.round(rate)} msg/s vs raw ${Math.round(raw.perSecond)} msg/s; peak RSS growth ${Math.round((peakRss - baseRss) / 1e6)} MB`);
    return [
      result(`broadcast ${count} recipients (node code path), window 100`, 'msg/s', rate, raw.perSecond, 'raw smpp client', '>= 0.7'),
      result(`broadcast ${count} recipients peak memory growth`, 'MB', (peakRss - baseRss) / 1e6, 200, 'limit', '< 1'),
    ];
  } finally {
    await sandbox.stop();
  }
}
