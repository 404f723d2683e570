import Redis from 'ioredis';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import type { BroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { RedisBroadcastJournal } from '../../src/broadcast/redis-broadcast-journal';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

/**
 * "Send Again" double-clicked (or its webhook request retried): each click opened its own
 * generation, so 100 phones got 300 copies where the operator meant 200. A Send Again within a
 * minute of the one that opened the current generation joins it.
 */
describe('"Send Again" twice in quick succession', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  beforeAll(async () => {
    smsc = await startSandbox({ recordMode: 'count', maxStoredMessages: 10 });
    transport = new SmppTransport(sandboxTransportOptions(smsc, { windowSize: 20 }));
    await transport.start();
  });
  afterAll(async () => {
    redis.disconnect();
    await transport.close(100);
    await smsc.stop();
  });

  it.each([
    ['memory', (): BroadcastJournal => new MemoryBroadcastJournal()],
    ['redis', (): BroadcastJournal => new RedisBroadcastJournal(redis, { prefix: `test-send-again-${process.pid}-${Date.now()}:` })],
  ])('%s journal: two Send Again at once after the first run: everyone gets it once more, not twice more', async (_kind, make) => {
    smsc.store.clear();
    const base = smsc.stats.accepted;
    const journal = make();
    const list = Array.from({ length: 100 }, (_, i) => ({ to: `+4479${String(74_000_000 + i)}`, text: 'Reminder: shelter in place.', itemIndex: i }));
    const options = (sendAgain: boolean) => ({
      broadcastId: 'alert:again',
      dedupeWindowMs: 86_400_000,
      sendAgain,
      sender: transport,
      defaults: { from: 'CITY' },
      message: {},
      journal,
      collectResults: false,
    });
    await runBroadcast(list, options(false));
    const [a, b] = await Promise.all([runBroadcast(list, options(true)), runBroadcast(list, options(true))]);
    expect(smsc.stats.accepted - base).toBe(200);
    expect(a.summary.broadcastId).toBe('alert:again#2');
    expect(b.summary.broadcastId).toBe('alert:again#2');
  });
});
